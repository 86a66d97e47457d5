"""The CEJ-JR "À traiter" blocks of the referents' and counsellors' home pages.

Each block lists what waits for the person on their own pathways, on the side of the acting
organisation (the porteur, the mission locale; docs/access.md, « The sides of a
pathway »): reviews to hold, youths under the weekly minimum, late plan actions, Monday
follow-ups received, missed actions to decide, and what the partner recorded since the
last visit. The pathways are read once per request under the listing rule
(:mod:`coparcours.cej.todo_scope`) and each row is then decided for its category and
author on access facts read in bulk, exactly as the page the row links to decides it: a
row is shown only when that page answers. Every block costs a fixed number of queries
whatever the number of pathways (docs/conventions.md, "Screens by role").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.models import (
    Activity,
    Interview,
    MissedAction,
    Pathway,
    PlanAction,
    Review,
    StageChange,
)
from coparcours.cej.models.plan import ActionStatus
from coparcours.cej.rules import Stage
from coparcours.cej.selectors import follow_ups_for
from coparcours.cej.services.hours import fold_minutes, local_midnight, week_hours
from coparcours.cej.todo_scope import Reading, my_open_pathway_ids, side_pathways
from coparcours.core.access import (
    Capability,
    Category,
    acting_organisation,
    acting_organisation_id,
)
from coparcours.core.batches import chunks
from coparcours.organisations.models import OrganisationKind
from coparcours.organisations.todo import (
    NEW_SINCE_DAYS,
    Todo,
    TodoBlock,
    TodoRow,
    Tone,
    days_phrase,
    new_since,
    todo_of,
)

EE = Category.EDUCATION_EMPLOYMENT

#: How far ahead a milestone review shows among the things to do.
REVIEW_WARNING_DAYS = 14
#: Weeks of Monday follow-ups shown even once read (the unread ones always are).
RECENT_FOLLOW_UP_WEEKS = 4


def _is_mission_locale(request: HttpRequest) -> bool:
    organisation = acting_organisation(request)
    return organisation is not None and organisation.kind == OrganisationKind.MISSION_LOCALE


def hours_text(minutes: int) -> str:
    """Minutes as French hours: 570 → « 9,5 », 780 → « 13 », 605 → « 10,08 »."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01")).normalize()
    return f"{hours:f}".replace(".", ",")


# --- 1. Reviews to hold ---------------------------------------------------------------


def reviews_due(request: HttpRequest) -> Todo:
    """The milestone reviews not closed yet, late or due within
    :data:`REVIEW_WARNING_DAYS`, of the person's pathways; the latest first."""
    today = timezone.localdate()
    reviews = list(
        Review.objects.filter(
            pathway_id__in=my_open_pathway_ids(request),
            held_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=REVIEW_WARNING_DAYS),
        )
        .select_related("pathway__youth")
        .order_by("due_on", "pk")
    )
    reading = Reading(request, [r.pathway for r in reviews])
    shown = [
        r
        for r in reviews
        if reading.reads_pathway(r.pathway)
        and reading.reads(r.youth_id, EE, r.author_organisation_id)
    ]

    def row(review: Review) -> TodoRow:
        days = (review.due_on - today).days
        return TodoRow(
            label=f"{review.pathway.youth} — bilan à {review.milestone_months} mois",
            detail=f"Prévu le {review.due_on:%d/%m/%Y}",
            badge=days_phrase(days),
            tone=Tone.LATE if days < 0 else Tone.URGENT,
            url=reverse("cej:review", args=[review.pathway_id, review.pk]),
            action="Ouvrir le bilan",
        )

    return todo_of(shown, row)


REVIEWS_BLOCK = TodoBlock(
    key="cej_reviews",
    title="Bilans à faire",
    capability=Capability.CEJ_CASEWORK,
    find=reviews_due,
    empty=f"Aucun bilan d'étape à tenir dans les {REVIEW_WARNING_DAYS} jours.",
    order=10,
)


# --- 2. Weekly hours under the minimum ------------------------------------------------


def last_finished_week(today: datetime.date | None = None) -> datetime.date:
    """The Monday of the last week over (the week before the current one)."""
    return rules.week_start(today or timezone.localdate()) - datetime.timedelta(days=7)


def _minutes_by_pathway(
    pathway_ids: list[int], week: datetime.date
) -> dict[int, list[tuple[int, int, int]]]:
    """Attended minutes of the week, ``{pathway: [(responsible, author, minutes)]}``, for
    every pathway of ``pathway_ids`` in one aggregate query."""
    start = local_midnight(week)
    totals: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for pathway_id, organisation_id, author_id, minutes in (
        Activity.objects.filter(
            pathway_id__in=pathway_ids,
            attended=True,
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=7),
        )
        .order_by()
        .values("pathway_id", "organisation_id", "author_organisation_id")
        .annotate(minutes=Sum("duration_minutes"))
        .values_list("pathway_id", "organisation_id", "author_organisation_id", "minutes")
    ):
        totals[pathway_id].append((organisation_id, author_id, minutes))
    return totals


