"""The demo's outbox: e-mails and SMS kept in the database instead of leaving the machine,
so that whoever tries Coparcours reads what it sent (a password reset, a follow-up, a
youth's link) in the administration. ``EMAIL_URL=outbox://`` and ``SMS_URL=outbox://``
choose it; production refuses it (coparcours/settings.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from coparcours.core.models import OutboxChannel, OutboxMessage


class EmailBackend(BaseEmailBackend):
    """Django's mail backend writing each message to :class:`OutboxMessage`."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            OutboxMessage.objects.create(
                channel=OutboxChannel.EMAIL,
                recipients=", ".join(message.recipients())[:1000],
                subject=str(message.subject)[:300],
                body=str(message.body),
                attachments=", ".join(
                    name for name, *_rest in message.attachments if isinstance(name, str)
                )[:1000],
            )
        return len(email_messages)


def keep_sms(to: str, text: str) -> str:
    """An SMS of the demo, kept; its reference is the row's number."""
    return str(OutboxMessage.objects.create(channel=OutboxChannel.SMS, recipients=to, body=text).pk)
