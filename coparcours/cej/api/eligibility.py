"""Eligibility: the engine's answer at a date, and the checks recorded."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema

from coparcours.cej import selectors
from coparcours.cej.api.router import PATHWAY_DATA, router
from coparcours.cej.services import eligibility
from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires


class EligibilityOut(Schema):
    status: str
    label: str
    date: datetime.date
    eligible_from: datetime.date | None
    reasons: list[str]
    facts: dict


class CheckOut(Schema):
    id: int
    checked_on: datetime.date
    at_entry: bool
    status: str
    eligible_from: datetime.date | None
    reasons: list[str]
    facts: dict
    overall_assessment: str
    justification: str


@router.get(
    "/pathways/{pathway_id}/eligibility",
    response={200: EligibilityOut},
    summary="Éligibilité à une date (par défaut aujourd'hui), motifs et faits",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def get_eligibility(request: HttpRequest, pathway_id: int, date: datetime.date | None = None):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    day = date or timezone.localdate()
    result = eligibility.compute_eligibility(pathway, day)
    return EligibilityOut(
        status=result.status,
        label=result.label,
        date=day,
        eligible_from=result.eligible_from,
        reasons=list(result.reasons),
        facts=result.facts,
    )


@router.get(
    "/pathways/{pathway_id}/checks", response=list[CheckOut], summary="Vérifications enregistrées"
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_checks(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return list(pathway.checks.all())