#: What deciding a pathway's week needs (its youth's name and owner, its author, the start of
#: its contract, its partnership's minimum): the block reads these columns only.
HOURS_ROW_FIELDS = (
    "youth__last_name",
    "youth__first_names",
    "youth__owner_organisation_id",
    "author_organisation_id",
    "contract_start",
    "partnership__cej_settings__minimum_weekly_hours",
)


def hours_below_minimum(request: HttpRequest) -> Todo:
    """The youths under contract whose attended hours of the last week over are below
    their partnership's minimum, counted as their accompaniment page counts them (the
    authors whose data the user reads); the furthest from it first."""
    week = last_finished_week()
    under_contract = Pathway.objects.filter(
        pk__in=my_open_pathway_ids(request),
        stage=Stage.CONTRACT,
        contract_start__isnull=False,
        contract_start__lt=week + datetime.timedelta(days=7),  # rules.minimum_applies
    )
    pathways = list(
        under_contract.select_related("youth", "partnership__cej_settings").only(*HOURS_ROW_FIELDS)
    )
    minutes = _minutes_by_pathway([pathway.pk for pathway in pathways], week)
    reading = Reading(request, pathways)
    below = []
    for pathway in pathways:
        if not reading.reads_pathway(pathway):
            continue
        rows = minutes.get(pathway.pk, [])
        readable = {a for _o, a, _m in rows if reading.reads(pathway.youth_id, EE, a)}
        hours = week_hours(pathway, week, fold_minutes(rows, readable))
        if hours.reached is False:
            below.append((pathway, hours))
    below.sort(key=lambda item: (item[1].total_minutes, str(item[0].youth), item[0].pk))

    def row(item: tuple[Pathway, Any]) -> TodoRow:
        pathway, hours = item
        return TodoRow(
            label=str(pathway.youth),
            detail=f"{hours_text(hours.total_minutes)} h sur {hours.minimum_hours} h "
            f"la semaine du {week:%d/%m/%Y}",
            badge="minimum non atteint",
            tone=Tone.LATE,
            url=reverse("cej:accompaniment", args=[pathway.pk])
            + f"?semaine={week.isoformat()}#heures",
            action="Voir la semaine",
        )

    return todo_of(below, row)


HOURS_BLOCK = TodoBlock(
    key="cej_hours",
    title="Heures sous le minimum",
    capability=Capability.CEJ_CASEWORK,
    find=hours_below_minimum,
    empty="Chaque jeune sous contrat a atteint son minimum d'heures la semaine dernière.",
    order=12,
)


# --- 3. Late plan actions -------------------------------------------------------------


def late_actions(request: HttpRequest) -> Todo:
    """The plan actions past their due date, neither done nor dropped, that the user or
    the acting organisation is responsible for, on the organisation's open pathways; the
    oldest first."""
    user = request.user
    today = timezone.localdate()
    actions = list(
        PlanAction.objects.filter(
            Q(owner=user) | Q(owner_organisation_id=acting_organisation_id(request)),
            plan__pathway_id__in=[row.pk for row in side_pathways(request) if row.is_open],
            status__in=[ActionStatus.TODO, ActionStatus.IN_PROGRESS],
            due_on__lt=today,
        )
        .select_related("plan__pathway__youth", "owner")
        .order_by("due_on", "pk")
    )
    reading = Reading(request, [a.plan.pathway for a in actions])
    shown = [
        a
        for a in actions
        if reading.reads_pathway(a.plan.pathway)
        and reading.reads(a.youth_id, EE, a.plan.author_organisation_id)
        and reading.reads(a.youth_id, a.category, a.author_organisation_id)
    ]

    def row(item: PlanAction) -> TodoRow:
        owner = "" if item.owner_id == user.pk else f", confiée à {item.owner}"
        return TodoRow(
            label=str(item.plan.pathway.youth),
            detail=f"{item.action} — échéance le {item.due_on:%d/%m/%Y}{owner}",
            badge=days_phrase((item.due_on - today).days),
            tone=Tone.LATE,
            url=reverse("cej:accompaniment", args=[item.plan.pathway_id]) + "#plan",
            action="Mettre à jour",
        )

    return todo_of(shown, row)


ACTIONS_BLOCK = TodoBlock(
    key="cej_actions",
    title="Actions en retard",
    capability=Capability.CEJ_CASEWORK,
    find=late_actions,
    empty="Aucune action du plan en retard.",
    order=14,
)


