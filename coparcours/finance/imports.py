"""Streaming parsers of the finance files: a member's FEC or trial balance (CSV), and the
group account's bank statement (CSV). They read line by line, keep per-account totals
only, and collect every error with its line and column in French; nothing is written here
(the services save everything in one transaction, or nothing).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from coparcours.core.formats import euros
from coparcours.core.tabular import FileErrors
from coparcours.finance.rules import cents_to_decimal, parse_cents

#: Field names of the FEC (Livre des procédures fiscales, article A.47 A-1).
FEC_COLUMNS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]
#: The variant with one amount and its direction (D or C) instead of Debit and Credit.
FEC_COLUMNS_SIGNED = [
    *FEC_COLUMNS[:11],
    "Montant",
    "Sens",
    *FEC_COLUMNS[13:],
]


@dataclass
class AccountTotal:
    label: str
    debit: int = 0  # cents
    credit: int = 0


@dataclass
class ParsedBalance:
    """Per-account totals of a file, its hash and its line count (header included)."""

    accounts: dict[str, AccountTotal]
    sha256: str
    line_count: int
    errors: FileErrors

    def lines(self) -> Iterator[tuple[str, str, Decimal, Decimal]]:
        for account in sorted(self.accounts):
            total = self.accounts[account]
            yield (
                account,
                total.label,
                cents_to_decimal(total.debit),
                cents_to_decimal(total.credit),
            )


class _Hashing:
    """Iterate over the binary lines of a file, hashing them and decoding each one (UTF-8,
    or ISO-8859-15 as many accounting programs write it)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._lines = iter(chunks)
        self.digest = hashlib.sha256()
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self._lines:
            self.digest.update(raw)
            self.count += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("iso-8859-15")
            if self.count == 1:
                text = text.lstrip("\ufeff")
            yield text.rstrip("\r\n")


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _date_problem(text: str, first_day: datetime.date, last_day: datetime.date) -> str:
    """What is wrong with an ``EcritureDate`` (empty when it is a date of the year)."""
    try:
        day = _date(text.strip())
    except ValueError as error:
        return str(error)
    if not first_day <= day <= last_day:
        return f"la date {day:%d/%m/%Y} est en dehors de l'exercice {first_day.year}."
    return ""


def _date(text: str) -> datetime.date:
    if len(text) != 8 or not _digits(text):
        raise ValueError(f"« {text[:20]} » n'est pas une date AAAAMMJJ.")
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"« {text} » n'est pas une date valide.") from None


#: Positions of the amount fields (``Debit``/``Credit``, or ``Montant``/``Sens``).
_DEBIT_INDEX, _CREDIT_INDEX = 11, 12


def _fec_header_signed(header: list[str], errors: FileErrors) -> bool | None:
    """Whether the header is the signed variant (``Montant``, ``Sens``) rather than the
    ``Debit``/``Credit`` one; ``None``, its errors added, when it is neither."""
    lowered = [name.lower() for name in header]
    if lowered == [name.lower() for name in FEC_COLUMNS]:
        return False
    if lowered == [name.lower() for name in FEC_COLUMNS_SIGNED]:
        return True
    _fec_header_errors(header, lowered, errors)
    return None


def _fec_header_errors(header: list[str], lowered: list[str], errors: FileErrors) -> None:
    """Note what is wrong with a header: missing or unknown columns, or their order."""
    expected = FEC_COLUMNS_SIGNED if "montant" in lowered else FEC_COLUMNS
    missing = [name for name in expected if name.lower() not in lowered]
    for name in missing:
        errors.add(1, name, "colonne manquante dans l'en-tête.")
    unknown = [name for name in header if name.lower() not in {n.lower() for n in expected}]
    for name in unknown:
        errors.add(1, name, "colonne inconnue du format FEC.")
    if not missing and not unknown:
        errors.add(
            1,
            None,
            "les 18 colonnes du FEC doivent être dans l'ordre réglementaire "
            f"({', '.join(expected)}), séparées par une tabulation ou « | ».",
        )


