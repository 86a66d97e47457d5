"""Trial balances (CSV and FEC), the mapping of accounts and the consolidated
administrative account."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.finance import imports, rules, selectors
from coparcours.finance.models import (
    BalanceSource,
    ForecastBudget,
    FunctionalGroup,
    TrialBalance,
    TrialBalanceLine,
)
from coparcours.finance.services.balances import (
    import_trial_balance,
    set_account_group,
    set_forecast_budget,
)
from coparcours.organisations.models import Role

from .test_views import FEC_HEADER, fec_line


def chunks(text: str, encoding: str = "utf-8") -> list[bytes]:
    return [line.encode(encoding) + b"\n" for line in text.splitlines()]


def import_fec(money, text, organisation=None, year=2024, user=None):
    return import_trial_balance(
        user or money.manager,
        money.consortium,
        organisation or money.gme.lead,
        year,
        BalanceSource.FEC,
        chunks(text),
        "FEC.txt",
    )


GOOD_FEC = (
    FEC_HEADER
    + fec_line(1, "20240131", "641100", "Salaires", "1000,00", "0,00")
    + fec_line(1, "20240131", "512000", "Banque", "0,00", "1000,00")
    + fec_line(2, "20240215", "512000", "Banque", "1500,5", "")
    + fec_line(2, "20240215", "731100", "Produits de la tarification", "", "1500,50")
)


def test_a_fec_becomes_a_trial_balance(money):
    balance = import_fec(money, GOOD_FEC)
    assert [(line.account, line.debit, line.credit) for line in balance.lines.all()] == [
        ("512000", Decimal("1500.50"), Decimal("1000.00")),
        ("641100", Decimal("1000.00"), Decimal("0.00")),
        ("731100", Decimal("0.00"), Decimal("1500.50")),
    ]
    assert balance.line_count == 5


def test_a_pipe_separated_latin1_fec_with_signed_amounts(money):
    header = FEC_HEADER.replace("Debit\tCredit", "Montant\tSens").replace("\t", "|")
    body = (
        "VT|Ventes|7|20240301|706000|Prestations facturées|||F7|20240301|Vente|250,00|C|||||\n"
        "VT|Ventes|7|20240301|411000|Clients|||F7|20240301|Vente|250,00|D|||||\n"
    )
    balance = import_trial_balance(
        money.manager,
        money.consortium,
        money.gme.member_b,
        2024,
        BalanceSource.FEC,
        chunks(header + body, "iso-8859-15"),
        "FEC.txt",
    )
    assert balance.lines.get(account="706000").label == "Prestations facturées"


def test_the_same_file_twice_is_refused(money):
    import_fec(money, GOOD_FEC)
    with pytest.raises(ValidationError, match="déjà été importé"):
        import_fec(money, GOOD_FEC)
    assert TrialBalance.objects.count() == 1


def test_a_fec_with_errors_saves_nothing_and_says_where(money):
    bad = (
        FEC_HEADER
        + fec_line(1, "20240131", "641100", "Salaires", "1000,00", "0,00")
        + fec_line(1, "20240131", "512000", "Banque", "0,00", "900,00")  # unbalanced
        + fec_line(2, "20230215", "512000", "Banque", "10,00", "0,00")  # outside the year
        + fec_line(2, "20240215", "731100", "Tarif", "0,00", "dix euros")  # text
        + fec_line(3, "20240230", "AB12", "Compte", "5,00", "0,00")  # date, account
        + "BQ\tBanque\t4\t20240301\t512000\n"  # missing fields
    )
    with pytest.raises(ValidationError) as error:
        import_fec(money, bad)
    assert [m.replace("\u202f", " ") for m in error.value.messages] == [
        "Ligne 4, colonne « EcritureDate » : la date 15/02/2023 est en dehors de l'exercice 2024.",
        "Ligne 5, colonne « Credit » : « dix euros » n'est pas un montant (ex. 1234,56).",
        "Ligne 6, colonne « EcritureDate » : « 20240230 » n'est pas une date valide.",
        "Ligne 6, colonne « CompteNum » : « AB12 » ne commence pas par trois chiffres du plan "
        "comptable.",
        "Ligne 7 : 5 champs au lieu de 18.",
        "Ligne 2, colonne « EcritureNum » : l'écriture 1 du journal BQ n'est pas équilibrée "
        "(débit 1 000,00 € ≠ crédit 900,00 €).",
        "Ligne 4, colonne « EcritureNum » : l'écriture 2 du journal BQ n'est pas équilibrée "
        "(débit 10,00 € ≠ crédit 0,00 €).",
        "Ligne 6, colonne « EcritureNum » : l'écriture 3 du journal BQ n'est pas équilibrée "
        "(débit 5,00 € ≠ crédit 0,00 €).",
    ]
    assert not TrialBalance.objects.exists() and not TrialBalanceLine.objects.exists()


def test_a_fec_with_a_missing_column(money):
    header = FEC_HEADER.replace("\tCompAuxLib", "")
    with pytest.raises(ValidationError) as error:
        import_fec(money, header + "x\n")
    assert error.value.messages == [
        "Ligne 1, colonne « CompAuxLib » : colonne manquante dans l'en-tête."
    ]


def test_errors_beyond_a_thousand_are_counted():
    lines = [FEC_HEADER] + ["BQ\tBanque\n"] * 1500
    parsed = imports.parse_fec(chunks("".join(lines)), 2024)
    messages = parsed.errors.messages()
    assert len(messages) == 1001 and messages[-1] == "… et 500 autres erreurs."


def test_a_trial_balance_csv(money):
    text = (
        "compte;libellé;débit;crédit\n"
        "606100;Fournitures;1 200,00;0\n"
        "641100;Salaires;8000;0\n"
        "731100;Dotation globale;0;9200,00\n"
    )
    balance = import_trial_balance(
        money.manager,
        money.consortium,
        money.gme.member_c,
        2024,
        BalanceSource.CSV,
        chunks(text),
        "balance.csv",
    )
    assert balance.lines.count() == 3


def test_an_unbalanced_trial_balance_is_refused(money):
    text = "compte;libelle;debit;credit\n606100;Fournitures;100;0\n731100;Dotation;0;90\n"
    with pytest.raises(ValidationError, match="n'est pas équilibrée"):
        import_trial_balance(
            money.manager,
            money.consortium,
            money.gme.member_c,
            2024,
            BalanceSource.CSV,
            chunks(text),
            "balance.csv",
        )


def test_only_the_members_finance_officer_or_the_lead_imports(money):
    officer_c = money.gme.user(money.gme.member_c, Role.FINANCE_OFFICER)
    import_fec(money, GOOD_FEC, organisation=money.gme.member_c, user=officer_c)
    with pytest.raises(PermissionDenied):
        import_fec(money, GOOD_FEC, organisation=money.gme.member_b, user=officer_c)
    director_b = money.gme.user(money.gme.member_b, Role.DIRECTOR)
    with pytest.raises(PermissionDenied):
        import_fec(money, GOOD_FEC, organisation=money.gme.member_b, user=director_b)


def test_default_mapping_and_override(money):
    assert rules.default_group("606100") == FunctionalGroup.EXPENSE_1
    assert rules.default_group("621100") == FunctionalGroup.EXPENSE_2
    assert rules.default_group("613200") == FunctionalGroup.EXPENSE_3
    assert rules.default_group("731100") == FunctionalGroup.REVENUE_1
    assert rules.default_group("758000") == FunctionalGroup.REVENUE_2
    assert rules.default_group("775000") == FunctionalGroup.REVENUE_3
    assert rules.default_group("512000") == FunctionalGroup.EXCLUDED
    set_account_group(money.manager, money.consortium, "613200", "expense_1")
    assert selectors.overrides(money.consortium) == {"613200": "expense_1"}
    set_account_group(money.manager, money.consortium, "613200", "expense_3")
    assert selectors.overrides(money.consortium) == {}  # back to the default
    with pytest.raises(ValidationError, match="3 à 20 chiffres"):
        set_account_group(money.manager, money.consortium, "6x", "expense_1")
    officer_b = money.gme.user(money.gme.member_b, Role.FINANCE_OFFICER)
    with pytest.raises(PermissionDenied):
        set_account_group(officer_b, money.consortium, "613200", "expense_1")


def test_the_consolidated_account_eliminates_the_group_account_flows(money):
    """The lead books what it receives for the members (706800) and passes on (658800):
    eliminated, the consolidated revenue counts each member's tariff income once."""
    lead = (
        FEC_HEADER
        + fec_line(1, "20240131", "512000", "Banque", "7775,50", "0,00")
        + fec_line(1, "20240131", "706800", "Reçu pour les membres", "0,00", "7775,50")
        + fec_line(2, "20240131", "658800", "Reversé aux membres", "7775,50", "0,00")
        + fec_line(2, "20240131", "512000", "Banque", "0,00", "7775,50")
        + fec_line(3, "20240630", "641100", "Salaires", "300,00", "0,00")
        + fec_line(3, "20240630", "512000", "Banque", "0,00", "300,00")
    )
    member_b = (
        FEC_HEADER
        + fec_line(1, "20240131", "512000", "Banque", "5675,50", "0,00")
        + fec_line(1, "20240131", "731100", "Prix de journée", "0,00", "5675,50")
        + fec_line(2, "20240331", "606100", "Fournitures", "675,50", "0,00")
        + fec_line(2, "20240331", "512000", "Banque", "0,00", "675,50")
    )
    import_fec(money, lead)
    import_fec(money, member_b, organisation=money.gme.member_b)
    for account in ("706800", "658800"):
        set_account_group(money.manager, money.consortium, account, "eliminated")
    set_forecast_budget(
        money.manager,
        money.consortium,
        money.gme.member_b,
        2024,
        {"revenue_1": Decimal("6000.00"), "expense_1": Decimal("500.00")},
    )
    account = selectors.administrative_account(money.consortium, 2024)
    groups = {row.group: row for row in account.groups}
    b, lead_id = money.gme.member_b.pk, money.gme.lead.pk
    assert groups["revenue_1"].by_member == {b: Decimal("5675.50")}
    assert groups["revenue_2"].total == 0  # 706800 eliminated
    assert groups["expense_3"].total == 0  # 658800 eliminated
    assert groups["expense_2"].by_member == {lead_id: Decimal("300.00")}
    assert groups["revenue_1"].variance == Decimal("-324.50")
    assert groups["expense_1"].budget_by_member == {b: Decimal("500.00")}
    assert account.result == Decimal("5675.50") - Decimal("675.50") - Decimal("300.00")
    assert [(row.account, row.total) for row in account.eliminated] == [
        ("658800", Decimal("7775.50")),
        ("706800", Decimal("7775.50")),
    ]


