"""Spreadsheet exports that a spreadsheet cannot turn against its reader.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet software as a formula (OWASP "CSV injection"): a youth's name, a site or an
imported account label could then run a command or send data away when the file is opened.
Every CSV and XLSX written by Coparcours goes through :func:`safe_cell`, which prefixes such
text with an apostrophe; numbers, dates and amounts stay what they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """A cell as written: text that could be a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_cell(value: Any) -> Any:
    """A cell as written in a CSV file: empty for ``None``; amounts and rates with a decimal
    comma, which French spreadsheet software reads as a number beside the ``;`` delimiter
    (with a decimal point it reads ``2100.50`` as text or a date)."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return safe_cell(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    headers: Iterable[Any], rows: Iterable[Iterable[Any]], delimiter: str = ";"
) -> Iterator[str]:
    """CSV text line by line (for a streaming response), with a BOM so that spreadsheet
    software reads UTF-8; cells as :func:`csv_cell` writes them."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    yield writer.writerow(safe_row(headers))
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def xlsx_bytes(title: str, headers: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """One sheet, written row by row (openpyxl's write-only mode: constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31].replace("/", "-"))
    sheet.append(safe_row(headers))
    for row in rows:
        sheet.append(safe_row(row))
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    """A workbook built cell by cell (styles, formats), every text cell neutralised, saved."""
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows():
                for cell in cells:
                    if isinstance(cell.value, str):
                        cell.value = safe_cell(cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
