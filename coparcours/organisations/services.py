"""Operations on organisations, consortia and memberships (each in one transaction)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.organisations.models import (
    Consortium,
    ConsortiumMember,
    Membership,
    Organisation,
)


def lead_count_error(leads: int) -> str | None:
    """A consortium has exactly one lead member (mandataire, CCP R.2142-24)."""
    if leads == 1:
        return None
    if leads == 0:
        return "Désignez le mandataire : un membre du groupement doit l'être."
    return "Un seul membre peut être mandataire du groupement."


@transaction.atomic
def create_consortium(
    *,
    members: Sequence[Organisation],
    lead: Organisation,
    **fields,
) -> Consortium:
    """Create a consortium with its members; the lead must be one of them."""
    if lead not in members:
        raise ValidationError("Le mandataire doit être membre du groupement.")
    consortium = Consortium(**fields)
    consortium.full_clean()
    consortium.save()
    for organisation in members:
        member = ConsortiumMember(
            consortium=consortium,
            organisation=organisation,
            is_lead=organisation == lead,
            joined_on=consortium.start_date,
        )
        member.full_clean()
        member.save()
    return consortium


@transaction.atomic
def add_membership(
    user,
    organisation: Organisation,
    role: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Membership:
    """Give a user a role in an organisation; overlapping duplicates are refused."""
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        start_date=start_date or timezone.localdate(),
        end_date=end_date,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def end_membership(membership: Membership, on: datetime.date | None = None) -> Membership:
    """End a membership on a day (it stays in history; it is never deleted)."""
    membership.end_date = on or timezone.localdate()
    membership.full_clean()
    membership.save(update_fields=["end_date", "updated_at"])
    return membership
