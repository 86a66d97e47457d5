"""The organisation a person acts for (core.access.acting): one resolver for pages and API.

The demo's referent works for Rebond (porteur of the CEJ-JR) and for ASRL (a GME member):
an API call must say which one it acts for, or act for the one chosen in the browser.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.accounts.models import APIToken
from coparcours.organisations.models import Membership
from coparcours.youths.models import Youth

pytestmark = pytest.mark.django_db

NEW_YOUTH = {
    "last_name": "Vandamme",
    "first_names": "Océane",
    "birth_date": "2008-03-14",
    "confirm_not_duplicate": True,
}


def _token_client(user) -> Client:
    _token, secret = APIToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _organisation_id(demo, name: str) -> int:
    return (
        Membership.objects.active()
        .get(user=demo.users["referente"], organisation__name__startswith=name)
        .organisation_id
    )


def test_a_token_with_several_organisations_must_name_one(demo):
    client = _token_client(demo.users["referente"])
    before = Youth.objects.count()
    answer = client.post("/api/v1/youths", NEW_YOUTH, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "organisation_required"
    assert Youth.objects.count() == before


def test_a_token_may_not_act_for_an_organisation_it_is_not_a_member_of(demo):
    client = _token_client(demo.users["referente"])
    foreign = _organisation_id(demo, "Rebond") + 10_000
    answer = client.post(
        "/api/v1/youths", {**NEW_YOUTH, "organisation_id": foreign}, content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "organisation_required"


def test_a_named_organisation_acts(demo):
    client = _token_client(demo.users["referente"])
    asrl = _organisation_id(demo, "ASRL")
    answer = client.post(
        "/api/v1/youths", {**NEW_YOUTH, "organisation_id": asrl}, content_type="application/json"
    )
    assert answer.status_code == 201
    assert Youth.objects.get(pk=answer.json()["id"]).owner_organisation_id == asrl


@pytest.mark.parametrize("chosen", ["ASRL", "Rebond"])
def test_the_browser_session_acts_for_the_membership_chosen_in_the_header(
    demo, login_client, chosen
):
    client = login_client(demo.users["referente"])
    membership = Membership.objects.active().get(
        user=demo.users["referente"], organisation__name__startswith=chosen
    )
    assert client.post("/organisation/changer/", {"membership": membership.pk}).status_code == 302
    answer = client.post("/api/v1/youths", NEW_YOUTH, content_type="application/json")
    assert answer.status_code == 201, answer.content
    youth = Youth.objects.get(pk=answer.json()["id"])
    assert youth.owner_organisation_id == membership.organisation_id
    assert youth.birth_date == datetime.date(2008, 3, 14)
