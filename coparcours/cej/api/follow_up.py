"""The Monday follow-up: a counsellor's follow-ups, produced by hand by a referent."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from coparcours.cej import followup, rules, selectors
from coparcours.cej.api.router import PATHWAY_DATA, router
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires


class FollowUpOut(Schema):
    id: int
    week_start: datetime.date
    mission_locale_id: int
    detail: str
    rows: list[dict]
    sent_at: datetime.datetime | None


class FollowUpIn(Schema):
    organisation_id: int | None = None
    week: datetime.date = Field(
        description="Le lundi de la semaine suivie, une semaine terminée (AAAA-MM-JJ)."
    )

    @field_validator("week")
    @classmethod
    def _a_monday(cls, week: datetime.date) -> datetime.date:
        if week != rules.week_start(week):
            raise ValueError("Une semaine commence un lundi : indiquez le lundi de la semaine.")
        return week


@router.get("/follow-ups", response=list[FollowUpOut], summary="Mes suivis du lundi")
@api_requires(Capability.CEJ_FOLLOW_UP, categories=PATHWAY_DATA)
def list_follow_ups(request: HttpRequest):
    follow_ups = list(selectors.follow_ups_for(request.auth))
    followup.audit_reading(request.auth, follow_ups, followup.READ_THROUGH_API)
    return follow_ups


@router.get("/follow-ups/{follow_up_id}", response=FollowUpOut, summary="Un suivi du lundi")
@api_requires(Capability.CEJ_FOLLOW_UP, categories=PATHWAY_DATA)
def get_follow_up(request: HttpRequest, follow_up_id: int):
    follow_up = get_object_or_404(selectors.follow_ups_for(request.auth), pk=follow_up_id)
    followup.audit_reading(request.auth, [follow_up], followup.READ_THROUGH_API)
    return follow_up


@router.post(
    "/follow-ups",
    response={201: list[FollowUpOut]},
    summary="Produire le suivi d'une semaine terminée (référent du porteur)",
)
@api_requires(
    Capability.CEJ_FOLLOW_UP,
    categories=PATHWAY_DATA,
    acting=True,
)
def produce_follow_ups(request: HttpRequest, payload: FollowUpIn):
    organisation = api_acting_organisation(request, payload.organisation_id)
    partnerships = selectors.partnerships_for(request.auth, organisation.pk, as_porteur=True)
    if not partnerships:
        raise HttpError(403, "Les référents du porteur produisent le suivi à la main.")
    report = followup.produce(
        payload.week,
        by=request.auth,
        counsellor_ids=selectors.counsellors_of(request.auth, partnerships),
    )
    return Status(201, report.created)
