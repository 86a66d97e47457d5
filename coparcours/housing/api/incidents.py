"""Serious incidents through the API (CASF L.331-8-1): the notices of the incidents the
caller follows — its member teams', its coordinated GMEs', its funded GMEs' — as the
Département receives them: kind, dates, site, member, measures and follow-up given, never
a youth's name, the facts nor a health or justice detail (docs/domain-rules.md, "Serious
incidents and runaways"). The report itself is read in Coparcours, where each youth is
decided by the access policy."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires
from coparcours.housing.models.incidents import IncidentMeasure, IncidentStatus, SeriousIncident
from coparcours.housing.selectors import incidents as incident_selectors

router = Router(tags=["Hébergement"])


class IncidentFollowUpOut(Schema):
    given_on: datetime.date
    by_coordination: bool
    text: str


class IncidentNoticeOut(Schema):
    id: int
    consortium_id: int
    consortium: str
    kind: str
    kind_label: str
    occurred_on: datetime.date
    occurred_time: str | None = Field(description="L'heure, « HH:MM », si elle est connue.")
    site_id: int
    site: str
    organisation_id: int
    organisation: str
    measures: str
    declared_on: datetime.date | None
    returned_on: datetime.date | None
    status: str
    status_label: str
    follow_ups: list[IncidentFollowUpOut]

    @staticmethod
    def resolve_occurred_time(incident: SeriousIncident) -> str | None:
        return f"{incident.occurred_time:%H:%M}" if incident.occurred_time else None

    @staticmethod
    def resolve_consortium(incident: SeriousIncident) -> str:
        return incident.consortium.name

    @staticmethod
    def resolve_kind_label(incident: SeriousIncident) -> str:
        return incident.get_kind_display()

    @staticmethod
    def resolve_site(incident: SeriousIncident) -> str:
        return incident.site.name

    @staticmethod
    def resolve_organisation(incident: SeriousIncident) -> str:
        return incident.organisation.name

    @staticmethod
    def resolve_status_label(incident: SeriousIncident) -> str:
        return incident.get_status_display()

    @staticmethod
    def resolve_follow_ups(incident: SeriousIncident) -> list[IncidentFollowUpOut]:
        return [
            IncidentFollowUpOut(
                given_on=timezone.localtime(measure.created_at).date(),
                by_coordination=measure.by_coordination,
                text=measure.text,
            )
            for measure in incident.measures_taken.all()
        ]


@router.get(
    "/incidents",
    response=list[IncidentNoticeOut],
    summary="Événements graves et fugues suivis (l'information de l'autorité)",
)
@paginate
@api_requires(Capability.HOUSING_INCIDENTS)
def incident_notices(request: HttpRequest, open_only: bool = False) -> QuerySet[SeriousIncident]:
    """The newest first; ``open_only``: those not closed yet."""
    incidents = (
        incident_selectors.followed(request.auth)
        .select_related("consortium", "site", "organisation")
        .prefetch_related(
            Prefetch("measures_taken", queryset=IncidentMeasure.objects.order_by("created_at"))
        )
        .order_by("-occurred_on", "-pk")
    )
    if open_only:
        incidents = incidents.exclude(status=IncidentStatus.CLOSED)
    return incidents