# --- 4. Monday follow-ups received ----------------------------------------------------


def follow_ups_received(request: HttpRequest) -> Todo | None:
    """The counsellor's Monday follow-ups: every unread one and those of the last
    :data:`RECENT_FOLLOW_UP_WEEKS` weeks, unread first, then the latest week. Only a
    mission locale receives them."""
    if not _is_mission_locale(request):
        return None
    since = last_finished_week() - datetime.timedelta(weeks=RECENT_FOLLOW_UP_WEEKS - 1)
    follow_ups = (
        follow_ups_for(request.user)
        .filter(Q(read_at__isnull=True) | Q(week_start__gte=since))
        .annotate(
            read=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("read", "-week_start", "pk")
    )

    def row(follow_up: Any) -> TodoRow:
        youths = len(follow_up.rows)
        received = follow_up.sent_at or follow_up.created_at
        return TodoRow(
            label=f"Semaine du {follow_up.week_start:%d/%m/%Y}",
            detail=f"{youths} jeune{'s' if youths > 1 else ''} — reçu le "
            f"{timezone.localtime(received):%d/%m/%Y}",
            badge="non lu" if follow_up.read_at is None else "",
            tone=Tone.NEW if follow_up.read_at is None else Tone.INFO,
            url=reverse("cej:follow_up", args=[follow_up.pk]),
            action="Lire",
        )

    return todo_of(follow_ups, row, more_url=reverse("cej:follow_ups"))


FOLLOW_UPS_BLOCK = TodoBlock(
    key="cej_follow_ups",
    title="Suivis du lundi reçus",
    capability=Capability.CEJ_FOLLOW_UP,
    find=follow_ups_received,
    empty=f"Aucun suivi du lundi reçu ces {RECENT_FOLLOW_UP_WEEKS} dernières semaines.",
    order=16,
)


# --- 5. Missed actions to decide ------------------------------------------------------


def missed_actions_to_decide(request: HttpRequest) -> Todo | None:
    """The missed actions waiting for the decision of the acting mission locale, which
    alone decides the sanction on its pathways (docs/access.md, « The sides of a
    pathway »); the oldest first."""
    if not _is_mission_locale(request):
        return None
    today = timezone.localdate()
    missed = list(
        MissedAction.objects.filter(
            pathway_id__in=[
                row.pk for row in side_pathways(request) if row.at_mission_locale and row.mine
            ],
            decision="pending",
        )
        .select_related("pathway__youth")
        .order_by("occurred_on", "pk")
    )
    reading = Reading(request, [m.pathway for m in missed])
    shown = [
        m
        for m in missed
        if reading.reads_pathway(m.pathway)
        and reading.reads(m.youth_id, EE, m.author_organisation_id)
    ]

    def row(item: MissedAction) -> TodoRow:
        waiting = (today - item.occurred_on).days
        effect = item.get_proposed_effect_display().lower()
        if item.reduction_percent:
            effect += f" de {item.reduction_percent} %"
        return TodoRow(
            label=str(item.pathway.youth),
            detail=f"Manquement n° {item.breach_number} du {item.occurred_on:%d/%m/%Y} : "
            f"{item.description} — proposé : {effect}",
            badge="constaté aujourd'hui"
            if waiting <= 0
            else f"en attente depuis {waiting} jour{'s' if waiting > 1 else ''}",
            tone=Tone.WAITING,
            url=reverse("cej:missed_decide", args=[item.pathway_id, item.pk]),
            action="Décider",
        )

    return todo_of(shown, row)


MISSED_BLOCK = TodoBlock(
    key="cej_missed",
    title="Manquements à décider",
    capability=Capability.CEJ_CASEWORK,
    find=missed_actions_to_decide,
    empty="Aucun manquement n'attend de décision.",
    order=18,
)


# --- 6. New on the shared pathways ----------------------------------------------------

#: What the partner may have recorded on a pathway, with its words (one, several).
NEWS_KINDS = {
    "activity": ("activité", "activités"),
    "interview": ("entretien", "entretiens"),
    "action": ("action du plan", "actions du plan"),
    "stage": ("changement d'étape", "changements d'étape"),
}


def _news(kind: str, rows: QuerySet, **columns: str) -> QuerySet:
    """One part of the news query: per pathway, author, category and container author,
    how many rows of ``kind`` and when the last one was recorded."""
    return (
        rows.order_by()
        .values(
            news_kind=Value(kind, output_field=CharField()),
            **{f"news_{name}": F(column) for name, column in columns.items()},
        )
        .annotate(news_count=Count("pk"), news_last=Max("created_at"))
        .values_list(
            "news_kind",
            "news_pathway",
            "news_author",
            "news_category",
            "news_container",
            "news_count",
            "news_last",
        )
    )


def _news_rows(request: HttpRequest, since: datetime.datetime) -> list[tuple]:
    """What the other organisations recorded since ``since`` on the person's pathways,
    grouped, in one query (a union of four aggregates)."""
    organisation_id = acting_organisation_id(request)
    pathways = my_open_pathway_ids(request)
    recent = {"created_at__gte": since}
    parts = [
        _news(
            "activity",
            Activity.objects.filter(pathway_id__in=pathways, **recent).exclude(
                author_organisation_id=organisation_id
            ),
            pathway="pathway_id",
            author="author_organisation_id",
            category="category",
            container="pathway__author_organisation_id",
        ),
        _news(
            "interview",
            Interview.objects.filter(pathway_id__in=pathways, **recent).exclude(
                note__author_organisation_id=organisation_id
            ),
            pathway="pathway_id",
            author="note__author_organisation_id",
            category="note__category",
            container="pathway__author_organisation_id",
        ),
        _news(
            "action",
            PlanAction.objects.filter(plan__pathway_id__in=pathways, **recent).exclude(
                author_organisation_id=organisation_id
            ),
            pathway="plan__pathway_id",
            author="author_organisation_id",
            category="category",
            container="plan__author_organisation_id",
        ),
        _news(
            "stage",
            StageChange.objects.filter(pathway_id__in=pathways, **recent).exclude(
                author_organisation_id=organisation_id
            ),
            pathway="pathway_id",
            author="author_organisation_id",
            category="category",
            container="pathway__author_organisation_id",
        ),
    ]
    return list(parts[0].union(*parts[1:], all=True))


def _readable_news(
    reading: Reading, pathway: Pathway, kind: str, author: int, category: str, container: int
) -> bool:
    """Whether the page shows this record to the user: an activity shows (its nature
    perhaps hidden) when its author's education-and-employment data is readable; an
    action needs its plan too; the others follow their category."""
    if not reading.reads_pathway(pathway):
        return False
    if kind == "action" and not reading.reads(pathway.youth_id, EE, container):
        return False
    return reading.reads(pathway.youth_id, EE if kind == "activity" else category, author)


def shared_pathway_news(request: HttpRequest) -> Todo:
    """The shared pathways where the partner organisation recorded activities,
    interviews, plan actions or stage changes since the user's previous visit, as far as
    the user may read them; the latest news first."""
    since = new_since(request.user)
    rows = _news_rows(request, since)
    ids = sorted({row[1] for row in rows})
    pathways: dict[int, Pathway] = {}
    for batch in chunks(ids):
        pathways.update(
            (p.pk, p) for p in Pathway.objects.filter(pk__in=batch).select_related("youth")
        )
    reading = Reading(request, pathways.values())
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    latest: dict[int, datetime.datetime] = {}
    for kind, pathway_id, author, category, container, n, last in rows:
        pathway = pathways.get(pathway_id)
        if pathway and _readable_news(reading, pathway, kind, author, category, container):
            counts[pathway_id][kind] += n
            latest[pathway_id] = max(last, latest.get(pathway_id, last))
    order = sorted(latest, key=lambda pk: (-latest[pk].timestamp(), str(pathways[pk].youth)))
    when = (
        "depuis votre dernière visite"
        if getattr(request.user, "previous_login", None)
        else f"ces {NEW_SINCE_DAYS} derniers jours"
    )

    def row(pathway_id: int) -> TodoRow:
        found = counts[pathway_id]
        what = ", ".join(
            f"{found[kind]} {words[found[kind] > 1]}"
            for kind, words in NEWS_KINDS.items()
            if found.get(kind)
        )
        return TodoRow(
            label=str(pathways[pathway_id].youth),
            detail=f"{what[:1].upper()}{what[1:]} {when}",
            badge="nouveau",
            tone=Tone.NEW,
            url=reverse("cej:accompaniment", args=[pathway_id]),
            action="Voir l'accompagnement",
        )

    return todo_of(order, row)


NEWS_BLOCK = TodoBlock(
    key="cej_news",
    title="Du nouveau sur les parcours partagés",
    capability=Capability.CEJ_CASEWORK,
    find=shared_pathway_news,
    empty="Rien de nouveau sur les parcours partagés depuis votre dernière visite.",
    order=28,
)

BLOCKS = (
    REVIEWS_BLOCK,
    HOURS_BLOCK,
    ACTIONS_BLOCK,
    FOLLOW_UPS_BLOCK,
    MISSED_BLOCK,
    NEWS_BLOCK,
)
