"""Helpers shared by the finance services: who manages a GME's money, membership check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from coparcours.core.access import Capability, require_in_consortium
from coparcours.finance import selectors
from coparcours.organisations.models import Consortium, Organisation

ZERO = Decimal("0.00")


def require_manager(user: Any, consortium: Consortium) -> None:
    """Billing, payments, rates and the mapping belong to the lead member's finance officer
    or coordination."""
    require_in_consortium(user, Capability.FINANCE_MANAGE, consortium, selectors.NOT_MANAGER)


def require_member(consortium: Consortium, organisation: Organisation) -> None:
    """Refuse an organisation that is not a member of the GME."""
    if not consortium.members.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": "Cette organisation n'est pas membre du groupement."}
        )
