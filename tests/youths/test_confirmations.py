"""Destructive acts on a youth's record ask first, saying their consequence: withdrawing a
share, ending a co-accompaniment (on its last day, included), deciding an erasure."""

import datetime

import pytest
from django.utils import timezone

from coparcours.organisations.models import Role
from coparcours.youths.factories import ConsentFactory
from coparcours.youths.models import Assignment, Consent

pytestmark = pytest.mark.django_db


def test_withdrawing_a_share_says_what_the_partner_stops_seeing(build_world, member_client):
    world = build_world()
    consent = ConsentFactory(
        youth=world.youth,
        organisation=world.partner,
        categories=["contact", "education_employment"],
        author_organisation=world.owner,
    )
    client, _ = member_client(world.owner, Role.REFERENT)
    url = f"/jeunes/{world.youth.pk}/consentements/{consent.pk}/retirer/"
    assert f'href="{url}">Retirer…' in client.get(f"/jeunes/{world.youth.pk}/").content.decode()

    page = client.get(url).content.decode()
    assert "Retirer le partage avec Mission locale partenaire ?" in page
    assert "ne verra plus, dès maintenant : Coordonnées, Scolarité, formation et emploi." in page
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # asking changed nothing

    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_third_party_cannot_open_the_withdrawal(build_world, member_client):
    world = build_world()
    consent = ConsentFactory(
        youth=world.youth, organisation=world.partner, author_organisation=world.owner
    )
    client, _ = member_client(world.unrelated, Role.REFERENT)
    response = client.get(f"/jeunes/{world.youth.pk}/consentements/{consent.pk}/retirer/")
    assert response.status_code in {403, 404}
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


def test_ending_a_co_accompaniment_takes_its_last_day_included(build_world, member_client):
    world = build_world()
    assignment = Assignment.objects.get(youth=world.youth, organisation=world.partner)
    client, _ = member_client(world.owner, Role.REFERENT)
    url = f"/jeunes/{world.youth.pk}/co-accompagnement/{assignment.pk}/terminer/"

    page = client.get(url).content.decode()
    assert "Terminer le co-accompagnement par Mission locale partenaire ?" in page
    assert "ne voit plus ce dossier" in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page  # today by default
    assert "Dernier jour du co-accompagnement" in page

    last = datetime.date(2026, 3, 31)
    assert client.post(url, {"end_date": last.isoformat()}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == datetime.date(2026, 4, 1)  # first day no longer accompanied
    record = client.get(f"/jeunes/{world.youth.pk}/").content.decode()
    assert "au 31/03/2026 inclus" in record


def test_an_end_before_the_start_is_refused_and_nothing_changes(build_world, member_client):
    world = build_world()
    assignment = Assignment.objects.get(youth=world.youth, organisation=world.partner)
    client, _ = member_client(world.owner, Role.REFERENT)
    url = f"/jeunes/{world.youth.pk}/co-accompagnement/{assignment.pk}/terminer/"
    response = client.post(url, {"end_date": "2023-01-01"})
    assert response.status_code == 200
    assert 'href="#id_end_date">Dernier jour du co-accompagnement : ' in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.end_date is None
