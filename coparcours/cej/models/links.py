"""Secret links: the calendar feeds (the youth's own link is ``space.models.YouthLink``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coparcours.cej.models.pathway import Pathway
from coparcours.core.models import TimeStamped

USER = settings.AUTH_USER_MODEL


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
