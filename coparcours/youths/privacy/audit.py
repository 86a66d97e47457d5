"""The organisation-wide search of the audit log."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from coparcours.core.models import AuditLog
from coparcours.organisations.models import Membership
from coparcours.youths.models import Youth


def organisation_audit(
    organisation_id: int,
    *,
    person: str = "",
    youth_id: int | None = None,
    event: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> models.QuerySet[AuditLog]:
    """The audit lines of an organisation, newest first: accesses granted through it,
    accesses (by anyone) to the youths it owns, and its members' lines bound to no
    organisation (logins, refusals). One query per page, whatever the log's size."""
    members = Membership.objects.filter(organisation_id=organisation_id).values("user_id")
    owned = Youth.objects.filter(owner_organisation_id=organisation_id).values("pk")
    lines = AuditLog.objects.filter(
        Q(organisation_id=organisation_id)
        | Q(youth_id__in=owned)
        | Q(organisation_id__isnull=True, user_id__in=members)
    )
    if person:
        lines = lines.filter(user_email__icontains=person)
    if youth_id is not None:
        lines = lines.filter(youth_id=youth_id)
    if event:
        lines = lines.filter(event=event)
    if start is not None:
        lines = lines.filter(at__date__gte=start)
    if end is not None:
        lines = lines.filter(at__date__lte=end)
    return lines.order_by("-at", "-id")
