"""Files of rows brought in by people (CSV or XLSX): reading them, and their errors.

Every import checks the whole file before writing anything; each error is kept with its
line and its column, in French, so that the person can correct the file in their own
spreadsheet software (docs/bad-input.md). A CSV must be UTF-8 (with or without the BOM
that spreadsheet software writes), separated by ``;``, ``,`` or a tab; a workbook is read
on its first sheet, with the values its cells hold (not their formulas).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

#: Errors listed one by one; beyond, the count of the others is given.
MAX_LISTED_ERRORS = 1000

#: What a cell holds once read: text (stripped), or a date from a workbook's date cell.
Cell = str | datetime.date


@dataclass
class FileErrors:
    """Errors of a file, each with its line and column (or ``None`` for the whole file)."""

    listed: list[str] = field(default_factory=list)
    located: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    count: int = 0

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.count += 1
        if len(self.listed) >= MAX_LISTED_ERRORS:
            return
        self.located.append((line, column, message))
        where = []
        if line is not None:
            where.append(f"ligne {line}")
        if column:
            where.append(f"colonne « {column} »")
        prefix = ", ".join(where)
        prefix = prefix[:1].upper() + prefix[1:]
        self.listed.append(f"{prefix} : {message}" if prefix else message)

    def messages(self) -> list[str]:
        hidden = self.count - len(self.listed)
        if hidden > 0:
            return [*self.listed, f"… et {hidden} autres erreurs."]
        return list(self.listed)

    def __bool__(self) -> bool:
        return self.count > 0


class FileRefused(ValidationError):
    """A file refused as a whole (nothing saved), its errors kept with their line and
    column for the API; pages show :meth:`FileErrors.messages`."""

    def __init__(self, errors: FileErrors):
        super().__init__(errors.messages())
        self.file_errors = errors


@dataclass
class Table:
    """A file's header and rows, each row with the number of the line it starts on (the
    header is line 1, as the spreadsheet shows it)."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    sha256: str
    errors: FileErrors


NOT_UTF8 = (
    "le texte n'est pas en UTF-8{also}, des accents seraient mal lus : enregistrez le fichier "
    "au format « CSV UTF-8 », ou déposez le classeur Excel."
)


def read_table(name: str, content: bytes) -> Table:
    """The rows of a CSV or XLSX file (chosen by its content, then its name), or its
    errors: empty file, unreadable workbook, text not in UTF-8, a row longer than the
    header. Blank rows are skipped."""
    digest = hashlib.sha256(content).hexdigest()
    errors = FileErrors()
    if not content.strip():
        errors.add(None, None, "Le fichier est vide.")
        return Table([], [], digest, errors)
    if content.startswith(b"PK") or name.lower().endswith(".xlsx"):
        header, rows = _workbook_rows(content, errors)
    else:
        header, rows = _csv_rows(content, errors)
    return Table(header, rows, digest, errors)


def _csv_rows(content: bytes, errors: FileErrors) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    lines = content.split(b"\n")
    first = lines[0].decode("utf-8", errors="replace")
    delimiter = max(";,\t", key=first.count)
    _check_utf8(lines, delimiter, errors)
    if errors:
        return [], []
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[Cell]]] = []
    line = 1
    for fields in reader:
        cells: list[Cell] = [_text(value) for value in fields]
        if not header:
            header = [str(cell) for cell in cells]
        elif any(cells):
            rows.append((line, cells))
        line = reader.line_num + 1
    return header, rows


def _check_utf8(lines: list[bytes], delimiter: str, errors: FileErrors) -> None:
    """One error for a file not in UTF-8 (saved by older spreadsheet software in its own
    encoding): the first line and column where it shows, and how many lines are concerned."""
    unreadable = []
    for number, raw in enumerate(lines, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            unreadable.append(number)
    if not unreadable:
        return
    first = unreadable[0]
    names = lines[0].decode("cp1252", errors="replace").lstrip("\ufeff").split(delimiter)
    column = None
    for index, value in enumerate(lines[first - 1].split(delimiter.encode())):
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            column = names[index].strip() if index < len(names) else None
            break
    others = len(unreadable) - 1
    plural = "s" if others > 1 else ""
    also = f" (ici et sur {others} autre{plural} ligne{plural})" if others else ""
    errors.add(first, column, NOT_UTF8.format(also=also))


def _workbook_rows(
    content: bytes, errors: FileErrors
) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        errors.add(None, None, "Ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) lisible.")
        return [], []
    sheet = workbook.worksheets[0]
    header: list[str] = []
    rows: list[tuple[int, list[Cell]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell(value) for value in values]
        if not header:
            header = [str(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
        elif any(cells):
            rows.append((number, cells))
    workbook.close()
    return header, rows


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(str(value))


def _text(value: str) -> str:
    """A cell's text, stripped; the apostrophe Coparcours's own exports put before a text
    that a spreadsheet would take for a formula (``core.exports``) is removed."""
    value = value.strip()
    if value.startswith("'") and value[1:2] in {"=", "+", "-", "@"}:
        return value[1:]
    return value
