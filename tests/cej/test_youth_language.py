"""The youth's space speaks the youth's language (French, English, Arabic right to left),
chosen by the youth and remembered on their phone and on their record; professionals' pages
stay in French whatever the browser asks."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.models import Youth

from .conftest import born
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)

CHOOSE = "/mon-espace/langue/"


def _html(response) -> str:
    return response.content.decode()


def test_the_link_page_speaks_the_language_chosen_on_the_phone(world, pathway, client_for):  # noqa: F811
    url = _link(client_for(world.referent), pathway)
    french = _html(Client().get(url))
    assert '<html lang="fr" dir="ltr">' in french and "Ouvrir mon espace" in french
    browser_in_english = _html(Client(headers={"accept-language": "en"}).get(url))
    assert '<html lang="en" dir="ltr">' in browser_in_english
    assert "Open my space" in browser_in_english
    phone = Client()
    chosen = phone.post(CHOOSE, {"language": "ar", "next": url})
    assert chosen.status_code == 302 and chosen["Location"] == url
    arabic = phone.get(url)
    assert '<html lang="ar" dir="rtl">' in _html(arabic)
    assert "افتح مساحتي" in _html(arabic)
    assert arabic["Content-Language"] == "ar"


def test_a_wrong_date_is_told_in_the_youths_language_with_its_plural(world, pathway, client_for):  # noqa: F811
    url = _link(client_for(world.referent), pathway)
    phone = Client()
    phone.post(CHOOSE, {"language": "ar", "next": url})
    wrong = _html(phone.post(url, {"birth_date": "01/01/1990"}))
    assert "بقيت لك 4 محاولات" in wrong  # four tries left: Arabic's plural of 3 to 10
    english = Client(headers={"accept-language": "en"})
    assert "you have 3 tries left" in _html(english.post(url, {"birth_date": "01/01/1990"}))


def test_the_language_chosen_before_opening_is_remembered_on_the_record(
    world,
    pathway,  # noqa: F811
    client_for,
):
    url = _link(client_for(world.referent), pathway)
    phone = Client()
    phone.post(CHOOSE, {"language": "ar", "next": url})
    page = phone.post(url, born(pathway), follow=True)
    assert '<html lang="ar" dir="rtl">' in _html(page)
    assert Youth.objects.get(pk=pathway.youth_id).space_language == "ar"
    line = AuditLog.objects.filter(youth_id=pathway.youth_id, event=AuditEvent.WRITE).latest("pk")
    assert line.user is None and "langue de son espace : العربية" in line.reason
    # another phone, without any choice on it, opens the space in the youth's language
    url = _link(client_for(world.referent), pathway)
    another_phone = Client(headers={"accept-language": "en"})
    opened = another_phone.post(url, born(pathway), follow=True)
    assert '<html lang="ar" dir="rtl">' in _html(opened)


def test_the_youth_changes_language_inside_their_space(world, pathway, client_for):  # noqa: F811
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway), follow=True)
    switched = phone.post(CHOOSE, {"language": "en", "next": "/mon-espace/partages/"})
    assert switched["Location"] == "/mon-espace/partages/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    shares = _html(phone.get("/mon-espace/partages/"))
    assert "Who sees what in my file" in shares and "your training and your work" in shares
    assert Youth.objects.get(pk=pathway.youth_id).space_language == "en"
    assert "Your opinion counts" in _html(phone.get("/pilotage/ma-parole/"))


def test_a_choice_leads_nowhere_else_and_an_unknown_language_changes_nothing(
    world,
    pathway,  # noqa: F811
    client_for,
):
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway), follow=True)
    elsewhere = phone.post(CHOOSE, {"language": "en", "next": "https://example.org/"})
    assert elsewhere["Location"] == "/mon-espace/"
    unknown = phone.post(CHOOSE, {"language": "xx", "next": "/mon-espace/"})
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies
    assert Youth.objects.get(pk=pathway.youth_id).space_language == "en"
    assert phone.get(CHOOSE).status_code == 405


def test_professionals_pages_stay_in_french(world, client_for):
    referent = client_for(world.referent)
    referent.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    home = _html(referent.get("/", headers={"accept-language": "en"}))
    assert '<html lang="fr"' in home and "Open my space" not in home
    login = _html(Client(headers={"accept-language": "ar"}).get("/compte/connexion/"))
    assert '<html lang="fr"' in login
