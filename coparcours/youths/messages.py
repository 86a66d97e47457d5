"""Messages sent to a youth's own number or address (the link to their space, reminders):
one way to send by SMS or e-mail and one way to fail, shared by every sender, so that no
failure escapes a caller that must show it or retry (docs/youth-space.md, « Messages to
youths »)."""

from __future__ import annotations

import smtplib

from django.core.exceptions import ValidationError
from django.core.mail import send_mail

from coparcours.core import phones
from coparcours.core.sms import SmsError, send_sms
from coparcours.youths.models import Youth

SMS = "sms"
EMAIL = "email"


class NotSent(Exception):
    """The message did not leave: ``reason`` in French, and whether the record itself must
    be corrected first (no number or address, a number that cannot be dialled), in which
    case trying again changes nothing."""

    def __init__(self, reason: str, *, record_to_correct: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record_to_correct = record_to_correct


def send_to_youth(youth: Youth, channel: str, subject: str, text: str) -> str:
    """Send ``text`` by ``channel`` to the youth's own number or address and return where it
    went, as people read it; :class:`NotSent` otherwise."""
    if channel == SMS:
        if not youth.phone:
            raise NotSent(
                "le dossier du jeune n'a pas de numéro de téléphone", record_to_correct=True
            )
        try:
            send_sms(youth.phone, text)
        except ValidationError as invalid:
            raise NotSent(
                "le numéro du dossier du jeune n'est pas valable : corrigez-le dans ses "
                "coordonnées",
                record_to_correct=True,
            ) from invalid
        except SmsError as failed:
            raise NotSent(str(failed)) from failed
        return phones.readable(youth.phone)
    if channel == EMAIL:
        if not youth.email:
            raise NotSent(
                "le dossier du jeune n'a pas d'adresse électronique", record_to_correct=True
            )
        try:
            send_mail(subject, text, None, [youth.email])
        except (smtplib.SMTPException, OSError) as failed:
            raise NotSent("le serveur de courriel ne l'a pas pris") from failed
        return youth.email
    raise NotSent("ni SMS ni courriel")
