"""The register's API: a youth's needs as far as the caller may read them (the page's
rule: each need's category and author decided by the access policy)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires
from coparcours.needs import selectors
from coparcours.youths.selectors import youth_for

router = Router(tags=["Besoins sans réponse"])


class NeedOut(Schema):
    id: int
    dimension: str
    dimension_label: str
    since: datetime.date
    description: str
    status: str
    closed_on: datetime.date | None
    outcome: str
    author_organisation_id: int
    referral_ids: list[int]


@router.get("/youths/{youth_id}", response=list[NeedOut], summary="Besoins sans réponse d'un jeune")
@api_requires(Capability.NEEDS, categories=selectors.CATEGORIES)
def youth_needs(request: HttpRequest, youth_id: int):
    youth = youth_for(request.auth, youth_id)
    return [
        NeedOut(
            id=need.pk,
            dimension=need.dimension,
            dimension_label=need.get_dimension_display(),
            since=need.since,
            description=need.description,
            status=need.status,
            closed_on=need.closed_on,
            outcome=need.outcome,
            author_organisation_id=need.author_organisation_id,
            referral_ids=[referral.pk for referral in need.tried],
        )
        for need in selectors.needs_for_youth(request.auth, youth)
    ]