class _FecLines:
    """The lines of a FEC read one by one: per-account and per-entry totals, and the dates
    and account numbers already found valid (each checked once)."""

    def __init__(self, year: int, separator: str, signed: bool, errors: FileErrors) -> None:
        self.separator = separator
        self.signed = signed
        self.errors = errors
        self.first_day, self.last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        self.accounts: dict[str, AccountTotal] = {}
        self.entries: dict[str, list[int]] = {}  # "journal\x00number" → [debit, credit, line]
        self.date_problems: dict[str, str] = {}  # each distinct date checked once ("" if valid)
        self.valid_accounts: set[str] = set()

    def read(self, number: int, text: str) -> None:
        """Check one line and add its amounts to its entry and its account."""
        fields = text.split(self.separator)
        width = len(FEC_COLUMNS)
        if len(fields) != width:
            if text.strip():
                self.errors.add(number, None, f"{len(fields)} champs au lieu de {width}.")
            return
        journal, _, entry_number, entry_date, account = fields[:5]
        self.check_date(number, entry_date)
        account = self.checked_account(number, account)
        read_amounts = self.signed_amounts if self.signed else self.amounts
        amounts = read_amounts(number, fields)
        if amounts is None:
            return
        debit, credit = amounts
        if debit < 0 or credit < 0:
            self.errors.add(number, "Debit" if debit < 0 else "Credit", "montant négatif.")
            return
        self.add(number, f"{journal}\x00{entry_number}", account, fields[5], debit, credit)

    def check_date(self, number: int, entry_date: str) -> None:
        """Note an ``EcritureDate`` that is not a date of the year."""
        problem = self.date_problems.get(entry_date)
        if problem is None:
            problem = self.date_problems[entry_date] = _date_problem(
                entry_date, self.first_day, self.last_day
            )
        if problem:
            self.errors.add(number, "EcritureDate", problem)

    def checked_account(self, number: int, account: str) -> str:
        """The ``CompteNum`` stripped, noted when it does not start with three digits."""
        if account not in self.valid_accounts:
            cleaned = account.strip()
            if len(cleaned) < 3 or not _digits(cleaned[:3]):
                self.errors.add(
                    number,
                    "CompteNum",
                    f"« {cleaned[:20]} » ne commence pas par trois chiffres du plan comptable.",
                )
            elif cleaned == account:
                self.valid_accounts.add(account)
            account = cleaned
        return account

    def signed_amounts(self, number: int, fields: list[str]) -> tuple[int, int] | None:
        """Debit and credit in cents from ``Montant`` and ``Sens`` (``None`` if invalid)."""
        try:
            amount = parse_cents(fields[_DEBIT_INDEX])
        except ValueError as error:
            self.errors.add(number, "Montant", str(error))
            return None
        direction = fields[_CREDIT_INDEX].strip().upper()
        if direction not in {"D", "C"}:
            self.errors.add(number, "Sens", "le sens doit être D (débit) ou C (crédit).")
            return None
        return (amount, 0) if direction == "D" else (0, amount)

    def amounts(self, number: int, fields: list[str]) -> tuple[int, int] | None:
        """Debit and credit in cents from ``Debit`` and ``Credit`` (``None`` if invalid)."""
        try:
            debit = parse_cents(fields[_DEBIT_INDEX])
        except ValueError as error:
            self.errors.add(number, "Debit", str(error))
            debit = None
        try:
            credit = parse_cents(fields[_CREDIT_INDEX])
        except ValueError as error:
            self.errors.add(number, "Credit", str(error))
            return None
        if debit is None:
            return None
        return debit, credit

    def add(self, number: int, key: str, account: str, label: str, debit: int, credit: int) -> None:
        """Add a line's amounts to the totals of its entry and of its account."""
        entry = self.entries.get(key)
        if entry is None:
            self.entries[key] = [debit, credit, number]
        else:
            entry[0] += debit
            entry[1] += credit
        total = self.accounts.get(account)
        if total is None:
            self.accounts[account] = total = AccountTotal(label.strip()[:200])
        total.debit += debit
        total.credit += credit

    def check_entries_balance(self) -> None:
        """Note each entry (journal and number) whose debits and credits differ."""
        for key, (debit, credit, line) in self.entries.items():
            if debit != credit:
                journal, entry_number = key.split("\x00")
                self.errors.add(
                    line,
                    "EcritureNum",
                    f"l'écriture {entry_number} du journal {journal} n'est pas équilibrée "
                    f"(débit {euros(cents_to_decimal(debit))} ≠ crédit "
                    f"{euros(cents_to_decimal(credit))}).",
                )


