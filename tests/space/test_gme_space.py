"""The space of a youth hosted by the GME: the hosting member gives the link from the stay,
and the youth reads where they live, whom to call at night and their road to 18, as far as
the link's creator may read it (docs/youth-space.md)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.core.models import AuditLog
from coparcours.housing.services import majority as majority_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.models import Role
from coparcours.space.models import YouthLink
from coparcours.youths.rules import add_years
from tests.cej.conftest import plain
from tests.housing.conftest import TODAY

from .conftest import give_from_stay, link_url

pytestmark = pytest.mark.django_db


def test_the_hosting_member_gives_the_link_and_the_youth_sees_her_place(gme, hosted):
    referent = gme.client(gme.member_b, Role.REFERENT)
    stay_page = plain(referent.get(f"/hebergement/sejours/{hosted.pk}/").content.decode())
    assert "L'espace du jeune" in stay_page and "Créer un lien pour le jeune" in stay_page
    url = link_url(give_from_stay(referent, hosted))
    youth = hosted.youth
    phone = Client()
    preview = phone.get(url)
    assert preview.status_code == 200 and "Awa" not in preview.content.decode()
    opened = phone.post(url, {"birth_date": youth.birth_date.strftime("%d/%m/%Y")}, follow=True)
    page = plain(opened.content.decode())
    assert "Bonjour Awa" in page
    assert "Où j'habite" in page and "Maison B" in page and "Avec Association B" in page
    assert 'href="tel:+33320001122"' in opened.content.decode()
    assert "112" in page and "119" in page  # a minor: the child-protection line too
    majority = youth.majority_date
    assert f"Vous aurez 18 ans le {majority.day} " in page
    interview = majority - datetime.timedelta(days=365)
    assert "pas encore décidé" in page
    assert ("C'est le moment de préparer la suite" in page) == (interview <= TODAY())
    referent_user = gme.user(gme.member_b, Role.REFERENT)
    assert referent_user.get_full_name() in page  # who gave the link, still of member B
    assert AuditLog.objects.filter(
        youth_id=youth.pk, reason__startswith="page du jeune, lien créé par"
    ).exists()
    # the CEJ-JR parts have nothing to show her
    assert "Mes heures cette semaine" not in page and "Mes prochains rendez-vous" not in page


def test_only_the_hosting_member_gives_or_closes_the_link(gme, hosted):
    for organisation, role in (
        (gme.member_c, Role.REFERENT),
        (gme.lead, Role.COORDINATOR),
        (gme.funder, Role.FUNDER_VIEWER),
    ):
        client = gme.client(organisation, role)
        page = client.get(f"/hebergement/sejours/{hosted.pk}/")
        assert "Créer un lien pour le jeune" not in page.content.decode()
        assert give_from_stay(client, hosted).status_code in (403, 404)
        closing = client.get(f"/hebergement/sejours/{hosted.pk}/lien-jeune/fermer/")
        assert closing.status_code in (403, 404)
    assert not YouthLink.objects.exists()


def test_the_decision_for_after_18_is_told_plainly(gme):
    born = add_years(TODAY(), -18) + datetime.timedelta(days=30)
    stay = gme.place(birth_date=born, age=None, first_names="Moussa")
    staff = gme.user(gme.member_b, Role.REFERENT)
    majority = stay.youth.majority_date
    majority_services.decide_after_18(
        staff,
        stay,
        "young_adult_contract",
        majority,
        add_years(majority, 1),
        funder_agreement_on=TODAY(),
    )
    url = link_url(give_from_stay(gme.client(gme.member_b, Role.REFERENT), stay))
    page = plain(
        Client().post(url, {"birth_date": born.strftime("%d/%m/%Y")}, follow=True).content.decode()
    )
    assert "un contrat jeune majeur, du" in page
    assert "C'est le moment de préparer la suite" in page  # a month before 18


def test_the_link_no_longer_opens_once_the_stay_ends(gme, hosted):
    url = link_url(give_from_stay(gme.client(gme.member_b, Role.REFERENT), hosted))
    stay_services.record_exit(gme.coordinator, hosted, TODAY(), "majority")
    answer = Client().post(url, {"birth_date": hosted.youth.birth_date.strftime("%d/%m/%Y")})
    assert answer.status_code == 410
    again = give_from_stay(gme.client(gme.member_b, Role.REFERENT), hosted)
    assert again.status_code == 302  # the stay's page says why, nothing created
    assert YouthLink.objects.count() == 1


def test_the_space_in_arabic_reads_right_to_left(gme, hosted):
    url = link_url(give_from_stay(gme.client(gme.member_b, Role.REFERENT), hosted))
    phone = Client()
    phone.post(url, {"birth_date": hosted.youth.birth_date.strftime("%d/%m/%Y")})
    phone.post("/mon-espace/langue/", {"language": "ar", "next": "/mon-espace/"})
    html = phone.get("/mon-espace/").content.decode()
    assert 'dir="rtl"' in html and "أين أسكن" in html and "Maison B" in html


def test_a_night_number_that_cannot_be_dialled_is_refused(gme):
    manager = gme.client(gme.member_b, Role.DIRECTOR)
    page = manager.post(
        f"/hebergement/sites/{gme.site_b.pk}/modifier/",
        {
            "name": "Maison B",
            "kind": gme.site_b.kind,
            "address": gme.site_b.address,
            "postal_code": gme.site_b.postal_code,
            "city": gme.site_b.city,
            "night_phone": "12",
            "min_age": 11,
            "max_age": 17,
            "accepted_sex": "any",
        },
    )
    assert page.status_code == 200
    gme.site_b.refresh_from_db()
    assert gme.site_b.night_phone == ""
    assert "numéro" in plain(page.content.decode()).lower()


def test_the_hosted_youths_page_makes_a_bounded_number_of_queries(
    gme, hosted, django_assert_max_num_queries
):
    url = link_url(give_from_stay(gme.client(gme.member_b, Role.REFERENT), hosted))
    phone = Client()
    phone.post(url, {"birth_date": hosted.youth.birth_date.strftime("%d/%m/%Y")})
    with django_assert_max_num_queries(11):
        assert phone.get("/mon-espace/").status_code == 200
