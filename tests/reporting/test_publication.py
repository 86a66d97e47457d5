"""A funder's year of figures, audited as one: the attacker (funder_attacker.py) reads
every grid period of a year, for each consortium and all together, and narrows no count
shown « < 5 » — on the Nord demo and on generated consortia of several sizes. The
publication is computed once per ended period, and a count once suppressed stays so."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coparcours.cej.factories import PathwayFactory
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.demo.nord import load_nord_demo
from coparcours.demo.reporting import load_steering_volume
from coparcours.housing.factories import PlacementRequestFactory
from coparcours.housing.models import PlacementRequest
from coparcours.housing.models.requests import RequestStatus
from coparcours.organisations.models import Consortium
from coparcours.reporting import grids, publication, selectors, tasks
from coparcours.reporting.indicators.cej import cej_tables
from coparcours.reporting.indicators.gme import gme_tables
from coparcours.reporting.indicators.needs import flow_table
from coparcours.reporting.models import FunderPublication
from coparcours.reporting.tables import MASKED, SECRET
from coparcours.youths.factories import YouthFactory
from tests.housing.conftest import build_gme

from .conftest import client
from .funder_attacker import exposed, read_everything

pytestmark = pytest.mark.django_db


def _definitions(consortia) -> dict:
    """The tables' public definitions (columns, relations), whatever their figures."""
    period = grids.GridPeriod(grids.MONTH, datetime.date(2025, 1, 1)).period
    gmes = [c for c in consortia if c.kind == "gme"]
    partnerships = [c for c in consortia if c.kind == "cej_jr"]
    tables = gme_tables(gmes, period, timezone.localdate()) + cej_tables(
        partnerships, period, timezone.localdate(), masked_voice=False
    )
    tables.append(flow_table(consortia, period))
    return {table.title: table for table in tables}


def _funded(user) -> list[Consortium]:
    return list(selectors.steered(user, selectors.FUNDER))


def test_the_demo_year_gives_no_masked_count_back(caplog):
    demo = load_nord_demo()
    load_steering_volume(
        demo.gme, demo.cej_jr, {"porteur": demo.porteur, "mission_locale": demo.mission_locale}
    )
    today = timezone.localdate()
    tried = 0
    with caplog.at_level(logging.ERROR, logger="coparcours.reporting.secrecy"):
        for login in ("departement", "dreets"):
            consortia = _funded(demo.users[login])
            for year in (today.year - 1, today.year):
                reads = read_everything(
                    demo.users[login], consortia, year, today, _definitions(consortia)
                )
                problems, count = exposed(reads)
                assert problems == [], f"{login} {year}"
                tried += count
    assert tried, "the demo's small counts are masked somewhere"
    broken = [r for r in caplog.records if r.name == "coparcours.reporting.secrecy"]
    assert broken == [], "every declared relation holds on the demo's figures"


@pytest.fixture
def funded_pair(db, partnership):
    """A GME and a CEJ-JR partnership funded by the same Département."""
    gme = build_gme()
    partnership.funder = gme.funder
    partnership.save()
    gme.funder_user  # created once, outside the examples' rolled back changes
    return gme, partnership


counts_a_month = st.lists(st.integers(min_value=0, max_value=7), min_size=12, max_size=12)


@settings(
    deadline=None, max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(requests=counts_a_month, exits=counts_a_month, admitted_share=st.integers(0, 100))
def test_generated_consortia_give_no_masked_count_back(
    funded_pair, requests, exits, admitted_share
):
    gme, partnership = funded_pair
    year = timezone.localdate().year - 1
    with transaction.atomic():
        _generate(gme.consortium, partnership, year, requests, exits, admitted_share)
        consortia = [gme.consortium, partnership]
        reads = read_everything(
            gme.funder_user, consortia, year, timezone.localdate(), _definitions(consortia)
        )
        problems, _tried = exposed(reads)
        assert problems == []
        small = [
            row[c]
            for read in reads
            for row in read.table.rows
            for c in read.table.counts
            if isinstance(row[c], int) and 1 <= row[c] <= 4
        ]
        assert small == []
        transaction.set_rollback(True)


def _generate(gme, partnership, year, requests, exits, admitted_share) -> None:
    outcomes = [value for value, _label in ExitOutcome.choices]
    for month, (received, left) in enumerate(zip(requests, exits, strict=True), start=1):
        day = timezone.make_aware(datetime.datetime(year, month, 10, 12))
        for n in range(received):
            admitted = n * 100 < received * admitted_share
            found = PlacementRequestFactory(
                consortium=gme,
                status=RequestStatus.ADMITTED if admitted else RequestStatus.WAITING,
            )
            PlacementRequest.objects.filter(pk=found.pk).update(created_at=day)
        for n in range(left):
            _exit(
                partnership, datetime.date(year, month, 20), outcomes[(n + month) % len(outcomes)]
            )


def _exit(partnership, on: datetime.date, outcome: str) -> None:
    """A youth identified on the month's first day, who exits on ``on``."""
    porteur = partnership.members.get(is_lead=True).organisation
    PathwayFactory(
        youth=YouthFactory(owner_organisation=porteur),
        partnership=partnership,
        author_organisation=porteur,
        mission_locale=partnership.members.get(is_lead=False).organisation,
        identified_on=on.replace(day=1),
        exit_on=on,
        exit_outcome=outcome,
    )


def test_the_year_is_published_once_per_ended_period_and_keeps_what_it_suppressed(funded_pair):
    gme, partnership = funded_pair
    consortia = [gme.consortium, partnership]
    year = 2025
    _exit(partnership, datetime.date(year, 3, 20), ExitOutcome.choices[0][0])
    march = grids.GridPeriod(grids.MONTH, datetime.date(year, 3, 1))
    first = publication.published(consortia, year, datetime.date(year, 4, 2))
    assert first.periods == ["2025-T1", "2025-03", "2025-02", "2025-01"]
    exits = _cell(
        publication.funder_tables(consortia, partnership, march, datetime.date(year, 4, 2))
    )
    assert exits == MASKED
    assert publication.published(consortia, year, datetime.date(year, 4, 30)).pk == first.pk
    # Late entries in March bring its exits to 6; the May publication keeps the cell hidden.
    for _ in range(5):
        _exit(partnership, datetime.date(year, 3, 21), ExitOutcome.choices[0][0])
    again = publication.published(consortia, year, datetime.date(year, 5, 2))
    assert "2025-04" in again.periods and FunderPublication.objects.count() == 1
    assert (
        _cell(publication.funder_tables(consortia, partnership, march, datetime.date(year, 5, 2)))
        == SECRET
    )


def _cell(tables) -> object:
    exits = next(t for t in tables if t.title == "Sorties par issue")
    return next(row[1] for row in exits.rows if row[0] == ExitOutcome.choices[0][1])


def test_the_monthly_job_publishes_every_funders_year(funded_pair, django_assert_max_num_queries):
    gme, partnership = funded_pair
    assert tasks.publish_funder_figures.call_local() >= 1
    stored = FunderPublication.objects.get(year=grids.default(timezone.localdate()).start.year)
    assert stored.scope == ",".join(str(pk) for pk in sorted([gme.consortium.pk, partnership.pk]))
    funder = client(gme.funder_user)
    with django_assert_max_num_queries(20):  # read as published, nothing computed
        assert funder.get("/api/v1/reporting/financeur").status_code == 200
