"""A partnership's public page: its porteur (or, for a GME, the coordination and the
Département) hands out its link and QR code and opens or closes it; the directory lists the
open pages to every professional; the API lists the queue without the youth's details."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coparcours.orientations.models import OrientationPage

pytestmark = pytest.mark.django_db


def test_the_porteur_hands_out_the_link_and_qr_code_and_closes_the_page(
    demo, login_client, django_assert_max_num_queries
):
    client = login_client(demo.users["pilotage-cej"])
    page = OrientationPage.objects.get(consortium=demo.cej_jr)
    public = reverse("orientations:orient", args=[page.token])

    with django_assert_max_num_queries(14):
        shown = client.get(reverse("orientations:pages"))

    body = shown.content.decode()
    assert public in body
    assert "<svg" in body  # the QR code, drawn on the server
    assert "GME MNA Nord" not in body  # not the porteur's partnership
    client.post(reverse("orientations:page_switch", args=[demo.cej_jr.pk]), {"open": "0"})
    page.refresh_from_db()
    assert not page.is_open
    assert Client().get(public).status_code == 410
    assert page.history.latest().history_user == demo.users["pilotage-cej"]


def test_the_departement_decides_whether_its_gmes_partners_orient(demo, login_client):
    client = login_client(demo.users["departement"])

    client.post(reverse("orientations:page_switch", args=[demo.gme.pk]), {"open": "0"})

    assert not OrientationPage.objects.get(consortium=demo.gme).is_open
    refused = client.post(reverse("orientations:page_switch", args=[demo.cej_jr.pk]), {"open": "0"})
    assert refused.status_code == 404  # the CEJ-JR is not the Département's
    assert OrientationPage.objects.get(consortium=demo.cej_jr).is_open
    assert client.get(reverse("orientations:list")).status_code == 403  # no youth's details


@pytest.mark.parametrize("login", ["referente", "conseiller", "dreets", "direction"])
def test_the_others_do_not_manage_the_pages(demo, login_client, login):
    client = login_client(demo.users[login])

    assert client.get(reverse("orientations:pages")).status_code == 403
    switch = client.post(reverse("orientations:page_switch", args=[demo.cej_jr.pk]), {"open": "0"})
    assert switch.status_code == 403
    assert OrientationPage.objects.get(consortium=demo.cej_jr).is_open


def test_the_directory_lists_the_open_pages_to_every_professional(
    demo, login_client, django_assert_max_num_queries
):
    client = login_client(demo.users["conseiller"])
    search = client.get(reverse("directory:search")).content.decode()
    assert reverse("orientations:directory") in search

    with django_assert_max_num_queries(12):
        listing = client.get(reverse("orientations:directory")).content.decode()

    for consortium in (demo.cej_jr, demo.gme):
        page = OrientationPage.objects.get(consortium=consortium)
        assert reverse("orientations:orient", args=[page.token]) in listing
    OrientationPage.objects.filter(consortium=demo.gme).update(is_open=False)
    listing = client.get(reverse("orientations:directory")).content.decode()
    assert "GME MNA Nord" not in listing


def test_the_api_lists_the_queue_without_the_youths_details(demo, login_client):
    client = login_client(demo.users["coordination"])

    response = client.get("/api/v1/orientations")

    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["partner_structure"] == "Accueil de jour Saint-Maurice"
    assert "Abdoulaye" not in response.content.decode()
    assert login_client(demo.users["dreets"]).get("/api/v1/orientations").status_code == 403
