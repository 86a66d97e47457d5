"""Quality and governance evaluation: the coordination defines the grid, each
member scores itself with evidence, results are compared, the improvement plan has owners
and due dates; a campaign without criteria is refused in French."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.organisations.models import Role
from coparcours.reporting import services
from coparcours.reporting.indicators.surveys import campaign_table
from coparcours.reporting.models import Campaign, CampaignKind

from .conftest import client

pytestmark = pytest.mark.django_db

DUE = datetime.date(2020, 12, 15)


def test_a_campaign_without_criteria_is_refused_and_nothing_is_saved(gme):
    coordinator = client(gme.coordinator)
    page = coordinator.post(
        "/pilotage/evaluations/",
        {
            "consortium": gme.consortium.pk,
            "kind": CampaignKind.QUALITY,
            "title": "Évaluation qualité fin 2020",
            "due_on": "2020-12-15",
            "criteria": "  \n ",
        },
    )
    assert "Une campagne sans critère ne peut pas être ouverte" in page.content.decode()
    assert not Campaign.objects.exists()


def test_a_quality_campaign_round(gme):
    coordinator = client(gme.coordinator)
    response = coordinator.post(
        "/pilotage/evaluations/",
        {
            "consortium": gme.consortium.pk,
            "kind": CampaignKind.QUALITY,
            "title": "Évaluation qualité fin 2020",
            "due_on": "2020-12-15",
            "criteria": "Projet personnalisé à jour\nScolarité sécurisée lors des réorientations",
        },
    )
    campaign = Campaign.objects.get()
    assert response.url == f"/pilotage/evaluations/{campaign.pk}/"
    first, second = campaign.criteria.all()
    quality_b = client(gme.user(gme.member_b, Role.QUALITY_DIRECTOR))
    quality_b.post(
        response.url,
        {"organisation": gme.member_b.pk, "criterion": first.pk, "score": "3",
         "evidence": "Audit interne de 40 dossiers", "comment": "", "score_submit": "1"},
    )  # fmt: skip
    services.score(gme.user(gme.member_c, Role.QUALITY_DIRECTOR), first, gme.member_c, 1, "Revue")
    services.score(gme.user(gme.member_c, Role.QUALITY_DIRECTOR), second, gme.member_c, 4, "Revue")
    table = campaign_table(campaign)
    assert table.headers == ["Critère", "Association A (mandataire)", "Association B",
                             "Association C", "Moyenne"]  # fmt: skip
    assert table.rows == [
        ["Projet personnalisé à jour", None, 3, 1, 2.0],
        ["Scolarité sécurisée lors des réorientations", None, None, 4, 4.0],
    ]
    quality_b.post(
        response.url,
        {"organisation": gme.member_b.pk, "action": "Former les référents au projet personnalisé",
         "owner": "Directrice qualité", "due_on": "2021-03-31"},
    )  # fmt: skip
    page = quality_b.get(response.url).content.decode()
    assert "Former les référents au projet personnalisé" in page and "31/03/2021" in page
    assert 'src="data:image/svg+xml;base64,' in page


def test_who_may_open_score_and_plan(gme):
    with pytest.raises(PermissionDenied):
        services.open_campaign(
            gme.user(gme.member_b, Role.DIRECTOR), gme.consortium, CampaignKind.GOVERNANCE,
            "Gouvernance", DUE, ["Copil"],
        )  # fmt: skip
    campaign = services.open_campaign(
        gme.coordinator, gme.consortium, CampaignKind.GOVERNANCE, "Gouvernance 2021", DUE,
        ["Le copil se réunit chaque trimestre"],
    )  # fmt: skip
    criterion = campaign.criteria.get()
    # a member scores only itself; a referent does not score
    with pytest.raises(PermissionDenied):
        services.score(gme.user(gme.member_b, Role.DIRECTOR), criterion, gme.member_c, 2, "x")
    with pytest.raises(PermissionDenied):
        services.score(gme.user(gme.member_b, Role.REFERENT), criterion, gme.member_b, 2, "x")
    with pytest.raises(ValidationError):
        services.score(gme.user(gme.member_b, Role.DIRECTOR), criterion, gme.member_b, 2, " ")
    # outsiders, referents and the funder do not see the campaign
    for user in (gme.user(gme.outsider, Role.DIRECTOR), gme.user(gme.member_b, Role.REFERENT),
                 gme.funder_user):  # fmt: skip
        assert client(user).get(f"/pilotage/evaluations/{campaign.pk}/").status_code in (403, 404)
        assert client(user).get("/pilotage/evaluations/").status_code == 403
    # a member's director sees the results but opens no campaign
    director = client(gme.user(gme.member_b, Role.DIRECTOR))
    assert director.get(f"/pilotage/evaluations/{campaign.pk}/").status_code == 200
    assert director.post("/pilotage/evaluations/", {"title": "x"}).status_code == 403
