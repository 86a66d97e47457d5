"""Secret links: the youth's one-time link to their own page, and the calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coparcours.cej.models.pathway import Pathway
from coparcours.core.models import TimeStamped

USER = settings.AUTH_USER_MODEL


class YouthLink(TimeStamped):
    """A one-time, expiring link (or QR code) to the youth's own page: no password, but the
    youth's date of birth, asked before anything personal shows; locked after
    ``youth_page.MAX_BIRTH_DATE_TRIES`` wrong dates."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="youth_links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    failed_attempts = models.PositiveSmallIntegerField(
        "dates de naissance erronées", default=0, editable=False
    )
    locked_at = models.DateTimeField("bloqué le", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("accès fermé le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "lien vers la page du jeune"


class CalendarFeed(TimeStamped):
    """A token-protected ICS feed: a referent's activities, or one youth's, read with the
    rights of the person who created it (checked again at each fetch)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    pathway = models.ForeignKey(
        Pathway, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "agenda ICS"
