"""A youth asks for a copy of their data from their own space (RGPD art. 15-3): the request
lands with the data-protection officer of the record's organisation, on their home page,
who answers within a month; the youth reads the answer in their space."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.core.models import AuditLog
from coparcours.organisations.models import Role
from coparcours.youths.models import CopyRequest
from coparcours.youths.models.copies import CopyStatus
from tests.cej.conftest import plain
from tests.housing.conftest import TODAY

from .conftest import give_from_stay, link_url

pytestmark = pytest.mark.django_db

COPY = "/mon-espace/copie/"


def _phone(gme, stay) -> Client:
    url = link_url(give_from_stay(gme.client(gme.member_b, Role.REFERENT), stay))
    phone = Client()
    phone.post(url, {"birth_date": stay.youth.birth_date.strftime("%d/%m/%Y")})
    return phone


def _answer_url(copy: CopyRequest) -> str:
    return f"/jeunes/{copy.youth_id}/copie/{copy.pk}/repondre/"


def test_the_youths_request_reaches_the_dpo_who_answers_it(gme, hosted):
    phone = _phone(gme, hosted)
    assert COPY in phone.get("/mon-espace/").content.decode()
    asking = plain(phone.get(COPY).content.decode())
    assert "Demander ma copie" in asking and "dans un mois au plus" in asking
    assert phone.post(COPY)["Location"] == COPY
    phone.post(COPY)  # a second tap: still one request
    (copy,) = CopyRequest.objects.all()
    assert copy.status == CopyStatus.PENDING and copy.received_on == TODAY()
    waiting = plain(phone.get(COPY).content.decode())
    assert "Votre demande est envoyée depuis le" in waiting and "vous répondra avant le" in waiting
    assert AuditLog.objects.filter(
        youth_id=hosted.youth_id, user=None, reason__startswith="Demande de copie"
    ).exists()

    owner = hosted.youth.owner_organisation
    dpo = gme.client(owner, Role.DATA_PROTECTION_OFFICER)
    home = plain(dpo.get("/").content.decode())
    assert "Demandes de copie des jeunes" in home and f"Dossier n° {hosted.youth_id}" in home
    assert _answer_url(copy) in dpo.get("/").content.decode()
    page = plain(dpo.get(_answer_url(copy)).content.decode())
    assert "Exporter le dossier (PDF lisible)" in page and "Réponse due le" in page
    # no words for the youth: refused, nothing saved
    empty = dpo.post(_answer_url(copy), {"outcome": "handed_over", "answer": " "})
    assert empty.status_code == 200 and "le jeune la lira" in plain(empty.content.decode())
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING
    words = "Remise en main propre le 4 décembre, à l'accueil de l'association."
    done = dpo.post(_answer_url(copy), {"outcome": "handed_over", "answer": words})
    assert done.status_code == 302
    copy.refresh_from_db()
    assert copy.status == CopyStatus.HANDED_OVER and copy.answer == words
    answered = plain(phone.get(COPY).content.decode())
    assert "Votre copie vous a été remise." in answered and words in answered
    assert "Aucune demande de copie n'attend de réponse." in plain(dpo.get("/").content.decode())
    again = dpo.post(_answer_url(copy), {"outcome": "refused", "answer": "Non."})
    assert "déjà reçu sa réponse" in plain(again.content.decode())


def test_only_the_owners_dpo_answers(gme, hosted):
    copy = CopyRequest.objects.create(
        youth=hosted.youth, received_on=TODAY(), author_organisation=hosted.youth.owner_organisation
    )
    owner = hosted.youth.owner_organisation
    others = [(owner, Role.REFERENT), (owner, Role.DIRECTOR), (gme.funder, Role.FUNDER_VIEWER)]
    other_member = gme.member_c if owner != gme.member_c else gme.member_b
    others.append((other_member, Role.DATA_PROTECTION_OFFICER))
    for organisation, role in others:
        client = gme.client(organisation, role)
        assert client.get(_answer_url(copy)).status_code in (403, 404), role
        answer = client.post(_answer_url(copy), {"outcome": "refused", "answer": "Non."})
        assert answer.status_code in (403, 404), role
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING


def test_a_request_past_its_month_is_late_on_the_dpos_home(gme, hosted):
    owner = hosted.youth.owner_organisation
    CopyRequest.objects.create(
        youth=hosted.youth,
        received_on=TODAY() - datetime.timedelta(days=40),
        author_organisation=owner,
    )
    home = gme.client(owner, Role.DATA_PROTECTION_OFFICER).get("/").content.decode()
    block = home.split("Demandes de copie des jeunes")[1].split("</section>")[0]
    assert "reçue il y a 40 jours" in plain(block) and "late" in block
