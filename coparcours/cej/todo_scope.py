"""What the CEJ-JR "À traiter" blocks of one home page share, read once per request: the
pathways of the person (docs/conventions.md, "Screens by role") and the reading rights on
their youths, decided by the access policy without a query per row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.cej.selectors import visible_pathways
from coparcours.core.access import (
    Action,
    Category,
    acting_organisation_id,
    active_memberships,
    decide,
)
from coparcours.youths.models.records import access_facts_for

EE = Category.EDUCATION_EMPLOYMENT


class Reading:
    """The user's reading rights on many youths at once: their access facts are read in
    two queries (once per request for a youth met by several blocks), then each row is
    decided without a query (``decide``), with the same memberships as the pages."""

    def __init__(self, request: HttpRequest, pathways: Iterable[Pathway]):
        day = timezone.localdate()
        self._memberships = active_memberships(request.user, day)
        self._facts: dict[int, Any] = request.__dict__.setdefault("_cej_access_facts", {})
        missing = {
            p.youth_id: p.youth.owner_organisation_id
            for p in pathways
            if p.youth_id not in self._facts
        }
        if missing:
            self._facts.update(access_facts_for(missing, day))

    def reads(self, youth_id: int, category: str, author_id: int | None) -> bool:
        facts = self._facts.get(youth_id)
        return (
            facts is not None
            and decide(
                self._memberships, facts, category, Action.READ, author_organisation_id=author_id
            )
            is not None
        )

    def reads_pathway(self, pathway: Pathway) -> bool:
        """Whether the pathway itself is readable (its pages answer): the porteur's data."""
        return self.reads(pathway.youth_id, EE, pathway.author_organisation_id)


@dataclass(frozen=True)
class SidePathway:
    pk: int
    is_open: bool
    at_mission_locale: bool
    mine: bool


def side_pathways(request: HttpRequest) -> list[SidePathway]:
    """The pathways the user may list where the acting organisation is a side (the porteur
    or the mission locale), read once per request for every block: the blocks then filter
    on their ids instead of compiling the listing rule into each of their queries. A
    pathway is the user's own when the user follows the youth on the organisation's side
    (its referent at the porteur, its counsellor at the mission locale) or nobody does yet
    (docs/conventions.md, "Screens by role")."""
    cached = request.__dict__.get("_cej_side_pathways")
    if cached is not None:
        return cached
    organisation_id = acting_organisation_id(request)
    followers = (None, request.user.pk)
    rows = [
        SidePathway(
            pk=pk,
            is_open=stage != Stage.EXIT,
            at_mission_locale=mission_locale_id == organisation_id,
            mine=(author_id == organisation_id and referent_id in followers)
            or (mission_locale_id == organisation_id and counsellor_id in followers),
        )
        for pk, stage, author_id, mission_locale_id, referent_id, counsellor_id in (
            visible_pathways(request.user)
            .filter(
                Q(author_organisation_id=organisation_id) | Q(mission_locale_id=organisation_id)
            )
            .order_by()
            .values_list(
                "pk",
                "stage",
                "author_organisation_id",
                "mission_locale_id",
                "referent_id",
                "counsellor_id",
            )
        )
    ]
    request.__dict__["_cej_side_pathways"] = rows
    return rows


def my_open_pathway_ids(request: HttpRequest) -> list[int]:
    """The open pathways of :func:`side_pathways` that the user follows."""
    return [row.pk for row in side_pathways(request) if row.is_open and row.mine]
