"""Calendar feeds: their secret tokens (the youth's own link is ``space.links``)."""

from __future__ import annotations

import secrets
from typing import Any

from coparcours.accounts.models import hash_token
from coparcours.cej.models import CalendarFeed, Pathway


def create_feed(user: Any, pathway: Pathway | None = None) -> str:
    """A calendar feed's secret token (shown once, stored hashed)."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, pathway=pathway, token_hash=hash_token(raw))
    return raw


def feed_for_token(raw: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
