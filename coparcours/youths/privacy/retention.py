"""The daily retention job: the last contact with each youth, and the records or categories
past their retention period (CNIL référentiel 2023-095: active data two years after the last
contact, then deletion or anonymisation)."""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.dispatch import Signal
from django.utils import timezone

from coparcours.core.access import Category
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import Assignment, Consent, Document, Note, RetentionRule, Youth
from coparcours.youths.models.retention import RetentionScope
from coparcours.youths.privacy.anonymisation import (
    anonymise_youth,
    delete_erased_files,
    purge_category,
)

logger = logging.getLogger(__name__)

#: Sent by the daily retention job once the records are done, with ``today``: the apps
#: downstream (CEJ-JR data kept ten years after the contract ends) apply their own dated
#: periods without this app importing them (docs/conventions.md: data flows one way).
retention_applied = Signal()

_FLOOR = datetime.date(1900, 1, 1)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _latest(queryset: models.QuerySet, expression: Any) -> Coalesce:
    """The latest date of a related row of the youth (a correlated subquery), or the floor."""
    latest = (
        queryset.filter(youth=OuterRef("pk"))
        .order_by()
        .values("youth")
        .annotate(latest=Max(expression))
        .values("latest")[:1]
    )
    return Coalesce(Subquery(latest), Value(_FLOOR), output_field=models.DateField())


def with_last_contact(youths: models.QuerySet, today: datetime.date) -> models.QuerySet:
    """Annotate ``last_contact``: the latest of the recorded last contact, the opening of the
    record, notes, documents, consents (given or withdrawn) and assignments (an assignment
    still running counts as a contact today)."""
    return youths.annotate(
        last_contact=Greatest(
            Coalesce("last_contact_on", Value(_FLOOR), output_field=models.DateField()),
            TruncDate("created_at"),
            _latest(Note.objects.all(), "occurred_on"),
            _latest(Document.objects.all(), TruncDate("created_at")),
            _latest(Consent.objects.all(), "start_date"),
            _latest(Consent.objects.filter(withdrawn_at__isnull=False), TruncDate("withdrawn_at")),
            _latest(
                Assignment.objects.all(),
                Coalesce("end_date", Value(today), output_field=models.DateField()),
            ),
            output_field=models.DateField(),
        )
    )


@dataclass
class RetentionReport:
    anonymised: list[int] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)
    files_deleted: int = 0


def apply_retention(today: datetime.date | None = None) -> RetentionReport:
    """The retention job: anonymise the records whose every category is past its retention
    period after the last contact; before that, erase the categories already past theirs.

    One transaction per youth: a crash leaves each record either untouched or done, and the
    next run resumes (running twice changes nothing).
    """
    today = today or timezone.localdate()
    months = RetentionRule.objects.months_by_category(RetentionScope.LAST_CONTACT, today)
    report = RetentionReport(files_deleted=delete_erased_files())
    if not months:
        retention_applied.send(sender=RetentionRule, today=today)
        return report
    cutoffs = {category: months_before(today, m) for category, m in months.items()}
    candidates = (
        with_last_contact(Youth.objects.active(), today)
        .filter(last_contact__lte=max(cutoffs.values()))
        .values_list("pk", "last_contact")
        .order_by("pk")
    )
    for youth_id, last_contact in candidates.iterator():
        expired = [c for c, cutoff in cutoffs.items() if last_contact <= cutoff]
        if len(expired) == len(Category.values):
            label = f"durée de conservation échue (dernier contact le {last_contact:%d/%m/%Y})"
            if anonymise_youth(youth_id, reason=label):
                report.anonymised.append(youth_id)
        elif _purge_expired_categories(youth_id, expired, last_contact):
            report.purged.append(youth_id)
    report.files_deleted += delete_erased_files(report.purged)
    retention_applied.send(sender=RetentionRule, today=today)
    logger.info(
        "Retention: %d anonymised, %d purged, %d files deleted",
        len(report.anonymised),
        len(report.purged),
        report.files_deleted,
    )
    return report


def _purge_expired_categories(
    youth_id: int, categories: list[str], last_contact: datetime.date
) -> bool:
    with transaction.atomic():
        youth = (
            Youth.objects.select_for_update()
            .select_related("owner_organisation")
            .filter(pk=youth_id, anonymised_at__isnull=True)
            .first()
        )
        if youth is None:
            return False
        purged = [category for category in categories if purge_category(youth, category)]
        if purged:
            labels = ", ".join(str(Category(c).label) for c in purged)
            record(
                None,
                AuditEvent.WRITE,
                organisation=youth.owner_organisation,
                youth_id=youth.pk,
                obj=youth,
                reason=f"Effacement à l'échéance de conservation ({labels}) ; dernier contact "
                f"le {last_contact:%d/%m/%Y}",
            )
        return bool(purged)
