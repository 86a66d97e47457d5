"""The CEJ-JR panel of a youth's record: the pathway's stage, its mission locale and its
referent, with the way to the pathway and its co-accompaniment, as far as the reader may
read the porteur's education-and-employment data (docs/access.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.core.access import Capability, Category, may_access
from coparcours.youths.record_panels import LinkedPanel, RecordPanel


def pathway_panel(request: HttpRequest, youth: Any) -> LinkedPanel | None:
    """The youth's most recent pathway (one query), or nothing when there is none."""
    pathway = (
        Pathway.objects.filter(youth=youth)
        .select_related("mission_locale", "referent")
        .order_by("-identified_on", "-pk")
        .first()
    )
    if pathway is None:
        return None
    if not may_access(
        request.user,
        youth,
        Category.EDUCATION_EMPLOYMENT,
        author_organisation_id=pathway.author_organisation_id,
    ):
        return LinkedPanel(
            empty="Un parcours CEJ-JR est ouvert ; ses informations sont protégées par le "
            "secret professionnel : vous n'y avez pas accès."
        )
    facts = [
        ("Étape", f"{pathway.get_stage_display()} depuis le {pathway.stage_since:%d/%m/%Y}"),
        ("Mission locale", str(pathway.mission_locale)),
    ]
    if pathway.referent:
        facts.append(("Référent·e", str(pathway.referent)))
    links = [("Ouvrir le parcours", reverse("cej:detail", args=[pathway.pk]))]
    if pathway.stage in (Stage.REMOBILISATION, Stage.CONTRACT):
        links.append(("Co-accompagnement", reverse("cej:accompaniment", args=[pathway.pk])))
    return LinkedPanel(facts=facts, links=links)


PANEL = RecordPanel(
    key="cej", title="Parcours CEJ-JR", capability=Capability.CEJ, find=pathway_panel, order=10
)
