"""PDF rendering with WeasyPrint, from the same templates and the app's own print stylesheet.

Documents embed everything they show (charts are inline SVG), so printing never fetches a
URL.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML


@cache
def _print_stylesheet() -> CSS:
    return CSS(filename=finders.find("css/print.css"))


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes with the print stylesheet."""
    html = render_to_string(template, context)
    return HTML(string=html).write_pdf(stylesheets=[_print_stylesheet()])


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
