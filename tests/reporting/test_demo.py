"""The Nord demo opens every steering role's dashboard with figures in it."""

from __future__ import annotations

import pytest

from coparcours.demo.nord import load_nord_demo

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
    for key in ("departement", "dreets"):
        answer = client(demo.users[key]).get("/api/v1/reporting/financeur").json()
        assert answer["masked"] is True and answer["tables"]
    for key in ("direction", "qualite"):
        assert client(demo.users[key]).get("/pilotage/groupement/").status_code == 200
    load_nord_demo()  # loading twice changes nothing
    assert demo.users["pilotage-cej"].memberships.count() == 1
