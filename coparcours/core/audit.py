"""Writing to the append-only audit log.

Every access to a young person's data, every refusal and every security event goes
through :func:`record`, so that the youth, the referent and the data-protection officer
can see who looked at what (CNIL référentiel 2021-028, traceability of accesses).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection

from coparcours.core.models import AuditEvent, AuditLog

# (client address, requested path) of the request being served, set by the middleware.
request_origin: ContextVar[tuple[str | None, str]] = ContextVar(
    "request_origin", default=(None, "")
)


@contextmanager
def logged_path(path: str) -> Iterator[None]:
    """Audit lines written inside carry ``path`` instead of the requested address: for
    addresses holding a secret (a calendar feed's token, a youth's one-time link) that the
    readers of the log could otherwise use."""
    ip_address, _requested = request_origin.get()
    masked = request_origin.set((ip_address, path))
    try:
        yield
    finally:
        request_origin.reset(masked)


def entry(
    user: Any,
    event: AuditEvent | str,
    *,
    organisation: Any = None,
    youth_id: int | None = None,
    category: str = "",
    obj: Any = None,
    reason: str = "",
    email: str = "",
) -> AuditLog:
    """An audit line, not yet written (see :func:`record` and :func:`record_many`)."""
    ip_address, path = request_origin.get()
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditLog(
        user=user if authenticated else None,
        user_email=(user.email if authenticated else email)[:254],
        organisation_id=getattr(organisation, "pk", None),
        organisation_name=str(organisation or "")[:200],
        event=event,
        youth_id=youth_id,
        category=category,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        ip_address=ip_address,
        path=path,
    )


def record(user: Any, event: AuditEvent | str, **details: Any) -> AuditLog:
    """Append one line to the audit log and return it."""
    line = entry(user, event, **details)
    line.save()
    return line


# The users whose listing of youths was logged during the request being served (set by the
# middleware): a page that lists youths in several ways (the caseload and its organisation
# filter) is one listing in the log.
_listings_logged: ContextVar[set[int] | None] = ContextVar("listings_logged", default=None)


def record_listing(user: Any, **details: Any) -> None:
    """Log that the user listed youths: once per request, every time outside a request."""
    logged = _listings_logged.get()
    if logged is not None:
        if user.pk in logged:
            return
        logged.add(user.pk)
    record(user, AuditEvent.LIST, **details)


@contextmanager
def one_listing_line() -> Iterator[None]:
    """Within the block, each user's listings make one audit line (see the middleware)."""
    token = _listings_logged.set(set())
    try:
        yield
    finally:
        _listings_logged.reset(token)


# Refusals met inside a transaction that then rolls back must still be logged: during a
# request they are kept here and written when the request ends (see the middleware).
_pending_refusals: ContextVar[list[AuditLog] | None] = ContextVar("pending_refusals", default=None)


def record_refusal(user: Any, **details: Any) -> None:
    """Log a refused access so that no rollback can erase it."""
    line = entry(user, AuditEvent.DENIED, **details)
    pending = _pending_refusals.get()
    if pending is not None and connection.in_atomic_block:
        pending.append(line)
    else:
        line.save()


@contextmanager
def refusals_kept() -> Iterator[None]:
    """Write the refusals collected during a block once it is over, whatever its outcome."""
    token = _pending_refusals.set([])
    try:
        yield
    finally:
        lines = _pending_refusals.get() or []
        _pending_refusals.reset(token)
        if lines:
            AuditLog.objects.bulk_create(lines)


def record_many(lines: list[AuditLog]) -> None:
    """Append several lines in one statement (a record page reads several categories)."""
    AuditLog.objects.bulk_create(lines)
