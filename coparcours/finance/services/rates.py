"""Daily rates of the members, per kind of hosting, with their history."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from coparcours.finance import rules
from coparcours.finance.models import DailyRate
from coparcours.finance.services.common import require_manager, require_member
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Consortium, Organisation


def set_daily_rate(
    user: Any,
    consortium: Consortium,
    organisation: Organisation,
    kind: str,
    start_date: datetime.date,
    amount: Decimal,
    decision: str = "",
) -> DailyRate:
    """Record a daily rate from a date; the rate in force until then ends the day before
    (history kept). A rate may change mid-year (new tarification decision)."""
    require_manager(user, consortium)
    require_member(consortium, organisation)
    if kind not in SiteKind.values:
        raise ValidationError({"kind": "Type d'accueil inconnu."})
    if amount is None or amount <= 0 or amount != amount.quantize(rules.CENT):
        raise ValidationError({"amount": "Le prix de journée est un montant positif, au centime."})
    with transaction.atomic():
        rates = DailyRate.objects.select_for_update().filter(
            consortium=consortium, organisation=organisation, kind=kind
        )
        if rates.filter(start_date__gte=start_date).exists():
            raise ValidationError(
                {
                    "start_date": "Un prix de journée commence déjà à cette date ou après : "
                    "saisissez une date postérieure au dernier prix enregistré."
                }
            )
        current = rates.filter(Q(end_date__isnull=True) | Q(end_date__gt=start_date)).first()
        if current is not None:
            current.end_date = start_date
            current.save(update_fields=["end_date", "updated_at"])
        return DailyRate.objects.create(
            consortium=consortium,
            organisation=organisation,
            kind=kind,
            start_date=start_date,
            amount=amount,
            decision=decision,
            created_by=user,
        )
