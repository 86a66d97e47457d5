"""Copil reports: a comment per table written before generating the PDF, the
report kept as generated in the dashboard's history, downloaded again under the same
access rule; a bad period or a too long comment refused in French."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from coparcours.organisations.models import Role
from coparcours.reporting.forms.copil import COMMENT_MAX_LENGTH
from coparcours.reporting.models import CopilReport

from .conftest import client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}


def test_comments_are_written_per_table_and_the_report_is_kept(gme):
    coordinator = client(gme.coordinator)
    page = coordinator.get("/pilotage/groupement/copil/?start=2025-01-01&end=2025-06-30")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Commentaire — Demandes de placement" in text
    assert 'name="start" value="2025-01-01"' in text
    answer = coordinator.post(
        "/pilotage/groupement/copil/",
        {**PERIOD, "organisation": gme.member_b.pk, "comment_3": "Délais en baisse."},
    )
    report = CopilReport.objects.get()
    assert answer.status_code == 302
    assert answer.url == f"/pilotage/groupement/copil/historique/#rapport-{report.pk}"
    assert (report.dashboard, str(report.start), str(report.end)) == (
        "groupement",
        "2025-01-01",
        "2025-07-01",
    )
    assert report.filters == {"organisation": gme.member_b.pk}
    assert report.comments[3] == {"table": "Demandes de placement", "comment": "Délais en baisse."}
    assert list(report.consortia.all()) == [gme.consortium]
    assert report.created_by == gme.coordinator
    history = coordinator.get("/pilotage/groupement/copil/historique/").content.decode()
    assert f"/pilotage/groupement/copil/{report.pk}.pdf" in history
    assert "Délais en baisse." in history
    download = coordinator.get(f"/pilotage/groupement/copil/{report.pk}.pdf")
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    report.pdf.open("rb")
    assert body == report.pdf.read()  # the PDF as generated, not rendered again
    report.pdf.close()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Délais en baisse." in text and "Membre : Association B" in text
    # another member's director steers the same GME: same history
    director = client(gme.user(gme.member_c, Role.DIRECTOR))
    assert director.get(f"/pilotage/groupement/copil/{report.pk}.pdf").status_code == 200
    # the funder, the CEJ-JR and an outsider do not reach it
    assert (
        client(gme.funder_user).get(f"/pilotage/financeur/copil/{report.pk}.pdf").status_code == 404
    )
    outsider = client(gme.user(gme.outsider, Role.DIRECTOR))
    assert outsider.get(f"/pilotage/groupement/copil/{report.pk}.pdf").status_code == 403
    assert outsider.get("/pilotage/groupement/copil/historique/").status_code == 403


def test_a_bad_period_or_a_too_long_comment_is_refused_in_french(gme):
    coordinator = client(gme.coordinator)
    answer = coordinator.post(
        "/pilotage/groupement/copil/", {"start": "2025-06-01", "end": "2025-05-01"}
    )
    assert answer.status_code == 400
    assert "La fin de la période ne peut pas précéder son début." in answer.content.decode()
    answer = coordinator.post(
        "/pilotage/groupement/copil/", {**PERIOD, "comment_0": "x" * (COMMENT_MAX_LENGTH + 1)}
    )
    assert answer.status_code == 400
    assert "Un commentaire ne peut dépasser 2000 caractères" in answer.content.decode()
    assert not CopilReport.objects.exists()
    # a GET never generates
    coordinator.get("/pilotage/groupement/copil/?start=2025-01-01&end=2025-06-30")
    assert not CopilReport.objects.exists()


def test_a_finance_report_is_read_only_by_who_reads_its_members(gme):
    manager = client(gme.user(gme.lead, Role.FINANCE_OFFICER))
    assert manager.post("/pilotage/finances/copil/", PERIOD).status_code == 302
    every_member = CopilReport.objects.get()
    assert every_member.member_scope is None
    officer_c = gme.user(gme.member_c, Role.FINANCE_OFFICER)
    assert client(officer_c).post("/pilotage/finances/copil/", PERIOD).status_code == 302
    own = CopilReport.objects.exclude(pk=every_member.pk).get()
    assert own.member_scope == [gme.member_c.pk]
    # the member's officer lists and downloads its own report, not the whole group's
    history = client(officer_c).get("/pilotage/finances/copil/historique/").content.decode()
    assert f"/copil/{own.pk}.pdf" in history and f"/copil/{every_member.pk}.pdf" not in history
    assert (
        client(officer_c).get(f"/pilotage/finances/copil/{every_member.pk}.pdf").status_code == 404
    )
    assert manager.get(f"/pilotage/finances/copil/{own.pk}.pdf").status_code == 200
    # the GME's dashboard history does not list a finance report
    coordinator = client(gme.coordinator)
    assert coordinator.get(f"/pilotage/groupement/copil/{own.pk}.pdf").status_code == 404


def test_the_copil_pages_make_a_bounded_number_of_queries(gme, django_assert_max_num_queries):
    coordinator = client(gme.coordinator)
    for _ in range(3):
        coordinator.post("/pilotage/groupement/copil/", PERIOD)
    with django_assert_max_num_queries(45):
        assert coordinator.post("/pilotage/groupement/copil/", PERIOD).status_code == 302
    with django_assert_max_num_queries(12):
        assert coordinator.get("/pilotage/groupement/copil/historique/").status_code == 200


def test_a_report_of_one_member_is_read_by_that_member_s_officer(gme):
    manager = client(gme.user(gme.lead, Role.FINANCE_OFFICER))
    answer = manager.post("/pilotage/finances/copil/", {**PERIOD, "organisation": gme.member_c.pk})
    assert answer.status_code == 302
    report = CopilReport.objects.get()
    assert report.member_scope == [gme.member_c.pk]
    officer_c = client(gme.user(gme.member_c, Role.FINANCE_OFFICER))
    assert officer_c.get(f"/pilotage/finances/copil/{report.pk}.pdf").status_code == 200
    officer_b = client(gme.user(gme.member_b, Role.FINANCE_OFFICER))
    assert officer_b.get(f"/pilotage/finances/copil/{report.pk}.pdf").status_code == 404
    # a GME report filtered on a member is the GME's steering, whoever reads it
    client(gme.coordinator).post(
        "/pilotage/groupement/copil/", {**PERIOD, "organisation": gme.member_c.pk}
    )
    assert CopilReport.objects.get(dashboard="groupement").member_scope is None


def test_the_history_is_listed_latest_first_a_page_at_a_time(gme):
    """Years of monthly copils stay readable: 25 reports per page, the latest first."""
    for month in range(1, 28):
        report = CopilReport(
            dashboard="groupement", start=f"2024-{1 + month % 12:02}-01", end="2025-01-01"
        )
        report.pdf.save(f"copil-{month}.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        report.consortia.add(gme.consortium)
    coordinator = client(gme.coordinator)
    first = coordinator.get("/pilotage/groupement/copil/historique/").content.decode()
    second = coordinator.get("/pilotage/groupement/copil/historique/?page=2").content.decode()
    newest, oldest = CopilReport.objects.order_by("-pk")[0], CopilReport.objects.order_by("pk")[0]
    assert f'id="rapport-{newest.pk}"' in first and f'id="rapport-{oldest.pk}"' not in first
    assert f'id="rapport-{oldest.pk}"' in second and f'id="rapport-{newest.pk}"' not in second
    assert first.count('id="rapport-') == 25 and second.count('id="rapport-') == 2
    assert "Page 1 sur 2" in first
