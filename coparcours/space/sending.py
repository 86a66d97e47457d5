"""Sending the youth the link to their space, by SMS or e-mail to their own number or address,
in their language. The message names nobody and says nothing of their accompaniment: it may
be read on a shared or lost phone (docs/youth-space.md, « Messages to youths »). Sending
reads the youth's contact details (audited) and is a line of their access log; a provider
that fails is said plainly, and the link stays shown to be given another way."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from coparcours.core.access import Action, Category, Grant, check
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation
from coparcours.space.links import valid_link
from coparcours.youths.messages import EMAIL, SMS, NotSent, send_to_youth
from coparcours.youths.models import Youth

CHANNEL_NAMES = {SMS: "SMS", EMAIL: "courriel"}


def link_message(space_language: str, url: str) -> tuple[str, str]:
    """The subject and text sent with the link, in the youth's language."""
    with translation.override(space_language or settings.LANGUAGE_CODE):
        return gettext("Votre espace Coparcours"), gettext(
            "Bonjour, voici le lien vers votre espace Coparcours : %(url)s . Il marche une "
            "seule fois, pendant 7 jours. Il vous demandera votre date de naissance."
        ) % {"url": url}


def send_youth_link(user: Any, giver: Grant, youth: Youth, raw: str, channel: str) -> str:
    """Send the youth's valid link ``raw`` to their own number or address and return where
    it went, as people read it; a :class:`ValidationError` in French when it could not
    leave (nothing to send to, a link no longer valid, the provider down)."""
    if valid_link(youth, raw) is None:
        raise ValidationError("Ce lien n'est plus valable : créez-en un nouveau.")
    if channel not in CHANNEL_NAMES:
        raise ValidationError("Choisissez l'envoi par SMS ou par courriel.")
    check(
        user,
        youth,
        Category.CONTACT,
        Action.READ,
        author_organisation_id=youth.owner_organisation_id,
        obj=youth,
    )
    url = settings.SITE_URL.rstrip("/") + reverse("space:open", args=[raw])
    subject, text = link_message(youth.space_language, url)
    try:
        where = send_to_youth(youth, channel, subject, text)
    except NotSent as failed:
        if failed.record_to_correct:
            raise ValidationError(f"{capfirst(failed.reason)}.") from failed
        raise ValidationError(
            f"Le {CHANNEL_NAMES[channel]} n'est pas parti : {failed.reason}. Donnez le lien "
            "autrement (QR code, ou copiez-le), ou réessayez plus tard."
        ) from failed
    record(
        user,
        AuditEvent.WRITE,
        organisation=Organisation.objects.get(pk=giver.organisation_id),
        youth_id=youth.pk,
        obj=youth,
        reason=f"Lien de son espace envoyé au jeune par {CHANNEL_NAMES[channel]}",
    )
    return where
