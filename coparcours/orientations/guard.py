"""What keeps robots and floods off the public orientation pages without a third-party
service: a signed, timestamped form token (too fast, too old, altered or replayed refused),
a honeypot field, and a count of posts per address in the cache. Nothing is written for a
refused form; the count is a cache entry keyed by a hash of the address, never stored."""

from __future__ import annotations

import hashlib
import secrets
import time

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

from coparcours.orientations import rules

_SALT = "coparcours.orientations.form"


def form_token(page_token: str, issued_at: float | None = None) -> str:
    """A token for one opening of the page's form: signed, naming the page and the time
    (now, unless ``issued_at`` says when the form was opened)."""
    issued = time.time() if issued_at is None else issued_at
    return signing.dumps({"p": page_token, "n": secrets.token_hex(8), "t": issued}, salt=_SALT)


def token_digest(token: str) -> str:
    """What is kept of an accepted token, so that it is accepted once."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_form_token(token: str, page_token: str, now: float | None = None) -> None:
    """Refuse (French ``ValidationError``) a token altered, of another page, filled too
    fast or too long ago."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature as error:
        raise ValidationError(rules.INVALID, code="invalid") from error
    if not isinstance(value, dict) or value.get("p") != page_token:
        raise ValidationError(rules.INVALID, code="invalid")
    try:
        issued = float(value["t"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(rules.INVALID, code="invalid") from error
    refusal = rules.timing_refusal((time.time() if now is None else now) - issued)
    if refusal:
        raise ValidationError(refusal, code="timing")


def _rate_key(address: str | None) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"orientations:posts:{digest}"


def count_post(address: str | None) -> bool:
    """Count one post from ``address``; ``False`` when the address had already posted its
    hour's allowance (the post is then refused)."""
    key = _rate_key(address)
    cache.add(key, 0, timeout=rules.RATE_WINDOW_SECONDS)
    try:
        posts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rules.RATE_WINDOW_SECONDS)
        posts = 1
    return not rules.flooding(posts - 1)
