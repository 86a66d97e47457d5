"""The Monday follow-up (docs/domain-rules.md, "Co-accompaniment"): each counsellor
receives, for each of their CEJ-JR youths, the hours of the previous week, in the format
their mission locale chose (totals, or the detail of each activity), by e-mail with a PDF
and in their inbox.

Never twice for the same week and counsellor (a unique constraint, not a check-then-write);
the periodic job runs every hour and produces the last week due, so a missed Monday is
caught up. Everything a counsellor receives is what the access policy lets them read
(``decide`` with their memberships): a care appointment or the porteur's activities
without the youth's consent are never detailed, and hours the counsellor may not read are
not transmitted.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.cej import rules, selectors
from coparcours.cej.models import Activity, FollowUpPreference, Pathway, WeeklyFollowUp
from coparcours.cej.models.partnership import FollowUpDetail
from coparcours.cej.selectors import PlannedActivity
from coparcours.cej.services.common import EE
from coparcours.cej.services.hours import (
    DEFAULT_MINIMUM_HOURS,
    fold_minutes,
    hours_of,
    local_midnight,
    weekly_minutes_by_author,
)
from coparcours.core.access import Action, Category, active_memberships, decide
from coparcours.core.batches import chunks
from coparcours.core.pdf import render_pdf
from coparcours.youths.models import Youth
from coparcours.youths.models.records import access_facts_for

logger = logging.getLogger(__name__)


@dataclass
class Report:
    week: datetime.date
    created: list[WeeklyFollowUp]
    skipped: int


def _detail_by_partner() -> dict[tuple[int, int], str]:
    """Each mission locale's chosen format, per partnership."""
    return {
        (partnership_id, mission_locale_id): detail
        for partnership_id, mission_locale_id, detail in FollowUpPreference.objects.values_list(
            "settings__partnership_id", "mission_locale_id", "detail"
        )
    }


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"


STAGE_LABELS = dict(rules.Stage.choices)


@dataclass(frozen=True, slots=True)
class _Pathway:
    """The columns of a pathway the follow-up needs: read as tuples, not model instances
    (100,000 pathways at national scale)."""

    pk: int
    youth_id: int
    last_name: str
    first_names: str
    owner_organisation_id: int
    partnership_id: int
    mission_locale_id: int
    author_organisation_id: int
    counsellor_id: int
    stage: str
    contract_start: datetime.date | None
    minimum_weekly_hours: int | None

    @property
    def youth(self) -> str:
        """The youth's name as ``Youth.__str__`` writes it (from the two columns)."""
        return Youth.__str__(self)  # type: ignore[arg-type]

    def minimum(self, week: datetime.date) -> int | None:
        if not rules.minimum_applies(self.contract_start, week):
            return None
        return self.minimum_weekly_hours or DEFAULT_MINIMUM_HOURS


_COLUMNS = (
    "pk",
    "youth_id",
    "youth__last_name",
    "youth__first_names",
    "youth__owner_organisation_id",
    "partnership_id",
    "mission_locale_id",
    "author_organisation_id",
    "counsellor_id",
    "stage",
    "contract_start",
    "partnership__cej_settings__minimum_weekly_hours",
)


