"""The Nord GME's money in the demonstration: daily rates (one changed mid-year), three
months billed to the Département and paid (the last one in part), passed on to the
members, the members' trial balances of last year (two FEC, one CSV) and their forecast
budgets. Loading it again changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from coparcours.accounts.models import User
from coparcours.finance import rules, selectors
from coparcours.finance.imports import FEC_COLUMNS
from coparcours.finance.models import BalanceSource, DailyRate, DayCount, FunctionalGroup
from coparcours.finance.services.balances import (
    import_trial_balance,
    set_account_group,
    set_forecast_budget,
)
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.payments import record_payment
from coparcours.finance.services.rates import set_daily_rate
from coparcours.organisations.models import Consortium, Organisation

#: Prix de journée by kind of hosting (fictitious figures of the right order).
DEMO_RATES = {
    "mecs": Decimal("185.00"),
    "collective": Decimal("168.50"),
    "diffuse": Decimal("121.30"),
    "emergency": Decimal("212.00"),
    "other_establishment": Decimal("152.75"),
}
RATES_FROM = datetime.date(2025, 1, 1)
RATES_DECISION = "Arrêté du Président du Département du 18 décembre 2024"
NEW_RATE = ("alefpa", "mecs", datetime.date(2026, 7, 1), Decimal("192.40"))

#: Last year's accounts of each member: (account, label, amount) — expenses as debits,
#: revenues as credits; the bank (512000) balances each entry.
DEMO_ACCOUNTS = {
    "alefpa": [
        ("606100", "Fournitures non stockables", "48250,00"),
        ("611000", "Sous-traitance générale", "12400,00"),
        ("613200", "Locations immobilières", "96000,00"),
        ("641100", "Salaires et appointements", "612500,00"),
        ("645100", "Cotisations URSSAF", "241800,00"),
        ("681100", "Dotations aux amortissements", "38600,00"),
        ("731100", "Produits de la tarification", "1032400,00"),
        ("758000", "Produits divers de gestion courante", "6150,00"),
        ("706800", "Encaissements pour le compte des membres", "1254300,00"),
        ("658800", "Reversements aux membres du groupement", "1254300,00"),
    ],
    "temps_de_vie": [
        ("606100", "Fournitures non stockables", "31200,00"),
        ("613200", "Locations immobilières", "72000,00"),
        ("641100", "Salaires et appointements", "402300,00"),
        ("645100", "Cotisations URSSAF", "158900,00"),
        ("661100", "Intérêts des emprunts", "4100,00"),
        ("731100", "Produits de la tarification", "658700,00"),
        ("768000", "Autres produits financiers", "820,00"),
    ],
    "asrl": [
        ("606100", "Fournitures non stockables", "27400,00"),
        ("613200", "Locations immobilières", "54000,00"),
        ("641100", "Salaires et appointements", "318900,00"),
        ("645100", "Cotisations URSSAF", "126700,00"),
        ("731100", "Produits de la tarification", "595600,00"),
        ("741000", "Subventions d'exploitation", "12000,00"),
    ],
}
DEMO_BUDGETS = {
    "alefpa": ("60000", "860000", "140000", "1030000", "5000", "0"),
    "temps_de_vie": ("32000", "555000", "80000", "660000", "0", "500"),
    "asrl": ("30000", "440000", "58000", "590000", "12000", "0"),
}


def _months_before(day: datetime.date, count: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - count
    return index // 12, index % 12 + 1


def _fec(year: int, accounts: list[tuple[str, str, str]]) -> list[bytes]:
    """A small FEC: one bank entry per account, dated through the year."""
    lines = ["\t".join(FEC_COLUMNS)]
    for number, (account, label, amount) in enumerate(accounts, start=1):
        day = f"{year}{(number % 12) + 1:02d}15"
        expense = account.startswith("6")
        common = f"BQ\tBanque\t{number}\t{day}"
        tail = f"\t\t\tP{number}\t{day}\t{label}"
        debit, credit = (amount, "0,00") if expense else ("0,00", amount)
        lines.append(f"{common}\t{account}\t{label}{tail}\t{debit}\t{credit}\t\t\t{day}\t\t")
        lines.append(f"{common}\t512000\tBanque{tail}\t{credit}\t{debit}\t\t\t{day}\t\t")
    return [line.encode() + b"\n" for line in lines]


def _written(cents: int) -> str:
    """An amount as the members' accounting files write it (``1234,56``)."""
    return f"{cents // 100},{cents % 100:02d}"


