"""A dashboard table on the page: its numbers, and the markers standing in place of masked
counts, right-aligned (``class="num"``) with their column's header; its labels as they are."""

from __future__ import annotations

import re
from decimal import Decimal

from django.template.loader import render_to_string

from coparcours.reporting.tables import MASKED, SECRET, Table
from coparcours.reporting.templatetags.reporting_cells import is_number, numeric_columns


def test_numbers_and_masked_markers_are_numbers_and_labels_are_not():
    assert all(is_number(value) for value in (0, 12, 3.5, Decimal("10.20"), MASKED, SECRET))
    assert not any(is_number(value) for value in (None, "", "Total", "2025-01", True))


def test_a_column_is_numeric_when_its_cells_are_numbers_or_empty():
    rows = [["Lille", "2025-01", 4, MASKED, None], ["Total", "", 9, SECRET, ""]]
    assert numeric_columns(rows) == {2, 3}
    assert numeric_columns([["Lille", None]]) == set()


def test_the_page_aligns_the_numeric_cells_and_headers_in_a_named_frame():
    table = Table(
        title="Mouvements",
        headers=["Groupement", "Mois", "Entrées", "Délai moyen (jours)"],
        rows=[["Nord", "2025-01", MASKED, 4.5], ["Total", "", 12, ""]],
    )
    html = render_to_string("reporting/_table.html", {"table": table})
    assert (
        '<div class="table-frame" role="region" tabindex="0" aria-label="Tableau : Mouvements">'
        in html
    )
    headers = re.findall(r'<th scope="col"( class="num")?>([^<]*)</th>', html)
    assert [name for num, name in headers if num] == ["Entrées", "Délai moyen (jours)"]
    cells = re.findall(r"<td( class=\"num\")?>([^<]*)</td>", html)
    assert cells == [
        ("", "2025-01"),
        (' class="num"', "&lt; 5"),
        (' class="num"', "4,5"),
        ("", ""),
        (' class="num"', "12"),
        (' class="num"', ""),
    ]