def _youth_rows(
    counsellor_memberships: list[tuple[int, str]],
    pathways: list[_Pathway],
    facts: dict,
    minutes: dict[int, list[tuple[int, int, int]]],
    activities: dict[int, list[Activity]],
    week: datetime.date,
    detail: str,
) -> list[dict[str, Any]]:
    """The rows of one counsellor's follow-up, as far as the access policy lets them read:
    a youth their organisation no longer accompanies is left out, a pathway protected
    from them shows no stage nor minimum (``protected``); hours are the recording
    organisation's education-and-employment data; an activity's nature is shown only if
    its own category is readable for its author (never a care appointment)."""
    rows = []
    for pathway in pathways:
        youth_facts = facts[pathway.youth_id]

        def readable(category: str, author_id: int, youth_facts=youth_facts) -> bool:
            grant = decide(
                counsellor_memberships,
                youth_facts,
                category,
                Action.READ,
                author_organisation_id=author_id,
            )
            return grant is not None

        if not readable(Category.IDENTITY, pathway.owner_organisation_id):
            continue  # the mission locale no longer accompanies the youth
        # a pathway protected from the counsellor: its stage and minimum are the
        # porteur's data; only the youth's name and the hours she may read are shown
        visible = readable(EE, pathway.author_organisation_id)
        authors = {author for _org, author, _m in minutes.get(pathway.pk, [])}
        authors |= {a.author_organisation_id for a in activities.get(pathway.pk, [])}
        readable_authors = {author for author in authors if readable(EE, author)}
        hours = hours_of(
            week,
            fold_minutes(minutes.get(pathway.pk, []), readable_authors),
            pathway.author_organisation_id,
            pathway.minimum(week) if visible else None,
        )
        row: dict[str, Any] = {
            "pathway_id": pathway.pk,
            "youth": pathway.youth,
            "stage": STAGE_LABELS[pathway.stage] if visible else None,
            "protected": not visible,
            "minimum_hours": hours.minimum_hours,
            "porteur": _hours(hours.porteur_minutes),
            "mission_locale": _hours(hours.mission_locale_minutes),
            "total_minutes": hours.total_minutes,
            "total": _hours(hours.total_minutes),
            "reached": hours.reached,
            "withheld": authors != readable_authors,
        }
        if detail == FollowUpDetail.PER_ACTIVITY:
            row["activities"] = [
                {
                    "date": timezone.localtime(a.starts_at).strftime("%d/%m %H:%M"),
                    "label": PlannedActivity(
                        a, readable(a.category, a.author_organisation_id)
                    ).label,
                    "duration": _hours(a.duration_minutes),
                    "organisation": "porteur"
                    if a.organisation_id == pathway.author_organisation_id
                    else "mission locale",
                    "attended": a.attended,
                }
                for a in activities.get(pathway.pk, [])
                if a.author_organisation_id in readable_authors
            ]
        rows.append(row)
    return rows


def _activities(pathway_ids: list[int], week: datetime.date) -> dict[int, list[Activity]]:
    """The week's activities of the pathways whose follow-up details them (their columns
    only, by chunks of ids)."""
    start = local_midnight(week)
    activities: dict[int, list[Activity]] = defaultdict(list)
    for ids in chunks(pathway_ids):
        for activity in (
            Activity.objects.filter(
                pathway_id__in=ids,
                starts_at__gte=start,
                starts_at__lt=start + datetime.timedelta(days=7),
            )
            .only(
                "pathway_id",
                "kind",
                "title",
                "starts_at",
                "duration_minutes",
                "organisation_id",
                "author_organisation_id",
                "category",
                "attended",
            )
            .order_by("starts_at", "pk")
            .iterator(chunk_size=2000)
        ):
            activities[activity.pathway_id].append(activity)
    return activities


def produce(
    week: datetime.date,
    *,
    by: Any = None,
    counsellor_ids: set[int] | None = None,
    send_now: bool = True,
) -> Report:
    """Produce the follow-ups of ``week`` for every counsellor who has CEJ-JR youths (or
    only ``counsellor_ids``); those already produced are left alone. ``send_now`` e-mails
    them at once; the periodic job instead queues one sending task per follow-up, so the
    PDFs are rendered by the workers in parallel."""
    _require_a_past_monday(week)
    produced = WeeklyFollowUp.objects.filter(week_start=week)
    pathways = (
        Pathway.objects.open()
        .filter(counsellor__isnull=False, identified_on__lt=week + datetime.timedelta(days=7))
        .exclude(counsellor_id__in=produced.values("counsellor_id"))
        .order_by("youth__last_name", "youth__first_names", "pk")
    )
    if counsellor_ids is not None:
        pathways = pathways.filter(counsellor_id__in=counsellor_ids)
    done = produced.count()
    by_counsellor: dict[int, list[_Pathway]] = defaultdict(list)
    for values in pathways.values_list(*_COLUMNS).iterator(chunk_size=5000):
        pathway = _Pathway(*values)
        by_counsellor[pathway.counsellor_id].append(pathway)
    if not by_counsellor:
        return Report(week, [], done)
    created = _create_follow_ups(week, by_counsellor, by)
    if send_now:
        for follow_up in created:
            send(follow_up)
    logger.info("Monday follow-up of %s: %d produced", week, len(created))
    return Report(week, created, done)


def _require_a_past_monday(week: datetime.date) -> None:
    """Refuse a week not over yet, or a day that is not a Monday."""
    if week > rules.week_start(timezone.localdate()) - datetime.timedelta(days=7):
        raise ValidationError(
            {"week": "Cette semaine n'est pas terminée : le suivi porte sur une semaine passée."}
        )
    if week != rules.week_start(week):
        raise ValidationError({"week": "Une semaine commence un lundi."})


