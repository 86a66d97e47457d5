"""The referents' and counsellors' home: their caseload at a glance, under the policy."""

import datetime

import pytest
from django.utils import timezone

from coparcours.organisations.models import Role
from coparcours.youths.factories import AssignmentFactory, ConsentFactory, YouthFactory
from tests.organisations.todo_blocks import home_todo


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_referent_home_counts_and_lists_her_youths(build_world, member_client):
    world = build_world()
    client, user = member_client(world.owner, Role.REFERENT)
    YouthFactory(owner_organisation=world.owner, referent=user, last_name="Suivie")
    YouthFactory(owner_organisation=world.owner, last_name="Collegue")
    shared = YouthFactory(owner_organisation=world.partner, last_name="Partagee")
    AssignmentFactory(youth=shared, organisation=world.owner)
    YouthFactory(owner_organisation=world.unrelated, last_name="Etrangere")

    page = _home(client)
    assert "Ma file active" in page
    assert "<strong>1</strong> jeune dont je suis référent·e" in page
    # world.youth (SECRETNOM) + SUIVIE + COLLEGUE are the organisation's own
    assert "<strong>3</strong> suivis par" in page
    assert "<strong>1</strong> partagé avec nous" in page
    assert "SUIVIE" in page  # her own record, recently updated
    assert "ETRANGERE" not in page and "COLLEGUE" not in page
    assert "Aucun jeune n'est encore suivi" not in page


@pytest.mark.django_db
def test_empty_caseload_says_how_to_start(member_client):
    from coparcours.organisations.factories import OrganisationFactory

    client, _ = member_client(OrganisationFactory(), Role.REFERENT)
    assert "Aucun jeune n'est encore suivi" in _home(client)


@pytest.mark.django_db
def test_home_warns_of_consents_about_to_lapse_for_own_youths_only(build_world, member_client):
    world = build_world()
    today = timezone.localdate()
    ConsentFactory(
        youth=world.youth,
        organisation=world.partner,
        categories=["contact"],
        start_date=today - datetime.timedelta(days=100),
        end_date=today + datetime.timedelta(days=12),
        author_organisation=world.owner,
    )
    owner_client, _ = member_client(world.owner, Role.REFERENT)
    consents = home_todo(owner_client)["consents"]
    assert consents.count == 1
    row = consents.rows[0]
    assert row.label == str(world.youth)
    last_day = today + datetime.timedelta(days=11)
    assert row.detail == (
        f"Partage avec Mission locale partenaire jusqu'au {last_day:%d/%m/%Y} inclus"
    )
    assert row.badge == "fin dans 12 jours"
    assert row.url == f"/jeunes/{world.youth.pk}/#consents-title"
    page = _home(owner_client)
    assert "Consentements qui prennent fin" in page and "Renouveler" in page
    # the partner is told nothing about the owner's consents on its home page
    partner_client, _ = member_client(world.partner, Role.COUNSELLOR)
    assert home_todo(partner_client)["consents"].count == 0


@pytest.mark.django_db
def test_funder_home_has_no_caseload_panel(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.funder, Role.FUNDER_VIEWER)
    assert "Ma file active" not in _home(client)
