"""Dashboards, exports, copil PDF and API: who sees what, the French refusal of a bad
period, the funder's masked figures everywhere, and a bounded number of queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from coparcours.cej.rules import Stage
from coparcours.core.exports import safe_cell
from coparcours.housing.factories import CapacityChangeFactory
from coparcours.housing.models import PlacementRequest
from coparcours.organisations.models import Role
from coparcours.reporting import grids

from .conftest import client, member, pathway

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _small(rows) -> list:
    return [c for row in rows for c in row if isinstance(c, int) and 1 <= c <= 4]


def test_each_role_opens_its_own_dashboard_and_no_other(gme, partnership):
    coordinator = client(gme.coordinator)
    assert coordinator.get("/pilotage/").url == "/pilotage/groupement/"
    page = coordinator.get("/pilotage/groupement/")
    assert page.status_code == 200
    assert "Taux d&#x27;occupation par membre" in page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert coordinator.get("/pilotage/cej/").status_code == 403
    assert coordinator.get("/pilotage/financeur/").status_code == 403

    porteur = partnership.members.get(is_lead=True).organisation
    cej = client(member(porteur, Role.DIRECTOR))
    assert cej.get("/pilotage/cej/").status_code == 200
    assert cej.get("/pilotage/groupement/").status_code == 403

    funder = client(gme.funder_user)
    assert funder.get("/pilotage/financeur/").status_code == 200
    assert funder.get("/pilotage/groupement/").status_code == 403

    # a member's finance officer reads the finance dashboard only
    officer = client(gme.user(gme.member_b, Role.FINANCE_OFFICER))
    assert officer.get("/pilotage/").url == "/pilotage/finances/"
    assert officer.get("/pilotage/groupement/").status_code == 403
    # a referent steers nothing; an outsider neither
    for user in (
        gme.user(gme.member_b, Role.REFERENT),
        gme.user(gme.outsider, Role.DIRECTOR),
    ):
        for key in ("groupement", "finances", "cej", "financeur"):
            assert client(user).get(f"/pilotage/{key}/").status_code == 403
        assert client(user).get("/api/v1/reporting/groupement").status_code == 403


def test_a_period_ending_before_it_starts_is_refused_in_french(gme):
    coordinator = client(gme.coordinator)
    page = coordinator.get("/pilotage/groupement/?start=2025-06-01&end=2025-05-01")
    assert "La fin de la période ne peut pas précéder son début." in page.content.decode()
    assert (
        coordinator.get(
            "/pilotage/groupement/tableau-0.csv?start=2025-06-01&end=2025-05-01"
        ).status_code
        == 400
    )
    answer = coordinator.get("/api/v1/reporting/groupement?start=9999-11-01&end=9999-12-31")
    assert answer.status_code == 422
    assert "entre 2000 et 2100" in answer.json()["detail"][0]["msg"]
    answer = coordinator.get("/api/v1/reporting/groupement?start=2025-06-01&end=2025-05-01")
    assert answer.status_code == 422
    assert "ne peut pas précéder son début" in answer.json()["detail"][0]["msg"]


def test_the_coordinator_sees_and_exports_exact_figures(gme):
    for _ in range(3):
        gme.place(gme.site_b, TODAY())
    coordinator = client(gme.coordinator)
    data = coordinator.get("/api/v1/reporting/groupement").json()
    requests = next(t for t in data["tables"] if t["title"] == "Demandes de placement")
    assert requests["rows"][0][:4] == ["GME test", 3, 3, 0]
    assert data["masked"] is False
    index = [t["title"] for t in data["tables"]].index("Demandes de placement")
    response = coordinator.get(f"/pilotage/groupement/tableau-{index}.csv")
    lines = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert lines[0] == [
        "Groupement",
        "Reçues",
        "Accueillies",
        "En attente",
        "Délai moyen d'accueil (jours)",
    ]
    assert lines[1][:4] == ["GME test", "3", "3", "0"]
    response = coordinator.get(f"/pilotage/groupement/tableau-{index}.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows())][:2] == ["Groupement", "Reçues"]


def test_the_funder_never_sees_a_count_between_1_and_4(gme, partnership):
    """In the last ended quarter, the funder's default period (reporting.grids)."""
    day = grids.default(TODAY()).start + datetime.timedelta(days=10)
    for _ in range(3):
        gme.place(gme.site_b, day)
    PlacementRequest.objects.update(  # filed that day (the flow files today)
        created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    for _ in range(6):
        pathway(partnership, day, [Stage.REMOBILISATION])
    pathway(partnership, day, [Stage.REMOBILISATION, Stage.CONTRACT])
    partnership.funder = gme.funder
    partnership.save()
    funder = client(gme.funder_user)
    data = funder.get("/api/v1/reporting/financeur").json()
    assert data["masked"] is True
    assert all(_small(t["rows"]) == [] for t in data["tables"])
    funnel = next(t for t in data["tables"] if t["title"].startswith("Entonnoir"))
    assert funnel["rows"][0][1:] == [7, 100.0]
    assert funnel["rows"][4][1:] == ["< 5", "s"]
    requests = next(t for t in data["tables"] if t["title"] == "Demandes de placement")
    # 3 received, 3 admitted: « < 5 » received would bound the admitted among them, so a
    # small whole reads « s » (reporting/tables.py)
    assert requests["rows"][0][1:3] == ["s", "< 5"]
    assert requests["rows"][-1][1] == "s"  # the total would give the masked cells back
    page = funder.get("/pilotage/financeur/").content.decode()
    assert "&lt; 5" in page
    for index in range(len(data["tables"])):
        for fmt in ("csv", "xlsx"):
            response = funder.get(f"/pilotage/financeur/tableau-{index}.{fmt}")
            if fmt == "csv":
                rows = list(
                    csv.reader(
                        io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")),
                        delimiter=";",
                    )
                )
                cells = [c for row in rows[1:] for c in row]
                assert not any(c in {"1", "2", "3", "4"} for c in cells)
            else:
                sheet = load_workbook(io.BytesIO(response.content)).active
                assert _small([[c.value for c in row] for row in sheet.iter_rows(min_row=2)]) == []


def test_a_cell_a_spreadsheet_would_run_is_neutralised():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell(-3) == -3
    assert safe_cell("Association B") == "Association B"


@pytest.mark.parametrize("youths", [1, 12])
def test_dashboards_make_a_bounded_number_of_queries(
    gme, partnership, youths, django_assert_max_num_queries
):
    CapacityChangeFactory(site=gme.site_b, places=20, planned_on=datetime.date(2019, 1, 1))
    for _ in range(youths):
        gme.place(gme.site_b, TODAY() - datetime.timedelta(days=1))
        pathway(partnership, TODAY(), [Stage.REMOBILISATION, Stage.CONTRACT])
    partnership.funder = gme.funder
    partnership.save()
    porteur = partnership.members.get(is_lead=True).organisation
    coordinator = client(gme.coordinator)
    cej = client(member(porteur, Role.DIRECTOR))
    funder = client(gme.funder_user)
    with django_assert_max_num_queries(40):
        assert coordinator.get("/pilotage/groupement/").status_code == 200
    with django_assert_max_num_queries(30):
        assert cej.get("/pilotage/cej/").status_code == 200
    assert funder.get("/pilotage/financeur/").status_code == 200  # publishes the year
    with django_assert_max_num_queries(20):  # then reads it as published
        assert funder.get("/pilotage/financeur/").status_code == 200


def test_the_home_page_links_each_steering_role_to_its_dashboard(gme):
    page = client(gme.coordinator).get("/").content.decode()
    assert 'href="/pilotage/groupement/"' in page
    page = client(gme.funder_user).get("/").content.decode()
    assert 'href="/pilotage/financeur/"' in page
    page = client(gme.user(gme.member_b, Role.FINANCE_OFFICER)).get("/").content.decode()
    assert 'href="/pilotage/finances/"' in page and 'href="/pilotage/groupement/"' not in page
