"""Who coordinates, funds or works for a member of a GME, as the housing reads it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from coparcours.core.access import Capability, Standing, consortia_where, organisations_where
from coparcours.organisations.models import Consortium


def coordinated_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs whose coordination the user works in (the lead member's coordinator)."""
    return consortia_where(user, Capability.HOUSING_COORDINATION)


def funded_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs funded by an organisation where the user follows the funder's requests."""
    return consortia_where(user, Capability.HOUSING_REQUESTS, standing=Standing.GME_FUNDER)


def staff_organisation_ids(user: Any) -> set[int]:
    """The user's GME members whose proposals, stays, sites and loans they handle."""
    return organisations_where(user, Capability.HOUSING_MEMBER)


def funder_organisation_ids(user: Any) -> set[int]:
    """The user's funders (the Département) on whose behalf they file placement requests."""
    return organisations_where(user, Capability.HOUSING_REQUEST_FILE)


def lead_organisation_id(consortium: Consortium) -> int:
    return consortium.members.get(is_lead=True).organisation_id
