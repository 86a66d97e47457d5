"""The orientations over the REST API: the queue of the partnerships where the caller
handles them, as on its page (reference, partnership, state, orienting structure; the
youth's details stay on the audited page)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires
from coparcours.orientations import selectors

router = Router(tags=["Orientations"])


class PartnerOrientationOut(Schema):
    id: int
    reference: str
    consortium_id: int
    status: str
    status_since: datetime.date
    partner_structure: str
    pathway_id: int | None


@router.get(
    "/orientations",
    response=list[PartnerOrientationOut],
    summary="Orientations reçues des partenaires",
)
@paginate
@api_requires(Capability.ORIENTATIONS)
def list_orientations(request: HttpRequest, status: str = ""):
    rows = selectors.orientations_for(request.auth).order_by("-created_at", "-pk")
    return rows.filter(status=status) if status else rows
