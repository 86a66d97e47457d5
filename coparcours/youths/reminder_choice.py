"""The youth's agreement to appointment reminders, given or withdrawn by the youth in their
own space, or withdrawn by answering STOP to a reminder: its channel and its date are
kept on the record, and each change is the youth's own act in the access log
(docs/youth-space.md, « Reminders »)."""

from __future__ import annotations

from django.utils import timezone

from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import Youth

CHANNEL_WORDS = {"sms": "par SMS", "email": "par courriel"}


def reachable_channels(youth: Youth) -> list[str]:
    """The channels the record allows: a number for SMS, an address for e-mail."""
    return [channel for channel, has in (("sms", youth.phone), ("email", youth.email)) if has]


def choose_reminders(youth: Youth, channel: str, *, how: str = "depuis son espace") -> bool:
    """Agree to reminders by ``channel``, or withdraw the agreement with ``""``; whether
    anything changed. A channel the record cannot reach is refused (``False``)."""
    if channel and channel not in reachable_channels(youth):
        return False
    if channel == youth.reminder_channel:
        return False
    youth.reminder_channel = channel
    youth.reminders_agreed_at = timezone.now() if channel else None
    youth.save(update_fields=["reminder_channel", "reminders_agreed_at", "updated_at"])
    record(
        None,
        AuditEvent.WRITE,
        organisation=youth.owner_organisation,
        youth_id=youth.pk,
        obj=youth,
        reason=f"Le jeune accepte les rappels de rendez-vous {CHANNEL_WORDS[channel]} {how}"
        if channel
        else f"Le jeune ne veut plus de rappels de rendez-vous ({how})",
    )
    return True
