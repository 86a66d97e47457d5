"""Activities, their attendance and the weekly hours."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import field_validator

from coparcours.cej import selectors
from coparcours.cej.api.router import PATHWAY_DATA, accompaniment_of, router
from coparcours.cej.models import Activity
from coparcours.cej.services import hours
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires
from coparcours.organisations.models import Organisation


class ActivityOut(Schema):
    id: int
    kind: str | None
    title: str | None
    starts_at: datetime.datetime
    duration_minutes: int
    organisation_id: int
    attended: bool | None
    author_organisation_id: int


class ActivityIn(Schema):
    organisation_id: int | None = None
    kind: str
    title: str
    starts_at: datetime.datetime
    duration_minutes: int = Field(
        description="Durée en minutes, de 1 minute à 24 heures.",
        json_schema_extra={"minimum": 1, "maximum": 24 * 60},
    )
    responsible_id: int
    attended: bool | None = None

    @field_validator("duration_minutes")
    @classmethod
    def _within_a_day(cls, minutes: int) -> int:
        if not 1 <= minutes <= 24 * 60:
            raise ValueError("Une activité dure entre 1 minute et 24 heures.")
        return minutes


class AttendanceIn(Schema):
    organisation_id: int | None = None
    attended: bool


class WeekHoursOut(Schema):
    week: datetime.date
    porteur_hours: Decimal
    mission_locale_hours: Decimal
    total_hours: Decimal
    minimum_hours: int | None
    reached: bool | None


@router.get(
    "/pathways/{pathway_id}/activities",
    response=list[ActivityOut],
    summary="Activités d'une semaine (par défaut la semaine en cours)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_activities(request: HttpRequest, pathway_id: int, week: datetime.date | None = None):
    _pathway, page = accompaniment_of(request, pathway_id, week)
    return [
        {
            "id": row.activity.pk,
            "kind": row.activity.kind if row.detail_visible else None,
            "title": row.activity.title if row.detail_visible else row.label,
            "starts_at": row.activity.starts_at,
            "duration_minutes": row.activity.duration_minutes,
            "organisation_id": row.activity.organisation_id,
            "attended": row.activity.attended,
            "author_organisation_id": row.activity.author_organisation_id,
        }
        for row in page.activities
    ]


@router.post(
    "/pathways/{pathway_id}/activities",
    response={201: ActivityOut},
    summary="Planifier ou noter une activité (1 min à 24 h, sans chevauchement)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_activity(request: HttpRequest, pathway_id: int, payload: ActivityIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    return Status(
        201,
        hours.add_activity(
            request.auth,
            organisation,
            pathway,
            kind=payload.kind,
            title=payload.title,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            responsible=Organisation.objects.filter(pk=payload.responsible_id).first(),
            attended=payload.attended,
        ),
    )


@router.post(
    "/pathways/{pathway_id}/activities/{activity_id}/attendance",
    response=ActivityOut,
    summary="Noter la présence",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def record_attendance(
    request: HttpRequest, pathway_id: int, activity_id: int, payload: AttendanceIn
):
    _pathway, activity = selectors.pathway_record_for(
        request.auth, pathway_id, Activity.objects.all(), activity_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    return hours.record_attendance(request.auth, organisation, activity, payload.attended)


@router.get(
    "/pathways/{pathway_id}/weekly-hours",
    response=list[WeekHoursOut],
    summary="Heures des dernières semaines : porteur, mission locale, minimum",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def weekly_hours(request: HttpRequest, pathway_id: int, week: datetime.date | None = None):
    _pathway, page = accompaniment_of(request, pathway_id, week)
    return page.weeks
