"""An activity's title (and kind) shows only where its category is granted for the
activity's author organisation (Code pénal 226-13): otherwise "activité (détail
confidentiel)", in visible and screen-reader text, attributes and the API alike."""

from __future__ import annotations

import pytest

from coparcours.core.access import Category
from coparcours.organisations.models import Role

from .co_accompaniment import LAST_WEEK, _activity, _consent
from .conftest import member
from .test_pathway_services import _contract

EE = Category.EDUCATION_EMPLOYMENT
CARE = "Consultation au CMP"
PLACEHOLDER = "activité (détail confidentiel)"


@pytest.fixture
def pathway(world):
    """Under contract since last week; last week the porteur planned a care appointment
    and a workshop whose attendance is not noted yet (attendance buttons shown)."""
    pathway = _contract(world)
    pathway.contract_start = LAST_WEEK
    pathway.save()
    _activity(world, pathway, LAST_WEEK, 9, 60, kind="health", title=CARE, attended=None)
    _activity(world, pathway, LAST_WEEK, 14, 60, title="Atelier CV", attended=None)
    return pathway


def _page(client, pathway) -> str:
    url = f"/cej/parcours/{pathway.pk}/accompagnement/?semaine={LAST_WEEK}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _hides_the_care(html: str) -> None:
    assert "CMP" not in html and "Soins, santé" not in html
    assert "Activité (détail confidentiel)" in html  # the visible cell
    assert f'Présent·e<span class="visually-hidden"> : {PLACEHOLDER}</span>' in html
    assert "Atelier CV" in html


def test_the_counsellor_meets_no_care_title_even_in_screen_reader_text(world, pathway, client_for):
    _consent(world, pathway, [EE, Category.HEALTH])
    _hides_the_care(_page(client_for(world.counsellor), pathway))


def test_a_partner_whose_consent_covers_only_employment_meets_no_care_title(
    world, pathway, client_for
):
    _consent(world, pathway, [EE])
    referent = client_for(member(world.mission_locale, Role.REFERENT))
    _hides_the_care(_page(referent, pathway))
    api = referent.get(f"/api/v1/cej/pathways/{pathway.pk}/activities?week={LAST_WEEK}").json()
    assert [(a["kind"], a["title"]) for a in api] == [
        (None, "Activité (détail confidentiel)"),
        ("workshop", "Atelier CV"),
    ]
    planning = referent.get(f"/cej/planning/?du={LAST_WEEK}").content.decode()
    assert "CMP" not in planning and "Activité (détail confidentiel)" in planning


def test_the_title_shows_where_its_category_is_granted_for_its_author(world, pathway, client_for):
    _consent(world, pathway, [EE, Category.HEALTH])
    assert CARE in _page(client_for(member(world.mission_locale, Role.REFERENT)), pathway)
    assert CARE in _page(client_for(world.referent), pathway)
