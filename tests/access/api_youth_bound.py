"""The API operations whose address names a youth, or a record of one, and how they are
asked in tests/access/test_generated_api_matrix.py: the world, the rules and the records of
tests/access/youth_bound.py (the HTML routes'), an operation for each route.

An action is sent with a payload valid for its schema and, where the world allows, for its
rules, so that the access policy, not the validation, answers; ``granted`` is the status
of a caller the policy lets through (a business rule's answer where the world's record is
past that step: an accepted proposal is not answered twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coparcours.core.access import Category
from coparcours.organisations.models import Role
from tests.access.youth_bound import (
    ACCESS_LOG,
    CASEWORKERS,
    DOCS,
    DPO,
    EE,
    EE_R,
    EE_W,
    EXPORT,
    MISSION_LOCALE_W,
    Bound,
    Records,
    W,
    accompanies,
    coordination,
    duty,
    everyone,
    filer_or_coordination,
    nobody,
    owner_writes,
    reads,
    writes,
)
from tests.youths.test_access_matrix import EXPECTED_RIGHTS


def writes_own(*categories: str):
    """Recording a consent opens the recorder's own organisation's data: any accompanying
    organisation's writers of those categories (the owner's, or the partner's for its part)."""
    return lambda role, rel, consent: (
        accompanies(rel)
        and all(W in EXPECTED_RIGHTS[role].get(category, set()) for category in categories)
    )


def transmits(role: str, relationship: str, consent: str) -> bool:
    """The administrative file goes to the mission locale by the porteur's writers, only
    while the youth's consent to share those documents with it is in force."""
    return owner_writes(EE, DOCS)(role, relationship, consent) and consent == "granted"


@dataclass(frozen=True)
class ApiBound(Bound):
    """A :class:`Bound` of the API: ``body`` is the JSON payload of an action (a string
    ``"@name"`` in it is the id of the world's record ``name``; ``"@today"`` today's date),
    ``granted`` the status answered past the policy."""

    body: dict[str, Any] | None = None
    granted: int = 200

    def payload(self, records: Records) -> dict[str, Any] | None:
        if self.body is None:
            return None
        return {key: _value(value, records) for key, value in self.body.items()}


def _value(value: Any, records: Records) -> Any:
    if value == "@today":
        return timezone.localdate().isoformat()
    if isinstance(value, str) and value.startswith("@"):
        return records.ids[value[1:]]
    return value


YOUTH = {"youth_id": "youth"}
PATHWAY = {"pathway_id": "pathway"}
TODAY = "@today"
#: A business rule's refusal (422), answered only past the access policy.
RULE = 422
ALL = tuple(Category.values)

