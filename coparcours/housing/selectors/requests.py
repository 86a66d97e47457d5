"""Placement requests and proposals the user may see or act on, the audit of a request's
reading, and the waiting list."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coparcours.core.access import Capability, Category, organisations_where
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.housing.models.requests import (
    PlacementRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from coparcours.housing.selectors.roles import (
    coordinated_consortia,
    funder_organisation_ids,
    staff_organisation_ids,
)
from coparcours.organisations.models import Consortium, Organisation


def requests_for(user: Any) -> QuerySet[PlacementRequest]:
    """Requests the user may see: all of a coordinated GME, or those its own funder filed."""
    coordinated = coordinated_consortia(user)
    funder_ids = funder_organisation_ids(user)
    return (
        PlacementRequest.objects.filter(Q(consortium__in=coordinated) | Q(funder_id__in=funder_ids))
        .select_related("consortium", "funder")
        .distinct()
    )


def proposals_to_answer(user: Any) -> QuerySet[Proposal]:
    """Places proposed to the user's GME members (on their sites or sites lent to them)
    that wait for their answer or, accepted, for the admission."""
    ids = staff_organisation_ids(user)
    return (
        Proposal.objects.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED])
        .filter(Q(site__organisation_id__in=ids) | Q(site__loans__borrower_id__in=ids))
        .select_related("request", "site__organisation")
        .distinct()
    )


def proposals_for(user: Any) -> QuerySet[Proposal]:
    """The proposals the user may act on (page or API): those waiting for their team, and
    every proposal of a GME they coordinate; any other is answered as one that does not
    exist."""
    return Proposal.objects.filter(
        Q(pk__in=proposals_to_answer(user).values("pk"))
        | Q(site__consortium__in=coordinated_consortia(user))
    ).select_related("request", "site__organisation")


def record_request_read(user: Any, placement: PlacementRequest) -> None:
    """Audit a reading of a placement request (page or API): it shows the requested youth's
    name and birth date (identity) to its funder or to the GME's coordination. The line
    names the request, and the youth once the request is linked to their record (CNIL
    référentiel 2021-028)."""
    lead = (
        Organisation.objects.only("id", "name")
        .filter(
            consortium_memberships__consortium_id=placement.consortium_id,
            consortium_memberships__is_lead=True,
        )
        .first()
    )
    coordinates = lead is not None and lead.pk in organisations_where(
        user, Capability.HOUSING_COORDINATION
    )
    record(
        user,
        AuditEvent.READ,
        organisation=lead if coordinates else placement.funder,
        youth_id=placement.youth_id,
        category=Category.IDENTITY,
        obj=placement,
    )


def waiting_list(consortium: Consortium) -> QuerySet[PlacementRequest]:
    """Requests without a place, the most urgent first, then by requested date."""
    return PlacementRequest.objects.filter(
        consortium=consortium, status__in=[RequestStatus.RECEIVED, RequestStatus.WAITING]
    ).order_by("urgency_rank", "requested_date", "pk")
