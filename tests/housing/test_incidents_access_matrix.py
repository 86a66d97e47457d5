"""The access matrix of serious incidents and runaways: every role × relationship to a
hosted youth who ran away (tests/housing/test_access_matrix.py's world: hosted by member B,
owned by member C, the coordination in A, a mission locale partner, an association outside
the GME, the funder) against every incident page. The host's staff report, read all and
record the return; the coordination reads the youth and the facts and acknowledges and
closes; the host names another youth concerned; both add the follow-up given; the funder
reads the notice, never the name, the facts nor the details; everyone else is refused, and
nothing changes on a refusal."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.housing.models.incidents import IncidentMeasure, IncidentStatus, SeriousIncident
from coparcours.housing.services import incidents as incident_services
from coparcours.organisations.models import Role
from tests.access.declared import declared_status

from .conftest import TODAY
from .test_access_matrix import CASES, hosted_world, refused
from .test_incidents import runaway

DAY = datetime.timedelta(days=1)
HOUSING_STAFF = {Role.COORDINATOR, Role.DIRECTOR, Role.REFERENT}
HEALTH = "Traitement quotidien interrompu."


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), CASES)
def test_incident_pages_follow_the_policy(role, relationship):
    gme, stay, organisations = hosted_world()
    incident = incident_services.report_incident(
        gme.user(gme.member_b, Role.REFERENT),
        gme.site_b,
        runaway(occurred_on=TODAY() - 2 * DAY, declared_on=TODAY() - DAY),
        stay,
    )
    client = Client()
    user = gme.user(organisations[relationship], role)
    client.force_login(user)
    host = relationship == "host" and role in HOUSING_STAFF
    coordination = relationship == "coordination" and role == Role.COORDINATOR
    funder = relationship == "funder" and role == Role.FUNDER_VIEWER
    follows = host or coordination or funder

    listing = client.get("/hebergement/evenements-graves/")
    assert listing.status_code == declared_status(user, "/hebergement/evenements-graves/", 200)
    if listing.status_code == 200:
        shown = [i.pk for i in listing.context["page"]]
        assert (incident.pk in shown) == follows
        assert "HEBERGENOM" not in listing.content.decode()

    page = f"/hebergement/evenements-graves/{incident.pk}/"
    detail = client.get(page)
    assert detail.status_code == declared_status(user, page, 200 if follows else 404)
    html = detail.content.decode()
    assert ("HEBERGENOM" in html) == (host or coordination)
    assert (HEALTH in html) == host
    assert ("repas du soir" in html) == (host or coordination)  # the facts

    page = f"/hebergement/sejours/{stay.pk}/evenement-grave/"
    expected = 200 if host else refused(role, relationship)
    assert client.get(page).status_code == declared_status(user, page, expected)

    page = f"/hebergement/evenements-graves/{incident.pk}/retour/"
    expected = 200 if host else (403 if coordination else 404)
    assert client.get(page).status_code == declared_status(user, page, expected)
    response = client.post(page, {"returned_on": (TODAY() - 2 * DAY).isoformat()})
    assert response.status_code == declared_status(user, page, expected)  # refused date

    page = f"/hebergement/evenements-graves/{incident.pk}/jeunes/"
    expected = 200 if host else (403 if coordination or funder else 404)
    assert client.get(page).status_code == declared_status(user, page, expected)

    page = f"/hebergement/evenements-graves/{incident.pk}/suite/"
    expected = 200 if host or coordination else (403 if funder else 404)
    assert client.get(page).status_code == declared_status(user, page, expected)
    response = client.post(page, {"text": " "})
    assert response.status_code == declared_status(user, page, expected)  # refused: empty
    assert not IncidentMeasure.objects.exists()

    page = f"/hebergement/evenements-graves/{incident.pk}/cloture/"
    expected = 200 if coordination else 404
    assert client.get(page).status_code == declared_status(user, page, expected)
    page = f"/hebergement/evenements-graves/{incident.pk}/prise-en-compte/"
    expected = 302 if coordination else 404
    assert client.post(page).status_code == declared_status(user, page, expected)
    incident.refresh_from_db()
    assert incident.status == (
        IncidentStatus.ACKNOWLEDGED if coordination else IncidentStatus.DECLARED
    )
    assert incident.returned_on is None and SeriousIncident.objects.count() == 1