def test_the_latest_balance_of_a_year_is_used(money):
    import_fec(money, GOOD_FEC)
    newer = GOOD_FEC.replace("1000,00", "2000,00")
    import_fec(money, newer)
    account = selectors.administrative_account(money.consortium, 2024)
    expense_2 = next(row for row in account.groups if row.group == "expense_2")
    assert expense_2.total == Decimal("2000.00")


def test_budgets_are_positive(money):
    with pytest.raises(ValidationError):
        set_forecast_budget(
            money.manager,
            money.consortium,
            money.gme.member_b,
            2024,
            {"expense_1": Decimal("-1.00")},
        )
    assert not ForecastBudget.objects.exists()


def test_a_year_in_the_future_is_refused(money):
    with pytest.raises(ValidationError, match="Exercice"):
        import_fec(money, GOOD_FEC, year=datetime.date.today().year + 1)


# --- The same import through the API -------------------------------------------------------


def _post_balance(client, money, text, organisation, name="FEC.txt", year=2024):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/api/v1/finance/trial-balances",
        {
            "consortium_id": money.consortium.pk,
            "organisation_id": organisation.pk,
            "year": year,
            "source": BalanceSource.FEC,
            "file": SimpleUploadedFile(name, text.encode(), content_type="text/plain"),
        },
    )


