"""Every reporting route × role × dashboard: who may open the aggregates (docs/conventions.md,
"Screens by role": the coordination and the members' directors steer their GME, the partners their
CEJ-JR partnership, the funder viewer sees the masked figures of what it funds; the finance
dashboard is finance's readers': members' finance officers and directors, the coordination;
funders read none). Reporting reads no youth's record; these routes only serve aggregates."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import get_resolver

from coparcours.organisations.models import Role
from coparcours.reporting.models import Campaign, CopilReport

from .conftest import client, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


COVERED_ROUTES = {
    "index",
    "dashboard",
    "export",
    "needs_partners",  # tests/needs/test_register.py
    "copil",
    "copil_history",
    "copil_download",
    "campaigns",
    "campaign",
    "voice",
}  # voice: test_voice.py

#: role name → (how to build the user, the dashboards it may open)
ROLES = {
    "gme_coordinator": (lambda g, p: g.coordinator, {"groupement", "finances"}),
    "gme_member_director": (
        lambda g, p: g.user(g.member_b, Role.DIRECTOR),
        {"groupement", "finances"},
    ),
    "gme_quality_director": (
        lambda g, p: g.user(g.member_c, Role.QUALITY_DIRECTOR),
        {"groupement"},
    ),
    "gme_referent": (lambda g, p: g.user(g.member_b, Role.REFERENT), set()),
    "gme_finance_officer": (lambda g, p: g.user(g.lead, Role.FINANCE_OFFICER), {"finances"}),
    "member_finance_officer": (
        lambda g, p: g.user(g.member_c, Role.FINANCE_OFFICER),
        {"finances"},
    ),
    "funder_viewer": (lambda g, p: g.funder_user, {"financeur"}),
    "porteur_director": (
        lambda g, p: member(p.members.get(is_lead=True).organisation, Role.DIRECTOR),
        {"cej"},
    ),
    "ml_counsellor": (
        lambda g, p: member(p.members.get(is_lead=False).organisation, Role.COUNSELLOR),
        set(),
    ),
    "outsider_director": (lambda g, p: g.user(g.outsider, Role.DIRECTOR), set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_only_its_dashboards(gme, partnership, role):
    make, allowed = ROLES[role]
    browser = client(make(gme, partnership))
    for key in ("groupement", "finances", "cej", "financeur"):
        expected = 200 if key in allowed else 403
        assert browser.get(f"/pilotage/{key}/").status_code == expected, key
        assert browser.get(f"/pilotage/{key}/tableau-0.csv").status_code == expected, key
        assert browser.get(f"/pilotage/{key}/copil/").status_code == expected, key
        assert browser.get(f"/pilotage/{key}/copil/historique/").status_code == expected, key
        assert browser.get(f"/api/v1/reporting/{key}").status_code == expected, key
        # a stored report of every consortium is downloaded only by who reads them all
        report = CopilReport.objects.create(
            dashboard=key, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 2, 1)
        )
        report.pdf.save("r.pdf", ContentFile(b"%PDF-"))
        report.consortia.set([gme.consortium, partnership])
        download = browser.get(f"/pilotage/{key}/copil/{report.pk}.pdf")
        assert download.status_code == (404 if key in allowed else 403), key
    assert browser.get("/pilotage/").status_code == (302 if allowed else 403)
    # evaluation campaigns belong to the GME's steering (quality directors, directors)
    steers_gme = "groupement" in allowed
    assert browser.get("/pilotage/evaluations/").status_code == (200 if steers_gme else 403)
    campaign = Campaign.objects.create(
        consortium=gme.consortium, kind="quality", title="Qualité", due_on=gme.consortium.start_date
    )
    # without the quality feature, refused for any campaign (a hidden one and an unknown
    # one answer the same)
    expected = 200 if steers_gme else 403
    assert browser.get(f"/pilotage/evaluations/{campaign.pk}/").status_code == expected


def test_an_anonymous_visitor_is_sent_to_the_login_page(db):
    anonymous = Client()
    assert anonymous.get("/pilotage/groupement/").status_code == 302
    assert anonymous.get("/api/v1/reporting/groupement").status_code == 401


def test_every_reporting_route_is_in_the_matrix():
    namespace = get_resolver().namespace_dict["reporting"][1]
    assert {p.name for p in namespace.url_patterns} == COVERED_ROUTES
