"""The demo's outbox (``outbox://``): what the demo sends stays in the database, and the
administrator reads it in the administration, nobody else."""

from __future__ import annotations

import pytest
from django.core import mail

from coparcours.core.models import OutboxMessage
from coparcours.core.sms import send_sms

pytestmark = pytest.mark.django_db


def test_the_demos_mails_and_sms_are_read_by_the_administrator_only(settings, demo, login_client):
    settings.EMAIL_BACKEND = "coparcours.core.outbox.EmailBackend"
    settings.SMS_URL = "outbox://"
    mail.send_mail("Réinitialisation du mot de passe", "Suivez ce lien.", None, ["a@b.fr"])
    send_sms("06 12 34 56 78", "Bonjour, voici le lien vers votre espace Coparcours.")
    email, sms = OutboxMessage.objects.order_by("pk")
    assert (email.channel, email.recipients, email.subject) == (
        "email",
        "a@b.fr",
        "Réinitialisation du mot de passe",
    )
    assert (sms.channel, sms.recipients) == ("sms", "+33612345678")
    admin = login_client(demo.users["admin"])
    listing = admin.get("/admin/core/outboxmessage/").content.decode()
    assert "Réinitialisation du mot de passe" in listing and "+33612345678" in listing
    assert admin.get(f"/admin/core/outboxmessage/{sms.pk}/change/").status_code == 200
    assert admin.get("/admin/core/outboxmessage/add/").status_code == 403
    dpo = login_client(demo.users["dpo"])
    assert dpo.get("/admin/core/outboxmessage/").status_code in (302, 403)
