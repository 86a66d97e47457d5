"""The consolidated account: members' trial balances (CSV or FEC), the account mapping
and the forecast budgets."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import Capability, may_in_consortium, organisations_where
from coparcours.core.tabular import FileRefused
from coparcours.finance import imports, rules
from coparcours.finance.models import (
    BUDGET_GROUPS,
    AccountMapping,
    BalanceSource,
    ForecastBudget,
    TrialBalance,
    TrialBalanceLine,
)
from coparcours.finance.services.common import require_manager, require_member
from coparcours.organisations.models import Consortium, Organisation


def may_import_for(user: Any, consortium: Consortium, organisation: Organisation) -> bool:
    """A member's finance officer imports its own balance; the lead's managers any."""
    return organisation.pk in organisations_where(
        user, Capability.FINANCE_BALANCES
    ) or may_in_consortium(user, Capability.FINANCE_MANAGE, consortium)


def _file_sha256(stream: Any) -> str | None:
    """The hash of a seekable file, read in large blocks, the file then rewound."""
    if not (hasattr(stream, "seek") and hasattr(stream, "read")):
        return None
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def _refuse_twice(organisation: Organisation, sha256: str) -> None:
    previous = (
        TrialBalance.objects.filter(organisation=organisation, sha256=sha256)
        .only("created_at", "year")
        .first()
    )
    if previous is not None:
        raise ValidationError(
            f"Ce fichier a déjà été importé le {timezone.localtime(previous.created_at):%d/%m/%Y} "
            f"(exercice {previous.year}) : rien n'a été enregistré."
        )


def import_trial_balance(
    user: Any,
    consortium: Consortium,
    organisation: Organisation,
    year: int,
    source: str,
    chunks: Iterable[bytes],
    file_name: str,
) -> TrialBalance:
    """Import a member's trial balance for a year from a CSV (compte, libelle, debit,
    credit) or from its FEC (LPF A.47 A-1), read as a stream. Every error is listed with
    its line and column and nothing is saved; the same file twice is refused."""
    if not may_import_for(user, consortium, organisation):
        raise PermissionDenied(
            "Seul le responsable financier du membre, ou le mandataire, importe sa balance."
        )
    require_member(consortium, organisation)
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": "Exercice invalide."})
    known = _file_sha256(chunks)
    if known is not None:
        _refuse_twice(organisation, known)  # before reading the whole file line by line
    if source == BalanceSource.FEC:
        parsed = imports.parse_fec(chunks, year)
    elif source == BalanceSource.CSV:
        parsed = imports.parse_trial_balance(chunks)
    else:
        raise ValidationError({"source": "Format inconnu."})
    _refuse_twice(organisation, parsed.sha256)
    if parsed.errors:
        raise FileRefused(parsed.errors)
    if not parsed.accounts:
        raise ValidationError("Le fichier ne contient aucune écriture.")
    with transaction.atomic():
        balance = TrialBalance.objects.create(
            consortium=consortium,
            organisation=organisation,
            year=year,
            source=source,
            file_name=file_name[:255],
            sha256=parsed.sha256,
            line_count=parsed.line_count,
            imported_by=user,
        )
        TrialBalanceLine.objects.bulk_create(
            [
                TrialBalanceLine(
                    trial_balance=balance, account=account, label=label, debit=debit, credit=credit
                )
                for account, label, debit, credit in parsed.lines()
            ],
            batch_size=1000,
        )
    return balance


def set_account_group(user: Any, consortium: Consortium, account: str, group: str) -> None:
    """Override the default functional group of one account (lead member); choosing the
    default group again removes the override."""
    require_manager(user, consortium)
    account = account.strip()
    if not account.isdigit() or not 3 <= len(account) <= 20:
        raise ValidationError({"account": "Un numéro de compte est fait de 3 à 20 chiffres."})
    if group == rules.default_group(account):
        AccountMapping.objects.filter(consortium=consortium, account=account).delete()
        return
    AccountMapping.objects.update_or_create(
        consortium=consortium, account=account, defaults={"group": group, "changed_by": user}
    )


def set_forecast_budget(
    user: Any,
    consortium: Consortium,
    organisation: Organisation,
    year: int,
    amounts: dict[str, Decimal],
) -> None:
    """Record a member's forecast budget per functional group for a year."""
    if not may_import_for(user, consortium, organisation):
        raise PermissionDenied(
            "Seul le responsable financier du membre, ou le mandataire, saisit son budget."
        )
    require_member(consortium, organisation)
    with transaction.atomic():
        for group in BUDGET_GROUPS:
            amount = amounts.get(group)
            if amount is None:
                continue
            if amount < 0 or amount != amount.quantize(rules.CENT):
                raise ValidationError({group: "Montant positif, au centime."})
            ForecastBudget.objects.update_or_create(
                consortium=consortium,
                organisation=organisation,
                year=year,
                group=group,
                defaults={"amount": amount},
            )
