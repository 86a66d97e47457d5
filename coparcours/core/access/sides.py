"""Acts reserved to one side of a shared pathway (docs/access.md, « The sides of a
pathway »).

A CEJ-JR pathway is carried by two organisations: the porteur (the record's author) and the
youth's mission locale. Some acts belong to one of them whatever the roles' capabilities:
the porteur prepares and sends the administrative file; the mission locale records a missed
action and decides the sanction (Code du travail, R.5131-18) and the one-off PACEA
allowance. The co-accompaniment (plan, activities, interviews, reviews, the counsellor, the
youth's link) belongs to both sides and to no other organisation, even one that
accompanies the youth and may read the pathway. :func:`may_act` is the pure question
(links, buttons, a page refused before its form); :func:`require_act` the services'
refusal, in French.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db import models


class Side(models.TextChoices):
    PORTEUR = "porteur", "Porteur du parcours"
    MISSION_LOCALE = "mission_locale", "Mission locale du parcours"


class SharedAct(models.TextChoices):
    ADMINISTRATIVE_FILE = "administrative_file", "Préparer et transmettre le dossier administratif"
    SANCTION = "sanction", "Constater un manquement et décider la sanction"
    PACEA_DECISION = "pacea_decision", "Décider l'allocation ponctuelle PACEA"
    SHARED_PLAN = "shared_plan", "Ouvrir le plan d'action partagé"
    ACTIVITIES = "activities", "Planifier les activités et noter la présence"
    INTERVIEWS = "interviews", "Écrire un entretien ou une synthèse"
    REVIEWS = "reviews", "Noter et clore les bilans d'étape"
    COUNSELLOR = "counsellor", "Désigner le conseiller du suivi du lundi"
    YOUTH_LINK = "youth_link", "Créer le lien vers la page du jeune"


#: The acts of the co-accompaniment, held by both sides.
CO_ACCOMPANIMENT = (
    SharedAct.SHARED_PLAN,
    SharedAct.ACTIVITIES,
    SharedAct.INTERVIEWS,
    SharedAct.REVIEWS,
    SharedAct.COUNSELLOR,
    SharedAct.YOUTH_LINK,
)
BOTH_SIDES = frozenset({Side.PORTEUR, Side.MISSION_LOCALE})

#: Which side of the pathway holds each act.
SIDES_HOLDING: dict[str, frozenset[str]] = {
    SharedAct.ADMINISTRATIVE_FILE: frozenset({Side.PORTEUR}),
    SharedAct.SANCTION: frozenset({Side.MISSION_LOCALE}),
    SharedAct.PACEA_DECISION: frozenset({Side.MISSION_LOCALE}),
    **{act: BOTH_SIDES for act in CO_ACCOMPANIMENT},
}

REFUSALS: dict[str, str] = {
    SharedAct.ADMINISTRATIVE_FILE: "Seul le porteur prépare et transmet ce dossier administratif.",
    SharedAct.SANCTION: "Les manquements et la sanction reviennent à la mission locale du "
    "parcours.",
    SharedAct.PACEA_DECISION: "L'allocation ponctuelle est accordée par la mission locale.",
    SharedAct.SHARED_PLAN: "Seuls le porteur et la mission locale du parcours écrivent le plan.",
    SharedAct.ACTIVITIES: "Seuls le porteur et la mission locale planifient les activités.",
    SharedAct.INTERVIEWS: "Seuls le porteur et la mission locale du parcours écrivent ici.",
    SharedAct.REVIEWS: "Seuls les partenaires du parcours participent au bilan.",
    SharedAct.COUNSELLOR: "Seuls le porteur et la mission locale du parcours le désignent.",
    SharedAct.YOUTH_LINK: "Seuls le porteur et la mission locale du parcours le créent.",
}


class SharedPathway(Protocol):
    author_organisation_id: int
    mission_locale_id: int


def sides_of(organisation_id: int | None, pathway: SharedPathway) -> set[str]:
    """The sides an organisation takes in the pathway (none for a third party)."""
    sides = set()
    if organisation_id is not None and organisation_id == pathway.author_organisation_id:
        sides.add(Side.PORTEUR)
    if organisation_id is not None and organisation_id == pathway.mission_locale_id:
        sides.add(Side.MISSION_LOCALE)
    return sides


def may_act(organisation_id: int | None, pathway: SharedPathway, act: str) -> bool:
    """Whether the organisation is on the side of the pathway that holds the act."""
    return bool(sides_of(organisation_id, pathway) & SIDES_HOLDING[act])


def require_act(organisation_id: int | None, pathway: SharedPathway, act: str) -> None:
    """Refuse the act (PermissionDenied, a French message) to the other side."""
    if not may_act(organisation_id, pathway, act):
        raise PermissionDenied(REFUSALS[act])