def _create_follow_ups(
    week: datetime.date, by_counsellor: dict[int, list[_Pathway]], by: Any
) -> list[WeeklyFollowUp]:
    """Write each counsellor's follow-up of the week from the facts gathered in bulk; one
    produced meanwhile by another run is left alone."""
    all_pathways = [p for group in by_counsellor.values() for p in group]
    minutes = weekly_minutes_by_author([p.pk for p in all_pathways], week)
    details = _detail_by_partner()
    detailed = [
        p.pk
        for p in all_pathways
        if details.get((p.partnership_id, p.mission_locale_id)) == FollowUpDetail.PER_ACTIVITY
    ]
    activities = _activities(detailed, week) if detailed else {}
    facts = access_facts_for(
        {p.youth_id: p.owner_organisation_id for p in all_pathways}, timezone.localdate()
    )
    counsellors = User.objects.in_bulk(list(by_counsellor))
    created = []
    for counsellor_id, group in by_counsellor.items():
        counsellor = counsellors[counsellor_id]
        mission_locale_id = group[0].mission_locale_id
        detail = details.get((group[0].partnership_id, mission_locale_id), FollowUpDetail.TOTALS)
        rows = _youth_rows(
            active_memberships(counsellor), group, facts, minutes, activities, week, detail
        )
        try:
            with transaction.atomic():
                follow_up = WeeklyFollowUp.objects.create(
                    counsellor=counsellor,
                    mission_locale_id=mission_locale_id,
                    week_start=week,
                    detail=detail,
                    rows=rows,
                    produced_by=by,
                )
        except IntegrityError:  # produced meanwhile by another run: never twice
            continue
        created.append(follow_up)
    return created


#: Why reading a follow-up is audited, by where its counsellor reads it.
READ_ON_PAGE = "Suivi du lundi"
READ_AS_PDF = "Suivi du lundi (PDF)"
READ_THROUGH_API = "Suivi du lundi (API)"


def audit_reading(user: Any, follow_ups: Iterable[WeeklyFollowUp], reason: str) -> None:
    """One audit line per youth of the follow-ups shown to their counsellor, read through
    each follow-up's mission locale, so that it shows in the youth's access log (CNIL
    référentiel 2021-028): three queries whatever the number of youths."""
    through: dict[int, int] = {}
    for follow_up in follow_ups:
        for row in follow_up.rows:
            through.setdefault(row["pathway_id"], follow_up.mission_locale_id)
    youth_of: dict[int, int] = {}
    for ids in chunks(list(through)):
        youth_of.update(Pathway.objects.filter(pk__in=ids).values_list("pk", "youth_id"))
    selectors.audit_reads(
        user,
        {youth_of[pk]: org for pk, org in through.items() if pk in youth_of},
        EE,
        reason,
    )


def pdf(follow_up: WeeklyFollowUp) -> bytes:
    return render_pdf("cej/pdf/follow_up.html", {"follow_up": follow_up})


def send(follow_up: WeeklyFollowUp) -> bool:
    """E-mail the follow-up with its PDF, once: the first caller claims it (``sent_at``),
    a second one waits for the claim's row lock and sends nothing. The claim, the PDF and
    the hand-off to the mail server are one transaction, so a run killed before the
    hand-off leaves the follow-up unsent for the next run (docs/decisions.md, section 22).
    The body lists totals only, never any activity."""
    with transaction.atomic():
        claimed = WeeklyFollowUp.objects.filter(pk=follow_up.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            return False
        _message(follow_up).send()
    return True


def _message(follow_up: WeeklyFollowUp) -> EmailMessage:
    lines = [
        f"- {row['youth']} : {row['total']}"
        + (f" (minimum {row['minimum_hours']} h)" if row["minimum_hours"] else "")
        + (" (parcours protégé par le secret professionnel)" if row.get("protected") else "")
        for row in follow_up.rows
    ]
    message = EmailMessage(
        subject=f"Suivi CEJ-JR de la semaine du {follow_up.week_start:%d/%m/%Y}",
        body=(
            f"Bonjour,\n\nVoici le suivi hebdomadaire de vos jeunes en CEJ-JR pour la semaine "
            f"du {follow_up.week_start:%d/%m/%Y}.\n\n" + "\n".join(lines) + "\n\nLe détail est "
            f"dans le PDF joint et dans Coparcours : {settings.SITE_URL}/cej/suivis/"
            f"{follow_up.pk}/\n"
        ),
        to=[follow_up.counsellor.email],
    )
    message.attach(
        f"suivi-cej-{follow_up.week_start:%Y-%m-%d}.pdf", pdf(follow_up), "application/pdf"
    )
    return message
