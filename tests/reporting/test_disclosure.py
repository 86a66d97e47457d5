"""The attacker of a funder's tables, on the Nord demo and its year of steering activity
(what ``make demo`` serves): for every period of the fixed grid a funder may read, every
table of its dashboard, no count of 1 to 4 shows, and no count shown « < 5 » can be
recomputed or narrowed below 1 to 4 from its column's total or from a part and its whole
(exact integer checks, independent of the suppression's own audit; the column check is
tests/reporting/test_masking.py's). Between tables and between periods: not audited yet
(docs/decisions.md, 31)."""

from __future__ import annotations

import math

import pytest
from django.utils import timezone

from coparcours.demo.nord import load_nord_demo
from coparcours.demo.reporting import load_steering_volume
from coparcours.reporting import grids, selectors, views
from coparcours.reporting.tables import MASKED, SECRET, Table

from .test_masking import _column_keeps_its_secrets

pytestmark = pytest.mark.django_db


def _range(cell: object) -> tuple[float, float]:
    """What the reader knows of a cell: 1 to 4 for « < 5 », 0 or more for « s »."""
    if cell == MASKED:
        return 1, 4
    if cell == SECRET:
        return 0, math.inf
    return cell, cell


def _parts_keep_their_secrets(table: Table) -> list[str]:
    """Each row's parts together never exceed its whole: a « < 5 » part can be v if v and
    the least of the other parts fit under the greatest whole; a « < 5 » whole can be w if
    the least of the parts fit under w. Every value from 1 to 4 must stay possible."""
    problems = []
    for row in table.rows:
        if row[0] == "Total":
            continue
        for parts, whole in table.row_parts:
            whole_high = _range(row[whole])[1]
            lows = [_range(row[p])[0] for p in parts]
            for position, part in enumerate(parts):
                others = sum(lows) - lows[position]
                if row[part] == MASKED and not all(v + others <= whole_high for v in (1, 4)):
                    problems.append(f"{table.title}: {row[0]} column {part} in {row}")
            if row[whole] == MASKED and sum(lows) > 1:
                problems.append(f"{table.title}: {row[0]} whole column {whole} in {row}")
    return problems


def test_no_funder_table_gives_a_masked_count_back():
    demo = load_nord_demo()
    load_steering_volume(
        demo.gme, demo.cej_jr, {"porteur": demo.porteur, "mission_locale": demo.mission_locale}
    )
    problems, masked = [], 0
    for login in ("departement", "dreets"):
        for grid in grids.published(timezone.localdate())[:18]:  # a year of months, quarters
            board = views.build(demo.users[login], selectors.FUNDER, {"periode": grid.key})
            assert board.form.is_valid(), board.form.errors
            for table in board.tables:
                problems += [f"{grid.key} {p}" for p in _parts_keep_their_secrets(table)]
                for column in table.counts:
                    cells = [row[column] for row in table.rows]
                    masked += cells.count(MASKED)
                    if any(isinstance(c, int) and 1 <= c <= 4 for c in cells):
                        problems.append(f"{grid.key} {table.title}: shows {cells}")
                    totalled = bool(table.rows) and table.rows[-1][0] == "Total"
                    if totalled and not _column_keeps_its_secrets(cells):
                        problems.append(f"{grid.key} {table.title}: column {cells}")
    assert masked, "the demo's small counts are masked somewhere"
    assert problems == []
