"""The templates a page offers to download, to be filled in and imported: a CSV (UTF-8
with its BOM, ``;``, as French spreadsheet software writes it) and an Excel workbook whose
second sheet says what each column accepts."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coparcours.core.exports import csv_lines, workbook_bytes
from coparcours.imports.columns import Column

#: Rows of the sheet prepared as text, so that a number keeps its leading zero.
PREPARED_ROWS = 2000
TEXT_KEYS = {"phone", "contract_months"}


def header(column: Column) -> str:
    """A column's header as the templates write it: `*` marks a column to fill."""
    return f"{column.header} *" if column.required else column.header


def template_csv(columns: Sequence[Column]) -> str:
    return "".join(csv_lines([header(column) for column in columns], []))


def template_xlsx(title: str, columns: Sequence[Column]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([header(column) for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(cell.value) + 4)
        if column.key in TEXT_KEYS:
            for row in range(2, PREPARED_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Aide")
    guide.append(["Colonne", "À remplir", "Ce qu'elle accepte", "Exemple"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append(
            [column.header, "oui" if column.required else "non", column.accepts, column.example]
        )
    for letter, width in zip("ABCD", (30, 10, 80, 30), strict=True):
        guide.column_dimensions[letter].width = width
    return workbook_bytes(workbook)