def _csv(accounts: list[tuple[str, str, str]]) -> list[bytes]:
    lines = ["compte;libelle;debit;credit"]
    bank = 0
    for account, label, amount in accounts:
        cents = rules.parse_cents(amount)
        if account.startswith("6"):
            lines.append(f"{account};{label};{amount};0")
            bank -= cents
        else:
            lines.append(f"{account};{label};0;{amount}")
            bank += cents
    bank_amount = _written(abs(bank))
    lines.append(f"512000;Banque;{bank_amount};0" if bank > 0 else f"512000;Banque;0;{bank_amount}")
    return [line.encode() + b"\n" for line in lines]


def _scale_to_billing(invoices: list, members: dict[str, Organisation]) -> dict[str, Decimal]:
    """For a year billed at the field's scale, how much larger each member's accounts of
    last year are than the small demo's: its revenue from the tarification (731100)
    becomes what the year's invoices bring it, its other accounts in proportion."""
    billed = {
        key: sum(
            (
                line.amount
                for invoice in invoices
                for line in invoice.lines.all()
                if line.organisation_id == member.pk
            ),
            Decimal("0"),
        )
        for key, member in members.items()
    }
    tarification = {
        key: rules.cents_to_decimal(rules.parse_cents(amount))
        for key in members
        for account, _, amount in DEMO_ACCOUNTS[key]
        if account == "731100"
    }
    return {key: billed[key] / tarification[key] for key in members if billed[key]}


def _scaled(accounts: list[tuple[str, str, str]], factor: Decimal) -> list[tuple[str, str, str]]:
    """The accounts multiplied by ``factor``, to the cent, as a FEC writes amounts."""
    if factor == 1:
        return accounts
    scaled = []
    for account, label, amount in accounts:
        cents = rules.parse_cents(amount)
        value = (Decimal(cents) * factor).quantize(Decimal("1"))
        scaled.append((account, label, _written(int(value))))
    return scaled


def load_finance_demo(
    gme: Consortium, org: dict[str, Organisation], users: dict[str, User], months: int = 3
) -> None:
    """Rates, invoices, payments, redistributions, trial balances and budgets of the GME:
    the ``months`` before last billed (last month is left to bill)."""
    if DailyRate.objects.filter(consortium=gme).exists():
        return
    manager = users["finances"]
    members = {key: org[key] for key in ("alefpa", "temps_de_vie", "asrl")}
    for member in members.values():  # every kind: a member may host on a borrowed site
        for kind in DEMO_RATES:
            set_daily_rate(manager, gme, member, kind, RATES_FROM, DEMO_RATES[kind], RATES_DECISION)
    key, kind, start, amount = NEW_RATE
    set_daily_rate(
        manager, gme, org[key], kind, start, amount, "Arrêté du Président du 24 juin 2026"
    )

    today = datetime.date.today()
    invoices = []
    for back in range(months + 1, 1, -1):
        year, month = _months_before(today, back)
        start, end = rules.month_bounds(year, month)
        if not selectors.occupied_days_by_line(gme, start, end, DayCount.ENTRY):
            continue  # no stay that month in the housing demo: nothing to bill
        invoices.append(
            bill_month(
                manager, gme, year, month, issued_on=end + datetime.timedelta(days=4)
            ).invoice
        )
    for index, invoice in enumerate(invoices):
        received = min(invoice.issued_on + datetime.timedelta(days=15), today)
        share = Decimal("1") if index < len(invoices) - 1 else Decimal("0.6")
        record_payment(
            manager,
            gme,
            received,
            (invoice.total * share).quantize(rules.CENT),
            [invoice],
            f"VIR DEPARTEMENT DU NORD FACTURE {invoice.number}",
        )

    last_year = today.year - 1
    scale = _scale_to_billing(invoices, members) if months >= 12 else {}
    for key, member in members.items():
        factor = scale.get(key, Decimal("1"))
        accounts = _scaled(DEMO_ACCOUNTS[key], factor)
        if key == "asrl":
            chunks, source, name = _csv(accounts), BalanceSource.CSV, "balance-asrl.csv"
        else:
            siren = member.siret[:9]
            chunks, source = _fec(last_year, accounts), BalanceSource.FEC
            name = f"{siren}FEC{last_year}1231.txt"
        import_trial_balance(manager, gme, member, last_year, source, chunks, name)
        budget = dict(
            zip(
                [
                    FunctionalGroup.EXPENSE_1,
                    FunctionalGroup.EXPENSE_2,
                    FunctionalGroup.EXPENSE_3,
                    FunctionalGroup.REVENUE_1,
                    FunctionalGroup.REVENUE_2,
                    FunctionalGroup.REVENUE_3,
                ],
                [(Decimal(value) * factor).quantize(Decimal("1")) for value in DEMO_BUDGETS[key]],
                strict=True,
            )
        )
        set_forecast_budget(manager, gme, member, last_year, budget)
    for account in ("706800", "658800"):
        set_account_group(manager, gme, account, FunctionalGroup.ELIMINATED)
