"""The youth's one-time links to their own space (docs/youth-space.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth


class YouthLink(TimeStamped):
    """A one-time, expiring link (or QR code) to the youth's own space: no password, but a
    second factor the youth knows, asked before anything personal shows; locked after
    ``links.MAX_TRIES`` wrong answers. One link per youth, whichever programme gave it:
    the space shows what its creator may read."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="space_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation qui l'a donné",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    failed_attempts = models.PositiveSmallIntegerField(
        "réponses erronées", default=0, editable=False
    )
    locked_at = models.DateTimeField("bloqué le", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("accès fermé le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "lien vers l'espace du jeune"
        verbose_name_plural = "liens vers l'espace du jeune"
