"""The funder's "À traiter" block: its last copil report and its last published figures."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.organisations.factories import (
    ConsortiumFactory,
    MembershipFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import Membership, OrganisationKind, Role
from coparcours.organisations.todo import Tone
from coparcours.reporting.home import funder_reports, last_published
from coparcours.reporting.models import CopilReport
from tests.organisations.todo_blocks import home_todo, labels
from tests.reporting.conftest import client


def _report(consortia, dashboard: str = "financeur", start: str = "2026-07-01") -> CopilReport:
    report = CopilReport(dashboard=dashboard, start=start, end="2026-10-01")
    report.pdf.save("copil.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    report.consortia.set(consortia)
    return report


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_last_published_period_is_the_widest_that_ended_last():
    assert last_published(datetime.date(2026, 12, 6)).key == "2026-11"
    assert last_published(datetime.date(2026, 10, 2)).key == "2026-T3"
    assert last_published(datetime.date(2027, 1, 5)).key == "2026"


@pytest.mark.django_db
def test_the_funder_reads_its_last_figures_without_any_report(gme):
    funder = client(gme.funder_user)
    block = home_todo(funder)["funder_reports"]
    grid = last_published(timezone.localdate())
    assert block.count == 1
    (row,) = block.rows
    assert row.label == f"Chiffres publiés : {grid.label}"
    assert row.detail == (
        f"Tableau de bord du financeur, chiffres masqués, publiés le {grid.end:%d/%m/%Y}"
    )
    assert (row.badge, row.tone) == ("nouveau", Tone.NEW)
    assert (row.action, row.url) == ("Ouvrir", f"/pilotage/financeur/?periode={grid.key}")
    assert funder.get(row.url).status_code == 200

    # seen at the last visit: no longer new
    user = gme.funder_user
    user.previous_login = timezone.now()
    user.save(update_fields=["previous_login"])
    assert home_todo(funder)["funder_reports"].rows[0].badge == ""


@pytest.mark.django_db
def test_the_last_copil_report_the_funder_may_read_comes_first(gme):
    older = _report([gme.consortium], start="2026-04-01")
    latest = _report([gme.consortium])
    other = ConsortiumFactory(name="GME d'un autre financeur")
    _report([gme.consortium, other])  # newer, but covers a GME the funder does not fund
    _report([gme.consortium], dashboard="groupement")  # the members' steering
    funder = client(gme.funder_user)
    block = home_todo(funder)["funder_reports"]
    assert block.count == 2
    assert labels(block)[0] == "Rapport de copil du 01/07/2026 au 30/09/2026"
    row = block.rows[0]
    assert row.detail == f"Généré le {timezone.localtime(latest.created_at):%d/%m/%Y}"
    assert (row.action, row.url) == (
        "Télécharger le PDF",
        f"/pilotage/financeur/copil/{latest.pk}.pdf",
    )
    response = funder.get(row.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert row.url != f"/pilotage/financeur/copil/{older.pk}.pdf"


@pytest.mark.django_db
def test_only_a_funder_of_a_consortium_has_the_block(gme):
    assert "funder_reports" not in home_todo(client(gme.coordinator))
    assert "funder_reports" not in home_todo(client(gme.user(gme.lead, Role.FINANCE_OFFICER)))
    nobody_funded = OrganisationFactory(name="Région", kind=OrganisationKind.DEPARTEMENT)
    viewer = MembershipFactory(
        organisation=nobody_funded, role=Role.FUNDER_VIEWER, start_date=datetime.date(2020, 1, 1)
    ).user
    assert "funder_reports" not in home_todo(client(viewer))


@pytest.mark.django_db
def test_funder_reports_cost_the_same_queries_for_more_reports(gme):
    user = gme.funder_user

    def queries() -> int:
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=user.pk)
        request.membership = (
            Membership.objects.active().with_standings().get(user=user, organisation=gme.funder)
        )
        with CaptureQueriesContext(connection) as captured:
            funder_reports(request)
        return len(captured)

    _report([gme.consortium])
    few = queries()
    for start in ("2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"):
        _report([gme.consortium], start=start)
    assert queries() == few


def test_the_demo_funder_opens_its_last_figures(demo, login_client):
    funder = login_client(demo.users["departement"])
    block = home_todo(funder)["funder_reports"]
    grid = last_published(timezone.localdate())
    assert labels(block) == [f"Chiffres publiés : {grid.label}"]
    assert funder.get(block.rows[0].url).status_code == 200
