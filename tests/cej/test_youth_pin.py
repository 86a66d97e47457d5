"""A youth whose date of birth is not recorded chooses a code at their first opening, then
gives it each time: a wrong code counts as a wrong date does (five lock the link); an
easy or mistyped code is refused; the referent erases a forgotten code after confirming."""

from __future__ import annotations

import pytest
from django.test import Client

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.models import Youth

from .conftest import plain
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)


@pytest.fixture
def undated(pathway):  # noqa: F811
    Youth.objects.filter(pk=pathway.youth_id).update(birth_date=None)
    pathway.youth.refresh_from_db()
    return pathway


def test_the_first_opening_chooses_a_code_then_the_code_opens(world, undated, client_for):
    referent = client_for(world.referent)
    url = _link(referent, undated)
    first = plain(Client().get(url).content.decode())
    assert "C'est votre première visite : choisissez un code." in first
    assert "Votre date de naissance" not in first
    refused = Client().post(url, {"pin": "1111", "pin_again": "1111"}).content.decode()
    assert "trop facile à deviner" in plain(refused)
    mistyped = Client().post(url, {"pin": "4829", "pin_again": "4828"}).content.decode()
    assert "Les deux codes ne sont pas les mêmes." in plain(mistyped)
    assert not Youth.objects.get(pk=undated.youth_id).space_pin
    opened = Client().post(url, {"pin": "4829", "pin_again": "4829"}, follow=True)
    assert f"Bonjour <bdi>{undated.youth.first_names}</bdi>" in opened.content.decode()
    youth = Youth.objects.get(pk=undated.youth_id)
    assert youth.space_pin and "4829" not in youth.space_pin  # kept hashed
    assert AuditLog.objects.filter(
        youth_id=youth.pk, event=AuditEvent.WRITE, reason="Le jeune choisit le code de son espace"
    ).exists()
    # the next link asks for that code
    url = _link(referent, undated)
    asked = plain(Client().get(url).content.decode())
    assert "Votre code (4 à 6 chiffres)" in asked and "première visite" not in asked
    wrong = plain(Client().post(url, {"pin": "1234"}).content.decode())
    assert (
        "Ce code ne permet pas d'ouvrir votre espace. Vérifiez-le : il vous reste 4 essais."
        in wrong
    )
    assert Client().post(url, {"pin": "4829"}).status_code == 302


def test_five_wrong_codes_lock_the_link(world, undated, client_for):
    referent = client_for(world.referent)
    Client().post(_link(referent, undated), {"pin": "4829", "pin_again": "4829"})
    url = _link(referent, undated)
    for _try in range(5):
        answer = Client().post(url, {"pin": "9999"})
    assert answer.status_code == 410 and "Il est bloqué" in answer.content.decode()
    assert Client().post(url, {"pin": "4829"}).status_code == 410
    line = AuditLog.objects.filter(event=AuditEvent.DENIED, youth_id=undated.youth_id).latest("pk")
    assert line.reason == "Page du jeune : code erroné (5 sur 5, lien bloqué)"


def test_the_referent_erases_a_forgotten_code(world, undated, client_for):
    referent = client_for(world.referent)
    Client().post(_link(referent, undated), {"pin": "4829", "pin_again": "4829"})
    accompaniment = referent.get(f"/cej/parcours/{undated.pk}/accompagnement/").content.decode()
    reset = f"/cej/parcours/{undated.pk}/lien-jeune/code/effacer/"
    assert f'href="{reset}"' in accompaniment
    asked = plain(referent.get(reset).content.decode())
    assert "Le jeune choisira un nouveau code à sa prochaine ouverture" in asked
    referent.post(reset)
    assert not Youth.objects.get(pk=undated.youth_id).space_pin
    assert "première visite" in plain(Client().get(_link(referent, undated)).content.decode())
