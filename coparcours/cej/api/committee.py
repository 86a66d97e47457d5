"""The weekly integration committee: a pathway's decisions, the meetings, their agenda
and decisions."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from coparcours.cej import selectors
from coparcours.cej.api.router import PATHWAY_DATA, router
from coparcours.cej.services import committee
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires


class CommitteeDecisionOut(Schema):
    id: int
    meeting_id: int
    meeting_date: datetime.date
    kind: str
    until: datetime.date | None
    decided_by: str
    comment: str

    @staticmethod
    def resolve_meeting_date(obj) -> datetime.date:
        return obj.meeting.date


@router.get(
    "/pathways/{pathway_id}/decisions",
    response=list[CommitteeDecisionOut],
    summary="Décisions du comité",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_decisions(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return list(pathway.decisions.select_related("meeting"))


class CommitteeMeetingOut(Schema):
    id: int
    partnership_id: int
    date: datetime.date
    participants: str


class CommitteeMeetingIn(Schema):
    organisation_id: int | None = None
    partnership_id: int
    date: datetime.date
    participants: str = ""


class AgendaRowOut(Schema):
    pathway_id: int
    reason: str
    visible: bool
    youth_id: int | None
    decision: CommitteeDecisionOut | None


class CommitteeMeetingDetailOut(CommitteeMeetingOut):
    agenda: list[AgendaRowOut]


class CommitteeDecisionIn(Schema):
    organisation_id: int | None = None
    pathway_id: int
    kind: str
    decided_by: str
    comment: str = ""


def _meeting(request: HttpRequest, meeting_id: int, organisation_id: int | None):
    organisation = api_acting_organisation(request, organisation_id)
    meeting = get_object_or_404(
        selectors.meetings_for(request.auth, organisation.pk), pk=meeting_id
    )
    return organisation, meeting


def _meeting_detail(request: HttpRequest, meeting) -> dict:
    """The meeting and its agenda; a protected youth shows neither identifier nor decision."""
    return {
        "id": meeting.pk,
        "partnership_id": meeting.partnership_id,
        "date": meeting.date,
        "participants": meeting.participants,
        "agenda": [
            {
                "pathway_id": row.item.pathway_id,
                "reason": row.item.reason,
                "visible": row.visible,
                "youth_id": row.item.pathway.youth_id if row.visible else None,
                "decision": row.decision if row.visible else None,
            }
            for row in selectors.agenda(request.auth, meeting, reason=selectors.AGENDA_THROUGH_API)
        ],
    }


@router.get("/meetings", response=list[CommitteeMeetingOut], summary="Comités d'intégration")
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def list_meetings(request: HttpRequest, organisation_id: int | None = None):
    organisation = api_acting_organisation(request, organisation_id)
    return list(selectors.meetings_for(request.auth, organisation.pk))


@router.post(
    "/meetings",
    response={201: CommitteeMeetingDetailOut},
    summary="Ouvrir un comité (ordre du jour)",
)
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def create_meeting(request: HttpRequest, payload: CommitteeMeetingIn):
    organisation = api_acting_organisation(request, payload.organisation_id)
    partnership = get_object_or_404(
        selectors.partnerships_for(request.auth, organisation.pk), pk=payload.partnership_id
    )
    meeting = committee.create_meeting(
        request.auth,
        organisation,
        partnership,
        date=payload.date,
        participants=payload.participants,
    )
    return Status(201, _meeting_detail(request, meeting))


@router.get(
    "/meetings/{meeting_id}",
    response=CommitteeMeetingDetailOut,
    summary="Un comité et son ordre du jour",
)
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def get_meeting(request: HttpRequest, meeting_id: int, organisation_id: int | None = None):
    _organisation, meeting = _meeting(request, meeting_id, organisation_id)
    return _meeting_detail(request, meeting)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: CommitteeDecisionOut},
    summary="Enregistrer une décision (jeune inscrit à l'ordre du jour)",
)
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def create_decision(request: HttpRequest, meeting_id: int, payload: CommitteeDecisionIn):
    organisation, meeting = _meeting(request, meeting_id, payload.organisation_id)
    pathway = selectors.pathway_for(request.auth, payload.pathway_id)
    decision = committee.record_decision(
        request.auth,
        organisation,
        meeting,
        pathway,
        kind=payload.kind,
        decided_by=payload.decided_by,
        comment=payload.comment,
    )
    return Status(201, decision)