def parse_fec(chunks: Iterable[bytes], year: int) -> ParsedBalance:
    """Read a FEC (tab or ``|`` separated, ``AAAAMMJJ`` dates, decimal comma) into
    per-account totals, checking every line: number of fields, dates within the year,
    account numbers, amounts, and that each entry (journal and number) balances."""
    errors = FileErrors()
    reader = _Hashing(chunks)
    lines = iter(reader)
    header_text = next(lines, None)
    if header_text is None:
        errors.add(None, None, "Le fichier est vide.")
        return ParsedBalance({}, reader.digest.hexdigest(), 0, errors)
    separator = "\t" if "\t" in header_text else "|"
    signed = _fec_header_signed([name.strip() for name in header_text.split(separator)], errors)
    if signed is None:
        return ParsedBalance({}, reader.digest.hexdigest(), reader.count, errors)
    fec = _FecLines(year, separator, signed, errors)
    for number, text in enumerate(lines, start=2):
        fec.read(number, text)
    fec.check_entries_balance()
    return ParsedBalance(fec.accounts, reader.digest.hexdigest(), reader.count, errors)


BALANCE_COLUMNS = ["compte", "libelle", "debit", "credit"]


def _csv_rows(reader: _Hashing) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV whose separator (``;``, tab or ``,``) is read from its header."""
    lines = iter(reader)
    header = next(lines, None)
    if header is None:
        return
    delimiter = ";" if ";" in header else ("\t" if "\t" in header else ",")
    yield 1, next(csv.reader([header], delimiter=delimiter))
    for number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=2):
        if any(cell.strip() for cell in row):
            yield number, row


def _normalise(name: str) -> str:
    return (
        name.strip()
        .lower()
        .replace("é", "e")
        .replace("è", "e")
        .replace("ç", "c")
        .replace("°", "")
        .replace(" ", "_")
    )


def _header_positions(
    row: list[str], expected: list[str], errors: FileErrors
) -> dict[str, int] | None:
    names = [_normalise(cell) for cell in row]
    positions = {name: names.index(name) for name in expected if name in names}
    for name in expected:
        if name not in positions:
            errors.add(1, name, "colonne manquante dans l'en-tête.")
    return positions if len(positions) == len(expected) else None


def parse_trial_balance(chunks: Iterable[bytes]) -> ParsedBalance:
    """Read a trial balance CSV (compte, libelle, debit, credit); it must balance."""
    errors = FileErrors()
    accounts: dict[str, AccountTotal] = {}
    reader = _Hashing(chunks)
    rows = _csv_rows(reader)
    first = next(rows, None)
    if first is None:
        errors.add(None, None, "Le fichier est vide.")
        return ParsedBalance(accounts, reader.digest.hexdigest(), 0, errors)
    positions = _header_positions(first[1], BALANCE_COLUMNS, errors)
    if positions is None:
        return ParsedBalance(accounts, reader.digest.hexdigest(), reader.count, errors)
    debit_sum = credit_sum = 0
    for number, row in rows:
        if len(row) < len(BALANCE_COLUMNS):
            errors.add(number, None, f"{len(row)} colonnes au lieu de {len(BALANCE_COLUMNS)}.")
            continue
        account = row[positions["compte"]].strip()
        if len(account) < 3 or not _digits(account[:3]):
            errors.add(
                number,
                "compte",
                f"« {account[:20]} » ne commence pas par trois chiffres du plan comptable.",
            )
        amounts = {}
        for column in ("debit", "credit"):
            try:
                amounts[column] = parse_cents(row[positions[column]])
            except ValueError as error:
                errors.add(number, column, str(error))
        if len(amounts) < 2 or len(account) < 3:
            continue
        if account in accounts:
            errors.add(number, "compte", f"le compte {account} figure déjà dans la balance.")
            continue
        accounts[account] = AccountTotal(
            row[positions["libelle"]].strip()[:200], amounts["debit"], amounts["credit"]
        )
        debit_sum += amounts["debit"]
        credit_sum += amounts["credit"]
    if not errors and debit_sum != credit_sum:
        errors.add(
            None,
            None,
            "La balance n'est pas équilibrée : total des débits "
            f"{euros(cents_to_decimal(debit_sum))} ≠ total des crédits "
            f"{euros(cents_to_decimal(credit_sum))}.",
        )
    return ParsedBalance(accounts, reader.digest.hexdigest(), reader.count, errors)


BANK_COLUMNS = ["date", "libelle", "montant", "factures"]


@dataclass
class BankLine:
    line: int
    day: datetime.date
    label: str
    amount: Decimal
    invoice_numbers: list[str]


@dataclass
class ParsedStatement:
    credits: list[BankLine]
    skipped_debits: int
    sha256: str
    line_count: int
    errors: FileErrors


def _french_date(text: str) -> datetime.date:
    value = text.strip()
    try:
        if "/" in value:
            day, month, year = value.split("/")
            return datetime.date(int(year), int(month), int(day))
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"« {value[:20]} » n'est pas une date JJ/MM/AAAA.") from None


def parse_bank_statement(chunks: Iterable[bytes]) -> ParsedStatement:
    """Read a bank statement CSV (date, libelle, montant, factures). Credits are the
    funder's payments, with the numbers of the invoices they pay (separated by spaces);
    debits are the transfers to the members that Coparcours already records."""
    errors = FileErrors()
    credits: list[BankLine] = []
    skipped = 0
    reader = _Hashing(chunks)
    rows = _csv_rows(reader)
    first = next(rows, None)
    if first is None:
        errors.add(None, None, "Le fichier est vide.")
        return ParsedStatement(credits, 0, reader.digest.hexdigest(), 0, errors)
    positions = _header_positions(first[1], BANK_COLUMNS, errors)
    if positions is None:
        return ParsedStatement(credits, 0, reader.digest.hexdigest(), reader.count, errors)
    for number, row in rows:
        if len(row) < len(BANK_COLUMNS):
            errors.add(number, None, f"{len(row)} colonnes au lieu de {len(BANK_COLUMNS)}.")
            continue
        try:
            day = _french_date(row[positions["date"]])
        except ValueError as error:
            errors.add(number, "date", str(error))
            day = None
        try:
            cents = parse_cents(row[positions["montant"]])
        except ValueError as error:
            errors.add(number, "montant", str(error))
            continue
        if cents < 0:
            skipped += 1
            continue
        if cents == 0:
            errors.add(number, "montant", "montant nul.")
            continue
        numbers = row[positions["factures"]].replace(",", " ").split()
        if not numbers:
            errors.add(number, "factures", "indiquez le numéro de la facture payée.")
            continue
        if day is not None:
            credits.append(
                BankLine(
                    number,
                    day,
                    row[positions["libelle"]].strip()[:300],
                    cents_to_decimal(cents),
                    numbers,
                )
            )
    return ParsedStatement(credits, skipped, reader.digest.hexdigest(), reader.count, errors)