def test_the_api_imports_a_fec_all_or_nothing(money):
    client = money.client(money.gme.lead, Role.FINANCE_OFFICER)
    created = _post_balance(client, money, GOOD_FEC, money.gme.lead)
    assert created.status_code == 201, created.content
    balance = TrialBalance.objects.get(pk=created.json()["id"])
    assert balance.line_count == 5 and balance.lines.count() == 3  # one line per account
    again = _post_balance(client, money, GOOD_FEC, money.gme.lead, name="copie.txt")
    assert again.status_code == 422
    assert "déjà été importé" in again.json()["detail"][0]["msg"]
    assert TrialBalance.objects.count() == 1


def test_the_api_lists_each_error_with_its_line_and_column(money):
    bad = (
        FEC_HEADER
        + fec_line(1, "20240131", "641100", "Salaires", "1000,00", "0,00")
        + fec_line(1, "20240131", "512000", "Banque", "0,00", "dix euros")
        + "BQ\tBanque\t4\t20240301\t512000\n"
    )
    client = money.client(money.gme.lead, Role.FINANCE_OFFICER)
    answer = _post_balance(client, money, bad, money.gme.lead)
    assert answer.status_code == 422
    errors = answer.json()["detail"]
    assert {"line": 3, "column": "Credit"}.items() <= errors[0].items()
    assert "n'est pas un montant" in errors[0]["msg"]
    assert any(e["line"] == 4 and e["column"] is None for e in errors)
    assert all(e["loc"] == ["body", "file"] for e in errors)
    assert not TrialBalance.objects.exists() and not TrialBalanceLine.objects.exists()


def test_the_api_import_follows_who_may_import(money):
    """A member's finance officer imports its own balance, not the lead's; a referent has
    no finance at all."""
    member = money.client(money.gme.member_b, Role.FINANCE_OFFICER)
    refused = _post_balance(member, money, GOOD_FEC, money.gme.lead)
    assert refused.status_code == 403
    own = _post_balance(member, money, GOOD_FEC, money.gme.member_b)
    assert own.status_code == 201, own.content
    referent = money.client(money.gme.member_b, Role.REFERENT)
    answer = _post_balance(referent, money, GOOD_FEC, money.gme.member_b, name="autre.txt")
    assert answer.status_code == 403 and answer.json()["code"] == "capability_refused"
    assert TrialBalance.objects.count() == 1
