"""Who opened a youth's record, as the youth sees it in their own space (RGPD art. 15-1-c:
the recipients of their data): each organisation and role that read, wrote or exceptionally
opened it, with the first and last day and how many times, from the access log. The
professionals are not named: the youth learns which organisation and which kind of person
(docs/youth-space.md, « Their rights »)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Membership, Role

#: Each role in the youth's words and language.
YOUTH_ROLE_WORDS: dict[str, str] = {
    Role.COORDINATOR: gettext_lazy("la coordination"),
    Role.DIRECTOR: gettext_lazy("la direction"),
    Role.REFERENT: gettext_lazy("un référent de parcours"),
    Role.COUNSELLOR: gettext_lazy("un conseiller de la mission locale"),
    Role.FINANCE_OFFICER: gettext_lazy("le service financier"),
    Role.QUALITY_DIRECTOR: gettext_lazy("la direction de la qualité"),
    Role.FUNDER_VIEWER: gettext_lazy("le financeur"),
    Role.ADMINISTRATOR: gettext_lazy("l'administrateur du logiciel"),
    Role.DATA_PROTECTION_OFFICER: gettext_lazy("le délégué à la protection des données"),
}
UNKNOWN_ROLE = gettext_lazy("une personne qui n'y travaille plus")

#: The events that open the record: reading it, writing in it, an exceptional access.
OPENINGS = (AuditEvent.READ, AuditEvent.WRITE, AuditEvent.BREAK_GLASS)


@dataclass(frozen=True)
class Recipient:
    """An organisation and a kind of person who opened the record, and when."""

    organisation: str
    role: str
    first_day: datetime.date
    last_day: datetime.date
    times: int


def recipients_of(youth_id: int) -> list[Recipient]:
    """The professionals' openings of the record grouped by organisation and role, the most
    recent first (two queries whatever the log's length). The youth's own acts, written
    without a user, are not recipients."""
    openings = list(
        AuditLog.objects.filter(youth_id=youth_id, event__in=OPENINGS, user__isnull=False)
        .values("organisation_id", "organisation_name", "user_id")
        .annotate(first=Min("at"), last=Max("at"), times=Count("pk"))
        .order_by()
    )
    roles: dict[tuple[int, int], str] = {}
    for user_id, organisation_id, role in (
        Membership.objects.filter(
            user_id__in={row["user_id"] for row in openings},
            organisation_id__in={row["organisation_id"] for row in openings},
        )
        .order_by("start_date")
        .values_list("user_id", "organisation_id", "role")
    ):
        roles[(user_id, organisation_id)] = role  # the latest membership's role
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in openings:
        role = roles.get((row["user_id"], row["organisation_id"]))
        words = YOUTH_ROLE_WORDS.get(role, UNKNOWN_ROLE) if role else UNKNOWN_ROLE
        grouped.setdefault((row["organisation_name"], str(words)), []).append(row)
    recipients = [
        Recipient(
            organisation=organisation or "—",
            role=role,
            first_day=timezone.localtime(min(row["first"] for row in rows)).date(),
            last_day=timezone.localtime(max(row["last"] for row in rows)).date(),
            times=sum(row["times"] for row in rows),
        )
        for (organisation, role), rows in grouped.items()
    ]
    return sorted(recipients, key=lambda r: (r.last_day, r.organisation), reverse=True)
