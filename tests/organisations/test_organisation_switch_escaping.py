"""The organisation switch shows the organisations' names escaped."""

from __future__ import annotations

import datetime

import pytest

from coparcours.accounts.factories import UserFactory
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_the_switcher_escapes_organisation_names(login_client):
    user = UserFactory()
    for name in ("Foyer <b>Soleil</b> & Cie", "Abri"):
        MembershipFactory(
            user=user,
            organisation=OrganisationFactory(name=name),
            role=Role.REFERENT,
            start_date=datetime.date(2020, 1, 1),
        )
    page = login_client(user).get("/").content.decode()
    select = page.split('<select id="membership-select" name="membership">')[1].split("</select>")[
        0
    ]
    assert "Foyer &lt;b&gt;Soleil&lt;/b&gt; &amp; Cie — Référent·e" in select
    assert "<b>" not in select
    assert select.count("<option") == 2 and select.count(" selected>") == 1
