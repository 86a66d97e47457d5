"""The columns of an import template, and how each cell is read.

A template is a list of :class:`Column`: its French header, whether it must be filled, how
its text is read (each reader raises ``ValueError`` with a French message), and what it
accepts, shown on the page and in the template's help sheet. Headers are matched without
accents, case or the ``*`` marking a required column, in any order.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from coparcours.core import phones
from coparcours.core.tabular import Cell, FileErrors, Table

#: Date formats people type (the first is the one the templates show).
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
YES = {"oui", "o", "1", "x", "vrai", "yes", "y"}
NO = {"non", "n", "0", "faux", "no", ""}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    read: Callable[[Cell], Any]
    accepts: str
    required: bool = False
    example: str = ""


@dataclass
class Row:
    """One line of the file: its number and its values read (``None`` when empty)."""

    line: int
    values: dict[str, Any]
    failed: bool = False

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


def plain(text: str) -> str:
    """Text compared without accents, case, punctuation of spacing or a trailing ``*``."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.replace("*", " ").replace("’", "'").lower()
    return " ".join(text.split())


def text(max_length: int) -> Callable[[Cell], str]:
    def read(cell: Cell) -> str:
        value = cell.strftime("%d/%m/%Y") if isinstance(cell, datetime.date) else cell
        if len(value) > max_length:
            raise ValueError(f"{max_length} caractères au plus ({len(value)} ici).")
        return value

    return read


def day(cell: Cell) -> datetime.date:
    if isinstance(cell, datetime.date):
        return cell
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cell, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"« {cell[:20]} » n'est pas une date : écrivez-la JJ/MM/AAAA (14/03/2009).")


def yes_no(cell: Cell) -> bool:
    value = plain(str(cell))
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"« {str(cell)[:20]} » : écrivez « oui » ou « non ».")


def choice(choices: type[models.TextChoices]) -> Callable[[Cell], str]:
    """A value of the list, by its label as the pages show it or by its code."""
    known = {plain(label): value for value, label in choices.choices}
    known.update({plain(value): value for value in choices.values})

    def read(cell: Cell) -> str:
        value = known.get(plain(str(cell)))
        if value is None:
            labels = ", ".join(f"« {label} »" for label in choices.labels)
            raise ValueError(f"« {str(cell)[:30]} » n'est pas dans la liste : {labels}.")
        return value

    return read


def choices_accepted(choices: type[models.TextChoices]) -> str:
    return "L'une des valeurs : " + ", ".join(choices.labels) + "."


def email(cell: Cell) -> str:
    value = str(cell).strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(f"« {value[:40]} » n'est pas une adresse électronique.") from None
    return value.lower()


def phone(cell: Cell) -> str:
    try:
        return phones.international(str(cell))
    except ValidationError:
        raise ValueError(phones.INVALID) from None


def read_rows(table: Table, columns: Sequence[Column], errors: FileErrors) -> list[Row]:
    """The rows read against the template: the header checked first (a required column
    missing, an unknown or repeated one stops there), then every cell of every row, each
    error added with its line and column; a row with such an error is marked ``failed``."""
    positions = _positions(table.header, columns, errors)
    if errors:
        return []
    width = len(table.header)
    rows = []
    for line, cells in table.rows:
        if any(cells[width:]):
            errors.add(line, None, f"des valeurs au-delà des {width} colonnes de l'en-tête.")
        values = {}
        before = errors.count
        for column in columns:
            index = positions.get(column.key)
            cell = cells[index] if index is not None and index < len(cells) else ""
            values[column.key] = _value(line, column, cell, errors)
        rows.append(Row(line, values, failed=errors.count > before))
    if not rows:
        errors.add(None, None, "Le fichier n'a aucune ligne sous son en-tête.")
    return rows


def _value(line: int, column: Column, cell: Cell, errors: FileErrors) -> Any:
    if cell == "":
        if column.required:
            errors.add(line, column.header, "valeur obligatoire.")
        return None
    try:
        return column.read(cell)
    except ValueError as problem:
        errors.add(line, column.header, str(problem))
        return None


def _positions(header: list[str], columns: Sequence[Column], errors: FileErrors) -> dict[str, int]:
    by_name = {plain(column.header): column for column in columns}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = by_name.get(plain(name))
        if column is None:
            if name.strip():
                expected = ", ".join(f"« {c.header} »" for c in columns)
                errors.add(1, name.strip()[:60], f"colonne inconnue ; le modèle a {expected}.")
        elif column.key in positions:
            errors.add(1, column.header, "colonne en double dans l'en-tête.")
        else:
            positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            errors.add(1, column.header, "colonne obligatoire absente de l'en-tête.")
    return positions
