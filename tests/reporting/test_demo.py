"""The Nord demo opens every steering role's dashboard with figures in it; with the year of
steering activity that ``make demo`` loads, the funder's masked dashboard shows real
numbers in most cells and still masks a few small counts."""

from __future__ import annotations

import time

import pytest

from coparcours.demo.nord import load_nord_demo
from coparcours.demo.reporting import load_steering_volume
from coparcours.housing.models import Stay
from coparcours.reporting.tables import MASKED, SECRET

from .conftest import client

pytestmark = pytest.mark.django_db


def test_the_demo_feeds_each_role_s_dashboard():
    demo = load_nord_demo()
    cej = client(demo.users["pilotage-cej"]).get("/api/v1/reporting/cej").json()
    funnel = cej["tables"][0]
    assert funnel["rows"][0][0] == "Repéré·es"
    gme = client(demo.users["coordination"]).get("/api/v1/reporting/groupement").json()
    occupancy = gme["tables"][1]
    assert any(row[3] for row in occupancy["rows"][:-1])  # an occupancy rate per member
    finance = client(demo.users["finances"]).get("/api/v1/reporting/finances").json()
    months = finance["tables"][0]["rows"]
    assert months[-1][0] == "Total" and months[-1][3] == months[-1][4] != "0.00"  # passed on
    for key in ("departement", "dreets"):
        answer = client(demo.users[key]).get("/api/v1/reporting/financeur").json()
        assert answer["masked"] is True and answer["tables"]
    for key in ("direction", "qualite"):
        assert client(demo.users[key]).get("/pilotage/groupement/").status_code == 200
    load_nord_demo()  # loading twice changes nothing
    assert demo.users["pilotage-cej"].memberships.count() == 1


def _cells(tables: list[dict]) -> list:
    """The figures of every table (not the labels, not the totals' blank cells)."""
    return [
        cell
        for table in tables
        for row in table["rows"]
        for cell in row[1:]
        if cell not in ("", None)
        and not (isinstance(cell, str) and not cell[:1].isdigit() and cell not in (MASKED, SECRET))
    ]


def test_the_steering_volume_gives_the_funder_mostly_real_figures():
    demo = load_nord_demo()
    org = {"porteur": demo.porteur, "mission_locale": demo.mission_locale}
    began = time.monotonic()
    load_steering_volume(demo.gme, demo.cej_jr, org)
    print(f"steering volume loaded in {time.monotonic() - began:.1f} s")
    cells = []
    for key in ("departement", "dreets"):
        answer = client(demo.users[key]).get("/api/v1/reporting/financeur").json()
        cells += _cells(answer["tables"])
    hidden = [cell for cell in cells if cell in (MASKED, SECRET)]
    shown = [cell for cell in cells if cell not in (MASKED, SECRET) and cell != 0]
    assert len(shown) > len(hidden) > 0, (shown, hidden)
    assert MASKED in hidden  # small counts are still masked
    stays = Stay.objects.count()
    load_steering_volume(demo.gme, demo.cej_jr, org)  # loading twice changes nothing
    assert Stay.objects.count() == stays
