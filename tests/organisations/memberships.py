"""Giving and ending memberships as an administrator's forms do: through
``organisations.services.save_membership``."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from coparcours.organisations import services
from coparcours.organisations.models import Membership, Organisation


def give_membership(
    user: Any,
    organisation: Organisation,
    role: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    by: Any,
) -> Membership:
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        start_date=start or timezone.localdate(),
        end_date=end,
    )
    return services.save_membership(membership, None, by=by)


def end_membership(membership: Membership, on: datetime.date, *, by: Any) -> Membership:
    before = services.MembershipTerms.of(membership)
    membership.end_date = on
    return services.save_membership(membership, before, by=by)
