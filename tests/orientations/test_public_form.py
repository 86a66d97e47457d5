"""The public page « Orienter un jeune » played by a partner and by a spammer: a robot, a
replay, a flood, a missing agreement or a wrong contact each get a French message and leave
no orientation behind (docs/bad-input.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coparcours.core.models import AuditLog
from coparcours.orientations import rules
from coparcours.orientations.models import Orientation, OrientationStatus
from coparcours.orientations.services import set_page_open
from tests.orientations.conftest import filled, token_opened

pytestmark = pytest.mark.django_db


def _url(page) -> str:
    return reverse("orientations:orient", args=[page.token])


def _post(page, data, address="192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(_url(page), data)


def _count() -> int:
    return Orientation.objects.count()


def test_a_partner_orients_a_youth_who_agreed(cej_page):
    before = _count()
    page = Client().get(_url(cej_page))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert "Orienter un jeune vers" in page.content.decode()

    response = _post(cej_page, filled(cej_page))

    assert response.status_code == 201
    assert _count() == before + 1
    orientation = Orientation.objects.latest("pk")
    assert orientation.status == OrientationStatus.RECEIVED
    assert orientation.consortium_id == cej_page.consortium_id
    assert orientation.youth_first_names == "Dylan"
    assert orientation.agreement_method == "in_person"
    assert orientation.reference in response.content.decode()
    line = AuditLog.objects.get(
        object_id=str(orientation.pk), reason__startswith="Orientation reçue par la page"
    )
    assert cej_page.token not in line.path  # the page's secret stays out of the log


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agreement": None}, "L&#x27;accord du jeune est obligatoire"),
        ({"agreement_method": ""}, "Indiquez comment le jeune a donné son accord."),
        ({"partner_email": "ines.caron@"}, "Saisissez une adresse de courriel valide."),
        ({"partner_phone": "12"}, "Ce numéro de téléphone n&#x27;est pas valable"),
        ({"youth_birth_date": "", "youth_age": ""}, "date de naissance du jeune ou son âge"),
        ({"youth_birth_date": "2099-01-01"}, "La date de naissance doit être passée."),
    ],
)
def test_bad_input_is_refused_in_french_with_nothing_stored(cej_page, changes, message):
    before = _count()

    response = _post(cej_page, filled(cej_page, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Rien n'a été enregistré" in response.content.decode()
    assert _count() == before


def test_a_robot_filling_the_hidden_field_is_refused(cej_page):
    before = _count()

    response = _post(cej_page, filled(cej_page, site_web="http://spam.example"))

    assert response.status_code == 400
    assert rules.ROBOT.replace("'", "&#x27;") in response.content.decode()
    assert _count() == before


@pytest.mark.parametrize(
    ("seconds_ago", "message"),
    [(0, rules.TOO_FAST), (rules.MAX_FILL_SECONDS + 60, rules.EXPIRED)],
)
def test_a_form_sent_too_fast_or_too_late_is_refused(cej_page, seconds_ago, message):
    before = _count()

    response = _post(cej_page, filled(cej_page, jeton=token_opened(cej_page, seconds_ago)))

    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert _count() == before


@pytest.mark.parametrize("which", ["missing", "altered", "other page"])
def test_a_missing_altered_or_foreign_token_is_refused(cej_page, gme_page, which):
    token = {
        "missing": "",
        "altered": token_opened(cej_page)[:-3] + "abc",
        "other page": token_opened(gme_page),
    }[which]
    before = _count()

    response = _post(cej_page, filled(cej_page, jeton=token))

    assert response.status_code == 400
    assert rules.INVALID.replace("'", "&#x27;") in response.content.decode()
    assert _count() == before


def test_a_replayed_form_is_refused(cej_page):
    data = filled(cej_page)
    assert _post(cej_page, data).status_code == 201
    after_first = _count()

    replay = _post(cej_page, data, address="198.51.100.7")

    assert replay.status_code == 200
    assert rules.REPLAYED.replace("'", "&#x27;") in replay.content.decode()
    assert _count() == after_first


def test_a_flood_from_one_address_is_refused_and_others_still_pass(cej_page):
    before = _count()
    for _ in range(rules.POSTS_PER_HOUR):
        assert _post(cej_page, filled(cej_page)).status_code == 201

    flood = _post(cej_page, filled(cej_page))

    assert flood.status_code == 429
    assert "Trop d&#x27;envois" in flood.content.decode()
    assert _count() == before + rules.POSTS_PER_HOUR
    assert _post(cej_page, filled(cej_page), address="203.0.113.5").status_code == 201


def test_refused_posts_count_towards_the_flood(cej_page):
    before = _count()
    for _ in range(rules.POSTS_PER_HOUR):
        _post(cej_page, filled(cej_page, site_web="spam"))

    response = _post(cej_page, filled(cej_page))

    assert response.status_code == 429
    assert _count() == before


def test_a_closed_page_receives_nothing_and_an_unknown_one_is_not_found(demo, cej_page):
    set_page_open(demo.users["pilotage-cej"], demo.cej_jr, False)
    before = _count()

    assert Client().get(_url(cej_page)).status_code == 410
    assert _post(cej_page, filled(cej_page)).status_code == 410
    assert _count() == before
    unknown = reverse("orientations:orient", args=["inconnu"])
    assert Client().get(unknown).status_code == 404
