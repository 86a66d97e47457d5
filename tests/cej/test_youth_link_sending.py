"""The link to the youth's space sent by SMS or e-mail to their own number or address, in
their language, naming nobody; a provider down is said plainly and the link stays at hand;
the Brevo backend speaks the provider's API."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from coparcours.core import sms
from coparcours.core.models import AuditEvent, AuditLog

from .test_youth_page import pathway  # noqa: F401 (the fixture)


@pytest.fixture
def reachable(pathway):  # noqa: F811
    youth = pathway.youth
    youth.phone = "06 12 34 56 78"
    youth.email = "lea.durand@example.org"
    youth.save()
    return pathway


def _created(client, pathway) -> tuple[str, str]:  # noqa: F811
    html = client.post(f"/cej/parcours/{pathway.pk}/lien-jeune/").content.decode()
    url = html.split('<code id="youth-url">')[1].split("</code>")[0]
    return url, html


def _send(client, pathway, url: str, channel: str):  # noqa: F811
    token = url.rstrip("/").rsplit("/", 1)[1]
    return client.post(
        f"/cej/parcours/{pathway.pk}/lien-jeune/envoyer/",
        {"token": token, "channel": channel},
        follow=True,
    )


def test_the_link_goes_by_sms_to_the_youths_number_naming_nobody(
    world, reachable, client_for, sms_outbox
):
    referent = client_for(world.referent)
    url, page = _created(referent, reachable)
    assert "Envoyer par SMS à son numéro" in page
    sent = _send(referent, reachable, url, "sms").content.decode()
    assert "Lien envoyé par SMS : 06 12 34 56 78." in sent and 'id="youth-url"' in sent
    (message,) = sms_outbox
    assert message.to == "+33612345678"
    assert url.split("/mon-espace/")[1] in message.text and "date de naissance" in message.text
    assert reachable.youth.first_names not in message.text
    assert reachable.youth.last_name not in message.text
    lines = AuditLog.objects.filter(youth_id=reachable.youth_id, user=world.referent)
    assert lines.filter(event=AuditEvent.READ, category="contact").exists()
    assert lines.filter(reason="Lien de son espace envoyé au jeune par SMS").exists()


def test_the_link_goes_by_email_in_the_youths_language(world, reachable, client_for):
    reachable.youth.space_language = "ar"
    reachable.youth.save()
    referent = client_for(world.referent)
    url, _page = _created(referent, reachable)
    sent = _send(referent, reachable, url, "email").content.decode()
    assert "Lien envoyé par courriel : lea.durand@example.org." in sent
    (message,) = mail.outbox
    assert message.to == ["lea.durand@example.org"] and message.subject == "مساحتك في Coparcours"
    assert "سيطلب منك تاريخ ميلادك" in message.body and url.split("/mon-espace/")[1] in message.body


def test_a_provider_down_is_said_and_the_link_stays_at_hand(
    world, reachable, client_for, settings, sms_outbox
):
    settings.SMS_URL = "brevo+http://key@127.0.0.1:9/v3/transactionalSMS/send"  # nobody there
    referent = client_for(world.referent)
    url, _page = _created(referent, reachable)
    page = _send(referent, reachable, url, "sms").content.decode()
    assert "Le SMS n&#x27;est pas parti : le service d&#x27;envoi ne répond pas." in page
    assert f'<code id="youth-url">{url}</code>' in page
    assert not AuditLog.objects.filter(reason__startswith="Lien de son espace envoyé").exists()


def test_a_link_no_longer_valid_is_not_sent(world, reachable, client_for, sms_outbox):
    referent = client_for(world.referent)
    url, _page = _created(referent, reachable)
    referent.post(f"/cej/parcours/{reachable.pk}/lien-jeune/", {"replace": "1"})  # a new one
    page = _send(referent, reachable, url, "sms")
    assert page.redirect_chain[-1][0] == f"/cej/parcours/{reachable.pk}/accompagnement/"
    assert "Ce lien n&#x27;est plus valable" in page.content.decode() and not sms_outbox


class _Brevo(BaseHTTPRequestHandler):
    received: list[tuple[dict, dict]] = []
    status = 201

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        _Brevo.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(_Brevo.status)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"messageId": 1511882900176220}' if _Brevo.status == 201 else b"{}")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def brevo(settings):
    server = HTTPServer(("127.0.0.1", 0), _Brevo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Brevo.received.clear()
    _Brevo.status = 201
    settings.SMS_URL = (
        f"brevo+http://s%C3%A9cret@127.0.0.1:{server.server_port}"
        "/v3/transactionalSMS/send?sender=Rebond"
    )
    yield _Brevo
    server.shutdown()


def test_the_brevo_backend_speaks_its_api(brevo):
    assert sms.send_sms("06 12 34 56 78", "مرحبًا") == "1511882900176220"
    ((headers, body),) = brevo.received
    assert headers["api-key"] == "sécret"
    assert body == {
        "sender": "Rebond",
        "recipient": "33612345678",
        "content": "مرحبًا",
        "type": "transactional",
        "unicodeEnabled": True,
    }
    brevo.status = 400
    with pytest.raises(sms.SmsError, match="refusé le message \\(erreur 400\\)"):
        sms.send_sms("06 12 34 56 78", "Bonjour")
