"""The weekly integration committee: its agenda, meetings and decisions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coparcours.cej.models import AgendaItem, CommitteeDecision, CommitteeMeeting, Pathway
from coparcours.cej.models.committee import AgendaReason, DecisionKind
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import EE, local_today, require_pathway_write
from coparcours.cej.services.contract import move_to_stage
from coparcours.cej.services.eligibility import compute_eligibility, record_eligibility_check
from coparcours.cej.services.partnerships import require_partnership_member
from coparcours.core.access import Capability, member_organisation, organisations_where
from coparcours.organisations.models import Consortium, Organisation


def require_committee_member(
    user: Any, organisation: Organisation, partnership: Consortium
) -> None:
    organisation = member_organisation(user, organisation)
    require_partnership_member(organisation, partnership)
    if organisation.pk not in organisations_where(user, Capability.CEJ_COMMITTEE):
        raise PermissionDenied("Le comité d'intégration réunit référents et conseillers.")


def agenda_candidates(
    partnership: Consortium, meeting_date: datetime.date
) -> list[tuple[Pathway, str]]:
    """What the committee must look at: newly identified youths, youths whose veille date
    falls before the next meeting, decisions still pending (deferred)."""
    next_meeting = meeting_date + datetime.timedelta(days=7)
    pathways = (
        Pathway.objects.open()
        .filter(partnership=partnership)
        .select_related("partnership__cej_settings")
        .prefetch_related("decisions")
    )
    items = []
    for pathway in pathways:
        decisions = sorted(pathway.decisions.all(), key=lambda d: d.pk)
        if pathway.stage == Stage.IDENTIFIED and not decisions:
            items.append((pathway, AgendaReason.NEW))
        elif decisions and decisions[-1].kind == DecisionKind.DEFER:
            items.append((pathway, AgendaReason.PENDING))
        elif pathway.stage == Stage.PRE_CEJ:
            result = compute_eligibility(pathway, next_meeting)
            if result.eligible:
                items.append((pathway, AgendaReason.VEILLE))
    return items


@transaction.atomic
def create_meeting(
    user: Any,
    organisation: Organisation,
    partnership: Consortium,
    *,
    date: datetime.date,
    participants: str = "",
) -> CommitteeMeeting:
    """Open a committee meeting; Coparcours builds its agenda."""
    require_committee_member(user, organisation, partnership)
    if CommitteeMeeting.objects.filter(partnership=partnership, date=date).exists():
        raise ValidationError({"date": "Un comité existe déjà à cette date."})
    meeting = CommitteeMeeting.objects.create(
        partnership=partnership, date=date, participants=participants.strip(), created_by=user
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            youth_id=pathway.youth_id,
            category=EE,
            author_organisation_id=pathway.author_organisation_id,
            meeting=meeting,
            pathway=pathway,
            reason=reason,
        )
        for pathway, reason in agenda_candidates(partnership, date)
    )
    return meeting


@transaction.atomic
def record_decision(
    user: Any,
    organisation: Organisation,
    meeting: CommitteeMeeting,
    pathway: Pathway,
    *,
    kind: str,
    decided_by: str,
    comment: str = "",
) -> CommitteeDecision:
    """Record a committee decision and apply it to the pathway's stage."""
    require_committee_member(user, organisation, meeting.partnership)
    require_pathway_write(user, pathway, organisation)
    if not meeting.items.filter(pathway=pathway).exists():
        raise ValidationError("Ce jeune n'est pas à l'ordre du jour de ce comité.")
    if meeting.decisions.filter(pathway=pathway).exists():
        raise ValidationError("Le comité a déjà décidé pour ce jeune.")
    if meeting.date > local_today():
        raise ValidationError("Ce comité n'a pas encore eu lieu : décision impossible.")
    if not decided_by.strip():
        raise ValidationError({"decided_by": "Indiquez qui a pris la décision."})
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": "Choisissez une décision."})
    result = compute_eligibility(pathway, meeting.date)
    until = None
    if kind == DecisionKind.PRE_CEJ:
        if result.eligible:
            raise ValidationError(
                "Ce jeune est déjà éligible : décidez directement la remobilisation."
            )
        until = result.eligible_from
    elif kind == DecisionKind.REMOBILISATION and not result.eligible:
        raise ValidationError(
            f"Ce jeune n'est pas encore éligible ({result.label.lower()}) : décidez l'entrée en "
            "pré CEJ-JR jusqu'à cette date."
        )
    elif kind == DecisionKind.PROPOSE_CONTRACT and pathway.stage != Stage.REMOBILISATION:
        raise ValidationError("Le contrat CEJ se propose pendant la remobilisation.")
    decision = CommitteeDecision.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        meeting=meeting,
        pathway=pathway,
        kind=kind,
        until=until,
        decided_by=decided_by.strip(),
        comment=comment.strip(),
        recorded_by=user,
    )
    if kind == DecisionKind.PRE_CEJ:
        pathway.pre_cej_until = until
        move_to_stage(user, pathway, Stage.PRE_CEJ, meeting.date, decision=decision)
    elif kind == DecisionKind.REMOBILISATION:
        record_eligibility_check(user, pathway, meeting.date, at_entry=False)
        move_to_stage(user, pathway, Stage.REMOBILISATION, meeting.date, decision=decision)
    elif kind == DecisionKind.ORIENT_ELSEWHERE:
        pathway.exit_on = meeting.date
        pathway.exit_outcome = ExitOutcome.OTHER_SCHEME
        move_to_stage(user, pathway, Stage.EXIT, meeting.date, decision=decision)
    return decision
