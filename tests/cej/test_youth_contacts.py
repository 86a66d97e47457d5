"""The youth's space says who accompanies them and how to call: the referent of their
pathway and their counsellor at the mission locale, with the number each gave for youths,
else their organisation's reception; someone who left is no longer shown."""

from __future__ import annotations

from django.test import Client

from .conftest import TODAY, born, plain
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)


def _space(world, pathway, client_for):  # noqa: F811
    phone = Client()
    return phone.post(_link(client_for(world.referent), pathway), born(pathway), follow=True)


def test_the_youth_sees_who_accompanies_them_and_how_to_call(world, pathway, client_for):  # noqa: F811
    world.referent.work_phone = "03 20 12 34 56"
    world.referent.save()
    world.mission_locale.phone = "+32 470 12 34 56"
    world.mission_locale.save()
    page = plain(_space(world, pathway, client_for).content.decode())
    assert world.referent.get_full_name() in page and world.counsellor.get_full_name() in page
    assert 'href="tel:+33320123456"' in page and "Appeler le 03 20 12 34 56" in page
    # the counsellor gave no number: the mission locale's reception, read with its country code
    assert 'href="tel:+32470123456"' in page and "Appeler le +32 470 12 34 56" in page
    assert "Conseiller à la mission locale, Mission locale test" in page


def test_someone_who_left_sends_the_youth_to_the_reception(world, pathway, client_for):  # noqa: F811
    world.counsellor.memberships.update(end_date=TODAY)
    page = plain(_space(world, pathway, client_for).content.decode())
    assert world.counsellor.get_full_name() not in page
    assert "L'accueil vous dira qui vous accompagne." in page


def test_a_professional_gives_the_number_youths_see(world, client_for):
    referent = client_for(world.referent)
    refused = referent.post("/compte/telephone/", {"work_phone": "12 34"})
    assert "Ce numéro de téléphone n&#x27;est pas valable" in refused.content.decode()
    world.referent.refresh_from_db()
    assert world.referent.work_phone == ""
    saved = referent.post("/compte/telephone/", {"work_phone": "03 20 12 34 56"}, follow=True)
    assert "Votre numéro est enregistré" in saved.content.decode()
    world.referent.refresh_from_db()
    assert world.referent.work_phone == "03 20 12 34 56"
    assert 'href="/compte/telephone/"' in referent.get("/").content.decode()
