"""The capability table (core.access.capabilities): standings read from the consortia,
may() on the demo's memberships, menus drawn from the same decision, the 403 page's offer
to switch, and the membership a person starts in."""

from __future__ import annotations

import pytest
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.core.access import CAPABILITIES, Capability, may
from coparcours.organisations.models import Membership, Role, Standing


def _membership(demo, login: str, organisation: str) -> Membership:
    return (
        Membership.objects.active()
        .with_standings()
        .get(user=demo.users[login], organisation__name__startswith=organisation)
    )


def test_every_capability_has_holders_with_known_roles():
    assert set(CAPABILITIES) == set(Capability.values)
    for holders in CAPABILITIES.values():
        assert holders
        for holder in holders:
            assert holder.roles and holder.roles <= set(Role.values)
            assert holder.standing in Standing.values


@pytest.mark.parametrize(
    ("login", "organisation", "standings"),
    [
        ("coordination", "Alefpa", {Standing.GME_LEAD, Standing.GME_MEMBER}),
        ("qualite", "ASRL", {Standing.GME_MEMBER}),
        ("referente", "Rebond", {Standing.CEJ_LEAD, Standing.CEJ_MEMBER}),
        ("conseiller", "Mission locale", {Standing.CEJ_MEMBER}),
        ("departement", "Département", {Standing.GME_FUNDER}),
        ("dreets", "DREETS", {Standing.CEJ_FUNDER}),
    ],
)
def test_an_organisations_standing_follows_its_consortia(demo, login, organisation, standings):
    assert _membership(demo, login, organisation).standings == {Standing.ANY, *standings}


def test_a_member_who_left_the_gme_loses_its_standing(demo):
    membership = _membership(demo, "qualite", "ASRL")
    demo.gme.members.filter(organisation=membership.organisation).update(
        left_on=demo.gme.start_date
    )
    assert Standing.GME_MEMBER not in _membership(demo, "qualite", "ASRL").standings


@pytest.mark.parametrize(
    ("login", "organisation", "capability", "granted"),
    [
        ("referente", "Rebond", Capability.CEJ_OUTREACH, True),
        ("referente", "ASRL", Capability.CEJ_OUTREACH, False),  # not in the CEJ-JR partnership
        ("referente", "ASRL", Capability.HOUSING_MEMBER, True),
        ("conseiller", "Mission locale", Capability.CEJ_OUTREACH, False),  # the porteur's act
        ("conseiller", "Mission locale", Capability.CEJ_COMMITTEE, True),
        ("coordination", "Alefpa", Capability.HOUSING_QUEUE, True),
        ("direction", "Temps de vie", Capability.HOUSING_QUEUE, False),
        ("pilotage-cej", "Rebond", Capability.FINANCE, False),  # the porteur has no GME money
        ("finances", "Alefpa", Capability.FINANCE_MANAGE, True),
        ("finances", "Alefpa", Capability.YOUTH_CREATE, False),
        ("departement", "Département", Capability.HOUSING_REQUEST_FILE, True),
        ("dreets", "DREETS", Capability.HOUSING, False),
        ("dpo", "Alefpa", Capability.YOUTH_RECORDS, False),
        ("dpo", "Alefpa", Capability.AUDIT_SEARCH, True),
        ("admin", "Alefpa", Capability.YOUTH_RECORDS, False),
    ],
)
def test_may_answers_from_role_and_standing(demo, login, organisation, capability, granted):
    assert may(_membership(demo, login, organisation), capability) is granted


MENU = {
    "/jeunes/": Capability.YOUTH_RECORDS,
    "/cej/": Capability.CEJ,
    "/hebergement/": Capability.HOUSING,
    "/finances/": Capability.FINANCE_INVOICES,
    "/pilotage/": Capability.REPORTING,
}


def test_the_main_menu_shows_an_entry_exactly_when_may_grants_it(demo, login_client):
    for membership in Membership.objects.active().with_standings().select_related("user"):
        client = login_client(membership.user)
        client.post("/organisation/changer/", {"membership": membership.pk, "next": "/"})
        page = client.get("/").content.decode()
        nav = page[page.index('aria-label="Navigation principale"') :]
        nav = nav[: nav.index("</nav>")]
        for href, capability in MENU.items():
            assert (f'href="{href}"' in nav) is may(membership, capability), (membership, href)


def test_a_refused_page_offers_the_membership_that_grants_it(demo, login_client):
    client = login_client(demo.users["referente"])
    asrl = _membership(demo, "referente", "ASRL")
    porteur = _membership(demo, "referente", "Rebond")
    client.post("/organisation/changer/", {"membership": asrl.pk, "next": "/"})

    refused = client.get("/cej/reperage/")

    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Accès refusé" in page and "Repérage et ouverture d&#x27;un parcours CEJ-JR" in page
    assert f'name="membership" value="{porteur.pk}"' in page
    assert f'name="membership" value="{asrl.pk}"' not in page
    switched = client.post(
        "/organisation/changer/", {"membership": porteur.pk, "next": "/cej/reperage/"}, follow=True
    )
    assert switched.status_code == 200
    assert switched.redirect_chain[-1][0] == "/cej/reperage/"


def test_a_refusal_no_membership_would_lift_offers_no_switch(demo, login_client):
    refused = login_client(demo.users["conseiller"]).get("/hebergement/")
    assert refused.status_code == 403
    assert 'name="membership"' not in refused.content.decode()


def test_the_404_page_is_in_french(demo, login_client):
    missing = login_client(demo.users["referente"]).get("/nulle-part/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.content.decode()


def test_a_person_starts_in_the_membership_chosen_last(demo):
    referente = demo.users["referente"]
    porteur = _membership(demo, "referente", "Rebond")
    first = Client()
    first.post("/compte/connexion/", {"username": referente.email, "password": DEFAULT_PASSWORD})
    assert first.get("/").context["current_membership"] != porteur  # ASRL, first by name
    first.post("/organisation/changer/", {"membership": porteur.pk, "next": "/"})
    first.post("/compte/deconnexion/")

    again = Client()
    again.post("/compte/connexion/", {"username": referente.email, "password": DEFAULT_PASSWORD})

    assert again.get("/").context["current_membership"] == porteur


def test_the_maintainers_table_lists_every_capability_with_its_holders():
    """docs/access.md carries the table a maintainer reads: it must not drift."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "access.md").read_text()
    for capability, holders in CAPABILITIES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{capability}` |"))
        for holder in holders:
            assert holder.standing in row, (capability, holder.standing)
            if holder.roles != frozenset(Role.values):
                assert all(role in row for role in holder.roles), capability
