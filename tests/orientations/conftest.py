"""Shared helpers of the orientation tests: the demo's open pages, a form as a partner fills
it, a token as if the form had been opened some seconds ago."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from coparcours.orientations import guard
from coparcours.orientations.models import OrientationPage


@pytest.fixture(autouse=True)
def _no_posts_counted_yet():
    """Each test starts with no post counted for any address."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cej_page(demo) -> OrientationPage:
    return OrientationPage.objects.get(consortium=demo.cej_jr)


@pytest.fixture
def gme_page(demo) -> OrientationPage:
    return OrientationPage.objects.get(consortium=demo.gme)


def token_opened(page: OrientationPage, seconds_ago: float = 30) -> str:
    return guard.form_token(page.token, issued_at=time.time() - seconds_ago)


def filled(page: OrientationPage, **changes) -> dict:
    """The form as a youth worker fills it, the youth agreeing, opened 30 s ago."""
    data = {
        "partner_structure": "Centre social Moulins",
        "partner_name": "Inès Caron",
        "partner_email": "ines.caron@cs-moulins.example.org",
        "partner_phone": "03 53 73 04 44",
        "youth_first_names": "Dylan",
        "youth_last_name": "Fontaine",
        "youth_birth_date": "2005-04-12",
        "youth_age": "",
        "youth_commune": "Lille",
        "youth_contact": "06 12 34 56 78",
        "situation": "Ne sort plus de chez lui depuis l'arrêt de sa formation.",
        "agreement": "on",
        "agreement_method": "in_person",
        "jeton": token_opened(page),
        "site_web": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
