"""The youth's own shares: from the page their link opened, they see which organisation
sees what of their record with their agreement, and withdraw it themself, confirmed first
with its consequence (RGPD art. 7-3: as easily as it was given)."""

from __future__ import annotations

import pytest
from django.test import Client

from coparcours.core.access import Category, ShareBasis
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths import services as youth_services
from coparcours.youths.factories import ConsentFactory, YouthFactory
from coparcours.youths.models import Consent

from .conftest import born, plain
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)

EE = Category.EDUCATION_EMPLOYMENT


@pytest.fixture
def youth_client(world, pathway, client_for):  # noqa: F811
    client = Client()
    client.post(_link(client_for(world.referent), pathway), born(pathway), follow=True)
    return client


def _consent_to_the_mission_locale(world, opened):
    return Consent.objects.active().get(youth=opened.youth, organisation=world.mission_locale)


def test_the_youth_sees_who_sees_what(world, pathway, youth_client):  # noqa: F811
    page = plain(youth_client.get("/mon-espace/partages/").content.decode())
    assert str(world.mission_locale) in page
    assert f"ce qu'a écrit {world.porteur}" in page
    assert "votre santé" in page and "votre formation et votre travail" in page
    assert "Retirer mon accord" in page
    assert "/mon-espace/partages/" in youth_client.get("/mon-espace/").content.decode()


def test_withdrawing_is_confirmed_with_its_consequence_then_done(world, pathway, youth_client):  # noqa: F811
    consent = _consent_to_the_mission_locale(world, pathway)
    url = f"/mon-espace/partages/{consent.pk}/retirer/"
    confirm = youth_client.get(url).content.decode()
    assert f"{world.mission_locale}</bdi></strong> ne verra plus" in confirm
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None  # asking writes nothing
    done = youth_client.post(url)
    assert done.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by is None
    line = AuditLog.objects.filter(event=AuditEvent.WRITE, youth_id=pathway.youth_id).latest("pk")
    assert line.reason.startswith("Partage retiré par le jeune")
    after = youth_client.get("/mon-espace/partages/").content.decode()
    assert "C'est fait" in after and "ne voit plus ces informations" in after
    assert youth_client.post(url).status_code == 404  # already withdrawn


def test_another_youth_s_share_and_a_legal_share_are_not_theirs(world, pathway, youth_client):  # noqa: F811
    other = ConsentFactory(youth=YouthFactory(), organisation=world.mission_locale)
    legal = ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=["contact"],
        basis=ShareBasis.LEGAL,
        author_organisation=pathway.youth.owner_organisation,
    )
    for consent in (other, legal):
        url = f"/mon-espace/partages/{consent.pk}/retirer/"
        assert youth_client.post(url).status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_at is None
    page = youth_client.get("/mon-espace/partages/").content.decode()
    assert "prévu par la loi" in page


def test_without_the_youth_s_session_nothing_is_shown_nor_withdrawn(world, pathway):  # noqa: F811
    consent = _consent_to_the_mission_locale(world, pathway)
    assert Client().get("/mon-espace/partages/").status_code == 403
    answer = Client().post(f"/mon-espace/partages/{consent.pk}/retirer/")
    assert answer.status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_organisations_concerned_are_told_of_a_withdrawal(
    world,
    pathway,  # noqa: F811
    youth_client,
    client_for,
):
    """The porteur, which recorded the consent, and the mission locale, which lost what it
    shared, find the withdrawal on their home page; an unrelated organisation does not."""
    consent = _consent_to_the_mission_locale(world, pathway)
    youth_client.post(f"/mon-espace/partages/{consent.pk}/retirer/")
    porteur_home = plain(client_for(world.referent).get("/").content.decode())
    assert "Accords retirés par les jeunes" in porteur_home
    assert str(pathway.youth) in porteur_home
    assert f"{world.mission_locale} n'a plus accès à « Scolarité, formation et emploi" in (
        porteur_home
    )
    counsellor_home = plain(client_for(world.counsellor).get("/").content.decode())
    assert "votre organisation n'a plus accès à" in counsellor_home
    # a withdrawal recorded by a professional is not the youth's: no notice
    recorded = ConsentFactory(
        youth=pathway.youth, organisation=world.unrelated, author_organisation=world.porteur
    )
    youth_services.withdraw_consent(world.referent, recorded)
    assert str(world.unrelated) not in plain(client_for(world.referent).get("/").content.decode())