#: Every API operation whose address names a youth or one of their records.
API_YOUTH_BOUND: dict[str, ApiBound] = {
    # the youth's record
    "GET /youths/{youth_id}": ApiBound(YOUTH, reads(Category.IDENTITY), shows=ALL),
    "GET /youths/{youth_id}/consents": ApiBound(YOUTH, reads(Category.IDENTITY)),
    "POST /youths/{youth_id}/consents": ApiBound(
        YOUTH,
        writes_own(Category.CONTACT),
        body={
            "recipient_organisation_id": "@third",
            "categories": [Category.CONTACT],
            "purpose": "Suivi",
            "witness": "Témoin",
            "given_by": "youth",
        },
        granted=201,
    ),
    # the consent opens the owner's data to a third organisation: its author (the owner)
    # or the recipient withdraws it, not a partner
    "POST /youths/{youth_id}/consents/{consent_id}/withdraw": ApiBound(
        {**YOUTH, "consent_id": "consent"}, owner_writes(Category.IDENTITY), body={}
    ),
    "GET /youths/{youth_id}/assignments": ApiBound(YOUTH, reads(Category.IDENTITY)),
    "POST /youths/{youth_id}/assignments": ApiBound(
        YOUTH,
        owner_writes(Category.IDENTITY),
        body={"organisation_id": "@unrelated", "role": "Santé", "start_date": "2025-01-01"},
        granted=201,
    ),
    # a document's marker is its title (DOC-<category>): none unreadable is listed
    "GET /youths/{youth_id}/documents": ApiBound(YOUTH, reads(Category.IDENTITY)),
    "GET /youths/{youth_id}/documents/{document_id}/file": ApiBound(
        {**YOUTH, "document_id": "document"}, reads(Category.HEALTH)
    ),
    "GET /youths/{youth_id}/export": ApiBound(YOUTH, EXPORT, shows=ALL, export=True),
    # the requests' state shows on the record: whoever reads its access log lists them
    "GET /youths/{youth_id}/erasure-requests": ApiBound(YOUTH, ACCESS_LOG, names_youth=True),
    "POST /youths/{youth_id}/erasure-requests": ApiBound(
        YOUTH,
        duty(set(), CASEWORKERS | {DPO}),
        names_youth=True,
        body={"received_on": TODAY, "requester": "youth", "reason": "Demande"},
        granted=RULE,  # the world's request still waits for its decision
    ),
    "POST /youths/{youth_id}/erasure-requests/{request_id}/decision": ApiBound(
        {**YOUTH, "request_id": "erasure"},
        duty(set(), {Role.DIRECTOR, DPO}),
        names_youth=True,
        body={"approve": False, "motive": "Dossier en cours"},
    ),
    "GET /youths/{youth_id}/access-log": ApiBound(YOUTH, ACCESS_LOG, names_youth=True),
    # the CEJ-JR pathway (education and employment), its file (administrative documents)
    "GET /cej/pathways/{pathway_id}": ApiBound(PATHWAY, EE_R),
    "GET /cej/pathways/{pathway_id}/contacts": ApiBound(PATHWAY, EE_R),
    "POST /cej/pathways/{pathway_id}/contacts": ApiBound(
        PATHWAY, EE_W, body={"occurred_on": TODAY, "channel": "call"}, granted=201
    ),
    "POST /cej/pathways/{pathway_id}/contacts/import": ApiBound(
        PATHWAY,
        EE_W,
        body={"csv": "date;canal;reponse;intention\n2025-01-06;appel;oui;oui\n"},
        granted=201,
    ),
    "GET /cej/pathways/{pathway_id}/eligibility": ApiBound(PATHWAY, EE_R),
    "GET /cej/pathways/{pathway_id}/checks": ApiBound(PATHWAY, EE_R),
    "GET /cej/pathways/{pathway_id}/decisions": ApiBound(PATHWAY, EE_R),
    "GET /cej/pathways/{pathway_id}/dossier": ApiBound(PATHWAY, reads(EE, DOCS)),
    # sent only with the youth's consent to the mission locale; no piece is collected
    # yet: the porteur is told so (422), once past the policy
    "POST /cej/pathways/{pathway_id}/dossier/transmit": ApiBound(
        PATHWAY, transmits, body={}, granted=RULE
    ),
    "GET /cej/pathways/{pathway_id}/missed-actions": ApiBound(PATHWAY, EE_R),
    # a missed action is proposed, a sanction and an allowance decided, by the pathway's
    # mission locale (the partner here)
    "POST /cej/pathways/{pathway_id}/missed-actions": ApiBound(
        PATHWAY,
        MISSION_LOCALE_W,
        body={"occurred_on": TODAY, "description": "Absent"},
        granted=RULE,  # only during the contract: the world's pathway is before it
    ),
    "POST /cej/pathways/{pathway_id}/missed-actions/{missed_id}/decision": ApiBound(
        {**PATHWAY, "missed_id": "missed"},
        MISSION_LOCALE_W,
        body={"confirmed": False, "decided_on": TODAY},
    ),
    "GET /cej/pathways/{pathway_id}/pacea-requests": ApiBound(PATHWAY, EE_R),
    "POST /cej/pathways/{pathway_id}/pacea-requests": ApiBound(
        PATHWAY,
        EE_W,
        body={"requested_on": TODAY, "requested_by": "Référente", "amount": "20.00"},
        granted=201,
    ),
    "POST /cej/pathways/{pathway_id}/pacea-requests/{request_id}/decision": ApiBound(
        {**PATHWAY, "request_id": "pacea"},
        MISSION_LOCALE_W,
        body={"granted": True, "decided_on": TODAY},
    ),
    "GET /cej/pathways/{pathway_id}/plan": ApiBound(PATHWAY, EE_R),
    # the plan is started: a second start is refused (422), once past the policy
    "POST /cej/pathways/{pathway_id}/plan": ApiBound(
        PATHWAY, EE_W, body={"diagnosis_on": TODAY}, granted=RULE
    ),
    "POST /cej/pathways/{pathway_id}/plan/actions": ApiBound(
        PATHWAY,
        EE_W,
        body={
            "dimension": "employment",
            "objective": "Un emploi",
            "action": "Atelier CV",
            "owner_organisation_id": "@owner",
            "owner_id": "@referent",
            "due_on": TODAY,
        },
        granted=201,
    ),
    "POST /cej/pathways/{pathway_id}/plan/actions/{action_id}/status": ApiBound(
        {**PATHWAY, "action_id": "plan_action"},
        writes(Category.HOUSING),  # a housing action: its category decides
        body={"status": "done"},
    ),
    "GET /cej/pathways/{pathway_id}/activities": ApiBound(PATHWAY, EE_R),
    "POST /cej/pathways/{pathway_id}/activities": ApiBound(
        PATHWAY,
        EE_W,
        body={
            "kind": "workshop",
            "title": "Atelier numérique",
            "starts_at": "2030-01-07T10:00:00+01:00",
            "duration_minutes": 60,
            "responsible_id": "@owner",
        },
        granted=201,
    ),
    "POST /cej/pathways/{pathway_id}/activities/{activity_id}/attendance": ApiBound(
        {**PATHWAY, "activity_id": "activity"}, EE_W, body={"attended": True}
    ),
    "GET /cej/pathways/{pathway_id}/weekly-hours": ApiBound(PATHWAY, EE_R),
    "GET /cej/pathways/{pathway_id}/reviews": ApiBound(PATHWAY, EE_R),
    "POST /cej/pathways/{pathway_id}/reviews/{review_id}/ratings": ApiBound(
        {**PATHWAY, "review_id": "review"},
        EE_W,
        body={"rater": "youth", "scores": {"employment": 2}},
        granted=201,
    ),
    "POST /cej/pathways/{pathway_id}/reviews/{review_id}/close": ApiBound(
        {**PATHWAY, "review_id": "review"},
        EE_W,
        body={"held_on": TODAY, "next_steps": "Continuer"},
        granted=RULE,  # no dimension is rated yet
    ),
    # the placement request, its proposal and the stay (housing)
    "GET /housing/requests/{request_id}": ApiBound(
        {"request_id": "request"}, everyone, sees=filer_or_coordination
    ),
    "POST /housing/requests/{request_id}/proposals": ApiBound(
        {"request_id": "request"},
        everyone,
        sees=coordination,
        body={"site_id": "@site", "entry_date": TODAY},
        granted=RULE,  # the youth is already admitted
    ),
    # the proposal is accepted and the youth admitted: the host's team no longer sees it,
    # the coordination is told so (422)
    "POST /housing/proposals/{proposal_id}/answer": ApiBound(
        {"proposal_id": "proposal"},
        everyone,
        sees=coordination,
        body={"accept": True},
        granted=RULE,
    ),
    "POST /housing/proposals/{proposal_id}/admit": ApiBound(
        {"proposal_id": "proposal"},
        everyone,
        sees=coordination,
        body={"entry_date": TODAY},
        granted=RULE,
    ),
    "GET /housing/stays/{stay_id}": ApiBound({"stay_id": "stay"}, reads(Category.HOUSING)),
    "POST /housing/stays/{stay_id}/transfer": ApiBound(
        {"stay_id": "stay"},
        coordination,
        body={"to_site_id": "@other_site", "on": TODAY, "reason": "capacity"},
        granted=201,
    ),
    "POST /housing/stays/{stay_id}/exit": ApiBound(
        {"stay_id": "stay"},
        writes(Category.HOUSING),
        body={"on": TODAY, "reason": "family"},
    ),
    # orientations: the youth's, and one sent (the service outside Coparcours answers)
    "GET /directory/youths/{youth_id}/orientation": ApiBound(YOUTH, reads(Category.IDENTITY)),
    "GET /directory/youths/{youth_id}/referrals": ApiBound(YOUTH, reads(Category.IDENTITY)),
    "POST /directory/youths/{youth_id}/referrals": ApiBound(
        YOUTH,
        writes(Category.IDENTITY),
        body={
            "service_id": "@service",
            "categories": [],
            "message": "Orientation",
            "consented_categories": [Category.IDENTITY],
            "consent_given_by": "youth",
            "consent_method": "signed_form",
        },
        granted=201,
    ),
    "POST /directory/referrals/{referral_id}/answer": ApiBound(
        {"referral_id": "referral"}, everyone, sees=nobody, body={"accepted": True}
    ),
    # unmet needs: those of the youth the caller reads
    "GET /needs/youths/{youth_id}": ApiBound(YOUTH, reads(Category.IDENTITY)),
}

