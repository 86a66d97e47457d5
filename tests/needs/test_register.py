"""The register aggregated by territory and dimension: the consortium's steering reads every
count, the funder reads the needs noticed and answered under statistical secrecy, and an
attacker reading the funder's whole year narrows no count it hides (a youth's
mental-health need among them)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.needs.models import NeedDimension, NeedStatus, UnmetNeed
from coparcours.reporting import grids
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.indicators.needs import FLOW_TITLE, OPEN_TITLE, flow_table, open_table
from coparcours.reporting.tables import MASKED, SECRET
from coparcours.youths.factories import YouthFactory
from tests.housing.conftest import build_gme
from tests.reporting.conftest import client
from tests.reporting.funder_attacker import exposed, read_everything
from tests.reporting.test_publication import _definitions

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


def _need(organisation, dimension, since, closed_on=None, status=NeedStatus.OPEN):
    youth = YouthFactory(owner_organisation=organisation)
    return UnmetNeed.objects.create(
        youth=youth,
        author_organisation=organisation,
        dimension=dimension,
        since=since,
        description="Besoin",
        status=status if closed_on else NeedStatus.OPEN,
        closed_on=closed_on,
    )


@pytest.fixture
def funded(partnership):
    """A GME and a CEJ-JR partnership of the same funder, with needs of last year: housing
    needs noticed in March and partly met in May, one mental-health need of one youth
    in the GME, two in the partnership."""
    gme = build_gme()
    partnership.funder = gme.funder
    partnership.save()
    day = datetime.date
    for n in range(7):
        met = day(YEAR, 5, 10 + n) if n < 3 else None
        _need(gme.member_b, NeedDimension.HOUSING, day(YEAR, 3, 2), met, NeedStatus.MET)
    _need(gme.member_c, NeedDimension.MENTAL_HEALTH, day(YEAR, 6, 1), day(YEAR, 8, 1), "met")
    porteur = partnership.members.get(is_lead=True).organisation
    for _ in range(2):
        _need(porteur, NeedDimension.MENTAL_HEALTH, day(YEAR, 9, 3))
    _need(porteur, NeedDimension.RESOURCES, day(YEAR, 9, 3), day(YEAR, 9, 20), "abandoned")
    return gme, partnership


def _row(table, dimension):
    return next(row for row in table.rows if row[1] == NeedDimension(dimension).label)


def test_the_flow_counts_needs_noticed_met_and_abandoned_with_the_median_delay(funded):
    gme, partnership = funded
    year = Period(datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1))
    table = flow_table([gme.consortium, partnership], year)
    assert table.title == FLOW_TITLE
    housing = _row(table, NeedDimension.HOUSING)
    assert housing[2:] == [7, 3, 0, 70]  # noticed 2 March, met 10–12 May: 69, 70, 71 days
    assert _row(table, NeedDimension.MENTAL_HEALTH)[2:5] == [3, 1, 0]
    assert _row(table, NeedDimension.RESOURCES)[2:5] == [1, 0, 1]
    may = Period(datetime.date(YEAR, 5, 1), datetime.date(YEAR, 6, 1))
    assert _row(flow_table([gme.consortium], may), NeedDimension.HOUSING)[2:5] == [0, 3, 0]


def test_the_needs_still_open_at_the_end_of_the_period(funded):
    gme, partnership = funded
    summer = Period(datetime.date(YEAR, 7, 1), datetime.date(YEAR, 10, 1))
    table = open_table([gme.consortium, partnership], summer, timezone.localdate())
    assert table.title == OPEN_TITLE
    housing = _row(table, NeedDimension.HOUSING)
    assert housing[2:] == [4, 4, (datetime.date(YEAR, 9, 30) - datetime.date(YEAR, 3, 2)).days]
    assert _row(table, NeedDimension.MENTAL_HEALTH)[2:4] == [2, 0]


def test_the_consortiums_steering_reads_every_count(funded):
    gme, _partnership = funded
    coordinator = client(gme.user(gme.lead, "coordinator"))
    page = coordinator.get(
        "/pilotage/groupement/", {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    )
    assert page.status_code == 200
    tables = {table.title: table for table in page.context["board"].tables}
    mental = _row(tables[FLOW_TITLE], NeedDimension.MENTAL_HEALTH)
    assert mental[2:5] == [1, 1, 0]  # the steering's own youths, unmasked
    assert OPEN_TITLE in tables


def test_the_funder_reads_masked_figures_that_give_no_count_back(funded):
    gme, partnership = funded
    consortia = [gme.consortium, partnership]
    today = timezone.localdate()
    reads = read_everything(gme.funder_user, consortia, YEAR, today, _definitions(consortia))
    problems, tried = exposed(reads)
    assert problems == [] and tried
    needs = [read for read in reads if read.table.title == FLOW_TITLE]
    assert needs, "the funder reads the register's table"
    for read in needs:
        for row in read.table.rows:
            for column in read.table.counts:
                assert row[column] in (MASKED, SECRET) or not 1 <= row[column] <= 4, row
    year = next(r for r in needs if r.period.kind == grids.YEAR and r.view == "")
    assert year.table.rows, "the year's register is published, masked where it must be"
    assert _row(year.table, NeedDimension.MENTAL_HEALTH)[2] in (MASKED, SECRET)
    assert OPEN_TITLE not in {read.table.title for read in reads}


def test_the_copy_for_partners_masks_small_counts(funded):
    gme, _partnership = funded
    coordinator = client(gme.user(gme.lead, "coordinator"))
    query = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    page = coordinator.get("/pilotage/groupement/", query).content.decode()
    assert "/pilotage/groupement/besoins-partenaires.csv" in page
    answer = coordinator.get("/pilotage/groupement/besoins-partenaires.csv", query)
    assert answer.status_code == 200
    lines = b"".join(answer.streaming_content).decode("utf-8-sig").splitlines()
    mental = next(line for line in lines if "Santé mentale" in line)
    assert "< 5" in mental and ",1," not in mental
    sheet = coordinator.get("/pilotage/groupement/besoins-partenaires.xlsx", query)
    assert sheet.status_code == 200 and sheet.content.startswith(b"PK")
    funder = client(gme.funder_user)
    assert funder.get("/pilotage/financeur/besoins-partenaires.csv").status_code in (403, 404)
