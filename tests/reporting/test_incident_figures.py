"""The serious incidents and runaways on the GME dashboard and in the funder's year: counts
per kind, runaways, returns and the median days before the return; the funder's small
counts are masked and the attacker (funder_attacker.py), reading every period of the year,
narrows none of them back from the totals, the returns or the months."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.housing.factories import SeriousIncidentFactory
from coparcours.housing.models.incidents import IncidentKind
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.indicators.gme import incidents_table, runaways_table
from coparcours.reporting.tables import MASKED, SECRET

from .funder_attacker import exposed, read_everything
from .test_publication import _definitions

pytestmark = pytest.mark.django_db


def _runaway(gme, gone: datetime.date, back: datetime.date | None, site=None):
    return SeriousIncidentFactory(
        site=site or gme.site_b,
        kind=IncidentKind.RUNAWAY,
        occurred_on=gone,
        declared_on=gone,
        returned_on=back,
    )


def test_the_coordinations_tables_count_each_kind_and_the_median_return(gme):
    year = timezone.localdate().year - 1
    day = datetime.date(year, 3, 1)
    for days in (1, 2, 3, 10, 30):
        _runaway(gme, day, day + datetime.timedelta(days=days))
    _runaway(gme, day, None)
    SeriousIncidentFactory(site=gme.site_c, kind=IncidentKind.DISASTER, occurred_on=day)
    SeriousIncidentFactory(site=gme.site_c, occurred_on=datetime.date(year + 1, 1, 1))  # later
    period = Period(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    today = timezone.localdate()
    kinds = incidents_table([gme.consortium], period, today)
    assert kinds.rows == [  # by the kinds' codes
        ["GME test", "Sinistre (incendie, inondation, événement climatique)", 1],
        ["GME test", "Fugue ou disparition", 6],
    ]
    runaways = runaways_table([gme.consortium], period, today)
    assert runaways.rows == [["GME test", 6, 5, 3]]
    only_c = runaways_table([gme.consortium], period, today, organisation_ids=[gme.member_c.pk])
    assert only_c.rows == []


def test_the_funders_year_of_incidents_gives_no_masked_count_back(gme):
    year = timezone.localdate().year - 1
    # a few events a month, in two kinds, and runaways some of which came back
    for month in range(1, 13):
        for n in range(month % 4):
            SeriousIncidentFactory(
                site=gme.site_b if n % 2 else gme.site_c,
                kind=IncidentKind.VIOLENCE if n % 2 else IncidentKind.SERIOUS_ACCIDENT,
                occurred_on=datetime.date(year, month, 5 + n),
            )
        for n in range(month % 3 + 1):
            gone = datetime.date(year, month, 10 + n)
            _runaway(gme, gone, gone + datetime.timedelta(days=n + 1) if n % 2 == 0 else None)
    consortia = [gme.consortium]
    today = timezone.localdate()
    reads = read_everything(gme.funder_user, consortia, year, today, _definitions(consortia))
    ours = [
        r
        for r in reads
        if r.table.title in ("Fugues et retours", "Événements graves signalés, par nature")
    ]
    assert ours, "the funder reads the incidents' tables"
    problems, tried = exposed(reads)
    assert problems == []
    assert tried
    shown = [row[c] for read in ours for row in read.table.rows for c in read.table.counts]
    assert MASKED in shown
    assert not [v for v in shown if isinstance(v, int) and 1 <= v <= 4]
    medians = [
        row[3]
        for read in ours
        if read.table.title == "Fugues et retours"
        for row in read.table.rows
    ]
    assert all(m in (SECRET, None, "") or isinstance(m, int | float) for m in medians)