#: API operations taking an id that names no youth's record, and why.
API_NOT_YOUTH_BOUND: dict[str, str] = {
    "GET /organisations/{organisation_id}": "an organisation of the directory",
    "GET /consortia/{consortium_id}": "a consortium",
    "GET /cej/meetings/{meeting_id}": "a partnership's committee (tests/cej)",
    "POST /cej/meetings/{meeting_id}/decisions": "a partnership's committee (tests/cej)",
    "GET /cej/follow-ups/{follow_up_id}": "a weekly follow-up addressed to one person",
    "GET /directory/guides/{guide_id}": "a partners' guide",
    "GET /directory/guides/{guide_id}/versions/{number}/file": "a partners' guide",
    "POST /directory/guides/{guide_id}/versions": "a partners' guide",
    "GET /directory/meetings/{meeting_id}": "a partners' meeting",
    "GET /directory/meetings/{meeting_id}/invitation.ics": "a partners' meeting",
    "POST /directory/meetings/{meeting_id}/decisions": "a partners' meeting",
    "GET /finance/invoices/{invoice_id}": "a member's invoice (tests/finance)",
    "POST /finance/invoices/{invoice_id}/credit-note": "a member's invoice (tests/finance)",
    "GET /reporting/{key}": "a dashboard of aggregates",
}

#: Path parameters that always name a youth's record.
API_YOUTH_BOUND_PARAMETERS = {
    "youth_id",
    "pathway_id",
    "stay_id",
    "proposal_id",
    "referral_id",
    "document_id",
}
API_YOUTH_BOUND_PREFIXES = (
    "/youths/{",
    "/housing/requests/{",
    "/directory/youths/{",
    "/needs/youths/{",
)
