"""A youth's record leads to what concerns the youth elsewhere (the CEJ-JR pathway, the
stay), as far as the reader may see it, and each of its links opens."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from coparcours.cej.models import Pathway
from coparcours.demo.directory_partners import load_referral_demo
from coparcours.directory.models import Referral
from coparcours.housing.models.stays import Stay
from coparcours.organisations.models import Membership

pytestmark = pytest.mark.django_db

PANEL = re.compile(r'<section class="card linked"[^>]*data-linked="(\w+)">(.*?)</section>', re.S)


def _panels(client, youth_id: int) -> dict[str, str]:
    response = client.get(f"/jeunes/{youth_id}/")
    assert response.status_code == 200
    return dict(PANEL.findall(response.content.decode()))


def _acting(client, user, organisation) -> None:
    membership = Membership.objects.active().get(user=user, organisation=organisation)
    client.post("/organisation/changer/", {"membership": membership.pk, "next": "/"})


def test_the_record_leads_to_the_pathway_and_its_co_accompaniment(demo, login_client):
    pathway = Pathway.objects.filter(author_organisation=demo.porteur, stage="contract").first()
    client = login_client(demo.users["referente"])
    _acting(client, demo.users["referente"], demo.porteur)

    panel = _panels(client, pathway.youth_id)["cej"]
    assert "Contrat CEJ depuis le" in panel and str(demo.mission_locale) in panel
    links = re.findall(r'href="([^"]+)"', panel)
    assert links == [f"/cej/parcours/{pathway.pk}/", f"/cej/parcours/{pathway.pk}/accompagnement/"]
    for link in links:
        assert client.get(link).status_code == 200


def test_the_record_leads_to_the_stay(demo, login_client):
    stay = Stay.objects.filter(end_date__isnull=True, author_organisation=demo.alefpa).first()
    client = login_client(demo.users["coordination"])
    panels = _panels(client, stay.youth_id)
    assert "cej" not in panels  # not a CEJ-JR partner: no such panel
    panel = panels["housing"]
    assert escape(stay.site.name) in panel
    assert f'href="/hebergement/sejours/{stay.pk}/"' in panel
    assert client.get(f"/hebergement/sejours/{stay.pk}/").status_code == 200


def test_the_record_lists_the_referrals_sent_and_leads_to_the_orientation_helper(
    demo, login_client
):
    load_referral_demo()
    referral = Referral.objects.filter(author_organisation=demo.porteur).get()
    client = login_client(demo.users["referente"])
    _acting(client, demo.users["referente"], demo.porteur)

    panel = _panels(client, referral.youth_id)["directory"]
    assert escape(referral.service.nom) in panel
    assert referral.get_status_display() in panel
    assert f'href="/annuaire/jeunes/{referral.youth_id}/orientation/"' in panel
    assert client.get(f"/annuaire/jeunes/{referral.youth_id}/orientation/").status_code == 200
    # the mission locale's own referral is not the porteur's to read here
    other = Referral.objects.exclude(author_organisation=demo.porteur).get()
    assert escape(other.service.nom) not in panel
