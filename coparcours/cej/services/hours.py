"""Activities, attendance and the weekly hours against the partnership's minimum."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.models import Activity, Pathway
from coparcours.cej.services.common import require_open_pathway, require_own_write
from coparcours.cej.services.plan import partners_of
from coparcours.core.access import Action, SharedAct, check, member_organisation, require_act
from coparcours.core.batches import chunks
from coparcours.organisations.models import Organisation


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of a day in Europe/Paris."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@transaction.atomic
def add_activity(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    responsible: Organisation,
    attended: bool | None = None,
) -> Activity:
    """Plan or record an activity counted in the weekly hours (15–20 h split between the
    porteur and the mission locale, not necessarily equally).

    Refused: a duration outside 1 minute – 24 hours, an organisation outside the pathway,
    attendance recorded for the future, and an activity overlapping another of the youth.
    """
    organisation = member_organisation(user, organisation)
    require_open_pathway(pathway)
    require_act(organisation.pk, pathway, SharedAct.ACTIVITIES)
    if duration_minutes is None or not 1 <= duration_minutes <= 24 * 60:
        raise ValidationError(
            {"duration_minutes": "Une activité dure entre 1 minute et 24 heures."}
        )
    if responsible is None or responsible.pk not in partners_of(pathway):
        raise ValidationError(
            {"responsible": "L'activité relève du porteur ou de la mission locale."}
        )
    if attended is not None and starts_at > timezone.now():
        raise ValidationError({"attended": "La présence se note une fois l'activité passée."})
    activity = Activity(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        organisation=responsible,
        attended=attended,
        recorded_by=user,
    )
    require_own_write(user, pathway, organisation, activity.category_of())
    Pathway.objects.select_for_update().filter(pk=pathway.pk).first()  # serialise the check
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    clash = (
        Activity.objects.filter(pathway=pathway, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        local = timezone.localtime(clash.starts_at)
        raise ValidationError(
            {
                "starts_at": "Cette activité chevauche une autre activité du jeune, le "
                f"{local:%d/%m/%Y à %H:%M} ({clash.duration_minutes} min)."
            }
        )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def record_attendance(
    user: Any, organisation: Organisation, activity: Activity, attended: bool
) -> Activity:
    organisation = member_organisation(user, organisation)
    check(
        user,
        activity.pathway.youth,
        activity.category,
        Action.WRITE,
        author_organisation_id=activity.author_organisation_id,
        obj=activity,
        within_organisation_id=organisation.pk,
    )
    if activity.starts_at > timezone.now():
        raise ValidationError("La présence se note une fois l'activité passée.")
    activity.attended = attended
    activity.save(update_fields=["attended", "updated_at"])
    return activity


def weekly_minutes_by_author(
    pathway_ids: list[int] | None, week: datetime.date
) -> dict[int, list[tuple[int, int, int]]]:
    """Attended minutes of a week summed by the database, per pathway:
    ``{pathway_id: [(responsible organisation, author organisation, minutes)]}`` (all
    pathways when ``pathway_ids`` is ``None``). The author tells whose data the hours are."""
    start = local_midnight(week)
    rows = Activity.objects.filter(
        attended=True, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)
    )
    batches = (
        [rows]
        if pathway_ids is None
        else [rows.filter(pathway_id__in=ids) for ids in chunks(pathway_ids)]
    )
    totals: dict[int, list[tuple[int, int, int]]] = {}
    for batch in batches:
        for pathway_id, organisation_id, author_id, minutes in (
            batch.order_by()
            .values("pathway_id", "organisation_id", "author_organisation_id")
            .annotate(minutes=Sum("duration_minutes"))
            .values_list("pathway_id", "organisation_id", "author_organisation_id", "minutes")
        ):
            totals.setdefault(pathway_id, []).append((organisation_id, author_id, minutes))
    return totals


def fold_minutes(
    rows: list[tuple[int, int, int]], author_ids: set[int] | None = None
) -> dict[int, int]:
    """Minutes per responsible organisation, keeping only ``author_ids``' data if given."""
    folded: dict[int, int] = {}
    for organisation_id, author_id, minutes in rows:
        if author_ids is None or author_id in author_ids:
            folded[organisation_id] = folded.get(organisation_id, 0) + minutes
    return folded


@dataclass(frozen=True)
class WeekHours:
    """A week's hours of one youth against the partnership's minimum."""

    week: datetime.date
    porteur_minutes: int
    mission_locale_minutes: int
    minimum_hours: int | None

    @property
    def total_minutes(self) -> int:
        return self.porteur_minutes + self.mission_locale_minutes

    @property
    def total_hours(self) -> Decimal:
        return _hours(self.total_minutes)

    @property
    def porteur_hours(self) -> Decimal:
        return _hours(self.porteur_minutes)

    @property
    def mission_locale_hours(self) -> Decimal:
        return _hours(self.mission_locale_minutes)

    @property
    def reached(self) -> bool | None:
        if self.minimum_hours is None:
            return None
        return self.total_minutes >= self.minimum_hours * 60


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


#: The weekly minimum of a partnership without settings (the CEJ asks 15 to 20 hours).
DEFAULT_MINIMUM_HOURS = 15


def minimum_hours(pathway: Pathway) -> int:
    settings_row = getattr(pathway.partnership, "cej_settings", None)
    return settings_row.minimum_weekly_hours if settings_row else DEFAULT_MINIMUM_HOURS


def hours_of(
    week: datetime.date, minutes: dict[int, int], porteur_id: int, minimum: int | None
) -> WeekHours:
    """A week's hours from the minutes per responsible organisation: the porteur's, the
    rest (the mission locale's), against ``minimum`` (``None``: no target this week)."""
    porteur = minutes.get(porteur_id, 0)
    return WeekHours(week, porteur, sum(minutes.values()) - porteur, minimum)


def week_hours(
    pathway: Pathway, week: datetime.date, minutes: dict[int, int] | None = None
) -> WeekHours:
    """One week of a pathway (``minutes`` per responsible organisation when known)."""
    if minutes is None:
        minutes = fold_minutes(weekly_minutes_by_author([pathway.pk], week).get(pathway.pk, []))
    return hours_of(
        week,
        minutes,
        pathway.author_organisation_id,
        minimum_hours(pathway) if rules.minimum_applies(pathway.contract_start, week) else None,
    )
