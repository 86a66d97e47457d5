"""A placement request's page and its API route show or name the requested youth (name,
birth date): each reading is audited, with the youth when the request is linked to a
record, and the request itself always (CNIL référentiel 2021-028)."""

from __future__ import annotations

import pytest
from django.test import Client

from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role

pytestmark = pytest.mark.django_db


def reads_of(placement) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(
            event=AuditEvent.READ,
            object_type="housing.PlacementRequest",
            object_id=str(placement.pk),
        ).order_by("pk")
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("route", ["/hebergement/demandes/{pk}/", "/api/v1/housing/requests/{pk}"])
def test_the_coordination_reading_a_request_is_audited(gme, route):
    placement = gme.file(last_name="Sow", first_names="Aliou")
    client = client_for(gme.coordinator)
    assert reads_of(placement) == []
    assert client.get(route.format(pk=placement.pk)).status_code == 200
    [line] = reads_of(placement)
    assert line.user == gme.coordinator
    assert (line.organisation_id, line.organisation_name) == (gme.lead.pk, gme.lead.name)
    assert line.youth_id is None  # not linked to a record yet: the request is named
    assert line.category == Category.IDENTITY


@pytest.mark.parametrize("route", ["/hebergement/demandes/{pk}/", "/api/v1/housing/requests/{pk}"])
def test_the_funder_reading_its_request_is_audited(gme, route):
    placement = gme.file()
    client = client_for(gme.funder_user)
    assert client.get(route.format(pk=placement.pk)).status_code == 200
    [line] = reads_of(placement)
    assert line.user == gme.funder_user and line.organisation_id == gme.funder.pk


def test_a_request_linked_to_a_youth_names_the_youth(gme):
    stay = gme.place()
    placement = stay.request
    assert placement.youth_id == stay.youth_id
    assert (
        client_for(gme.coordinator).get(f"/hebergement/demandes/{placement.pk}/").status_code == 200
    )
    [line] = reads_of(placement)
    assert line.youth_id == stay.youth_id


def test_a_request_not_shown_is_not_logged_as_read(gme):
    placement = gme.file()
    outsider = gme.user(gme.outsider, Role.COORDINATOR)
    client = client_for(outsider)
    assert client.get(f"/hebergement/demandes/{placement.pk}/").status_code in {403, 404}
    # a coordinator outside every GME lacks housing_requests: refused before any lookup
    assert client.get(f"/api/v1/housing/requests/{placement.pk}").status_code in {403, 404}
    assert reads_of(placement) == []
