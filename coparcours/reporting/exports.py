"""Every dashboard table as CSV or XLSX with its French headers.

All exports go through :func:`table_response`, the one place to switch to the shared
``coparcours.core.exports`` writer once it exists. Cells a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with
an apostrophe (OWASP CSV injection). CSV is streamed row by row
(``StreamingHttpResponse``), so a long table is never held as one string; XLSX uses
openpyxl's write-only mode (rows written as they come, constant memory).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from openpyxl import Workbook

from coparcours.reporting.indicators import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell as written: numbers as they are, text that could be a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet software reads UTF-8
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def table_response(table: Table, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The table as a download, ``fmt`` being ``csv`` or ``xlsx``."""
    name = slugify(table.title) or "tableau"
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            _csv_lines(table.headers, table.rows), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=table.title[:31].replace("/", "-"))
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([safe_cell(cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
