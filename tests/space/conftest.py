"""A GME whose member B hosts a minor, and the hosting member's link to her space."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.housing.models import Stay
from coparcours.youths.rules import add_years
from tests.housing import conftest as housing
from tests.housing.conftest import TODAY

gme = housing.gme  # the fixture


@pytest.fixture
def hosted(gme) -> Stay:
    """A girl of sixteen and a half hosted at member B's site, which has a night number."""
    gme.site_b.night_phone = "03 20 00 11 22"
    gme.site_b.save(update_fields=["night_phone"])
    born = add_years(TODAY(), -16) - datetime.timedelta(days=180)
    entry = TODAY() - datetime.timedelta(days=60)
    return gme.place(entry=entry, birth_date=born, age=None, first_names="Awa", sex="F")


def give_from_stay(client: Client, stay: Stay, **data):
    return client.post(f"/hebergement/sejours/{stay.pk}/lien-jeune/", data)


def link_url(response) -> str:
    html = response.content.decode()
    return html.split('<code id="youth-url">')[1].split("</code>")[0]
