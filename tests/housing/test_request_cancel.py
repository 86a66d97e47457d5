"""Cancelling a placement request is confirmed first, saying what it ends."""

import pytest

from coparcours.housing.models.requests import RequestStatus
from coparcours.housing.services import requests as request_services
from coparcours.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_the_funder_is_told_what_cancelling_ends_before_it_happens(gme):
    placement = gme.file()
    request_services.propose(gme.coordinator, placement, gme.site_b, placement.requested_date)
    client = gme.client(gme.funder, Role.FUNDER_VIEWER)
    url = f"/hebergement/demandes/{placement.pk}/annuler/"

    detail = client.get(f"/hebergement/demandes/{placement.pk}/").content.decode()
    assert f'href="{url}">Annuler la demande…</a>' in detail
    page = client.get(url).content.decode()
    assert "Ce que cela entraîne" in page
    assert "Une proposition en attente ou acceptée est retirée" in page
    placement.refresh_from_db()
    assert placement.status == RequestStatus.PROPOSED  # asking changed nothing

    response = client.post(url)
    assert response.url == f"/hebergement/demandes/{placement.pk}/"
    placement.refresh_from_db()
    assert placement.status == RequestStatus.CANCELLED
    assert client.get(url).url == f"/hebergement/demandes/{placement.pk}/"  # nothing to confirm


def test_a_member_may_not_open_the_cancellation(gme):
    placement = gme.file()
    response = gme.client(gme.member_b, Role.DIRECTOR).get(
        f"/hebergement/demandes/{placement.pk}/annuler/"
    )
    assert response.status_code in {403, 404}
    placement.refresh_from_db()
    assert placement.status == RequestStatus.RECEIVED
