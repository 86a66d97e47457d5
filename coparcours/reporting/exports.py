"""Every dashboard table as CSV or XLSX with its French headers.

Written by the shared ``coparcours.core.exports`` writers, which neutralise cells a
spreadsheet would read as a formula (OWASP CSV injection). CSV is streamed row by row
(``StreamingHttpResponse``), so a long table is never held as one string; XLSX uses
openpyxl's write-only mode (rows written as they come).
"""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

from coparcours.core.exports import XLSX, csv_lines, xlsx_bytes
from coparcours.reporting.tables import Table


def table_response(table: Table, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The table as a download, ``fmt`` being ``csv`` or ``xlsx``."""
    name = slugify(table.title) or "tableau"
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            csv_lines(table.headers, table.rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx_bytes(table.title, table.headers, table.rows), content_type=XLSX
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
