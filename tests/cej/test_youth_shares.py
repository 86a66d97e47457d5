"""The youth's own shares: from the page their link opened, they see which organisation
sees what of their record with their agreement, and withdraw it themself, confirmed first
with its consequence (RGPD art. 7-3: as easily as it was given)."""

from __future__ import annotations

import pytest
from django.test import Client

from coparcours.core.access import Category, ShareBasis
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.factories import ConsentFactory, YouthFactory
from coparcours.youths.models import Consent

from .conftest import born
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
    page = youth_client.get("/cej/mon-parcours/partages/").content.decode()
    assert str(world.mission_locale) in page
    assert f"ce qu'a écrit {world.porteur}" in page.replace("&#x27;", "'")
    assert "votre santé" in page and "votre formation et votre travail" in page
    assert "Retirer mon accord" in page
    assert "/cej/mon-parcours/partages/" in youth_client.get("/cej/mon-parcours/").content.decode()


def test_withdrawing_is_confirmed_with_its_consequence_then_done(world, pathway, youth_client):  # noqa: F811
    consent = _consent_to_the_mission_locale(world, pathway)
    url = f"/cej/mon-parcours/partages/{consent.pk}/retirer/"
    confirm = youth_client.get(url).content.decode()
    assert f"{world.mission_locale}</strong> ne verra plus" in confirm
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None  # asking writes nothing
    done = youth_client.post(url)
    assert done.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by is None
    line = AuditLog.objects.filter(event=AuditEvent.WRITE, youth_id=pathway.youth_id).latest("pk")
    assert line.reason.startswith("Partage retiré par le jeune")
    after = youth_client.get("/cej/mon-parcours/partages/").content.decode()
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
        url = f"/cej/mon-parcours/partages/{consent.pk}/retirer/"
        assert youth_client.post(url).status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_at is None
    page = youth_client.get("/cej/mon-parcours/partages/").content.decode()
    assert "prévu par la loi" in page


def test_without_the_youth_s_session_nothing_is_shown_nor_withdrawn(world, pathway):  # noqa: F811
    consent = _consent_to_the_mission_locale(world, pathway)
    assert Client().get("/cej/mon-parcours/partages/").status_code == 403
    answer = Client().post(f"/cej/mon-parcours/partages/{consent.pk}/retirer/")
    assert answer.status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
