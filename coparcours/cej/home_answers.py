"""The home page blocks of what youths did from their own space, on the person's pathways:
the coming appointments they said they cannot attend, soonest first, so that the referent
or counsellor calls back or moves it; the pieces of their file they sent, to accept or
refuse (docs/youth-space.md)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from coparcours.cej.models import Activity, DossierItem, YouthAnswer
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.selectors import PlannedActivity
from coparcours.cej.todo_scope import EE, Reading, my_open_pathway_ids
from coparcours.core.access import Category
from coparcours.core.access.capabilities import Capability
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone, days_phrase, todo_of


def absences_announced(request: HttpRequest) -> Todo:
    """Each appointment still to come that the youth cannot attend, on the pathways the
    person follows, as far as they may read it (its nature only if its category is
    readable)."""
    now = timezone.now()
    activities = list(
        Activity.objects.filter(
            pathway_id__in=my_open_pathway_ids(request),
            youth_answer=YouthAnswer.NOT_COMING,
            starts_at__gt=now,
            attended__isnull=True,
        )
        .select_related("pathway__youth", "organisation")
        .order_by("starts_at", "pk")
    )
    reading = Reading(request, [activity.pathway for activity in activities])
    shown = [
        PlannedActivity(
            activity,
            reading.reads(activity.youth_id, activity.category, activity.author_organisation_id),
        )
        for activity in activities
        if reading.reads_pathway(activity.pathway)
        and reading.reads(activity.youth_id, EE, activity.author_organisation_id)
    ]
    today = timezone.localdate()

    def row(planned: PlannedActivity) -> TodoRow:
        activity = planned.activity
        starts = timezone.localtime(activity.starts_at)
        return TodoRow(
            label=str(activity.pathway.youth),
            detail=f"{capfirst(planned.title)} le {starts:%d/%m/%Y à %H:%M}, avec "
            f"{activity.organisation} — prévenu le "
            f"{timezone.localtime(activity.youth_answered_at):%d/%m/%Y}",
            badge=days_phrase((starts.date() - today).days),
            tone=Tone.URGENT,
            url=reverse("cej:accompaniment", args=[activity.pathway_id]),
            action="Voir le parcours",
        )

    return todo_of(shown, row)


ABSENCES_BLOCK = TodoBlock(
    key="cej_youth_absences",
    title="Absences annoncées par les jeunes",
    capability=Capability.CEJ_CASEWORK,
    find=absences_announced,
    empty="Aucun jeune n'a dit qu'il ne pourrait pas venir à un rendez-vous.",
    order=13,
)


def papers_sent(request: HttpRequest) -> Todo:
    """The pieces of the file youths sent from their phone, waiting to be accepted or
    refused, on the pathways the person follows; the oldest first."""
    items = list(
        DossierItem.objects.filter(
            pathway_id__in=my_open_pathway_ids(request), status=DossierStatus.MISSING
        )
        .exclude(youth_file="")
        .select_related("pathway__youth", "kind")
        .order_by("youth_sent_at", "pk")
    )
    reading = Reading(request, [item.pathway for item in items])
    shown = [
        item
        for item in items
        if reading.reads_pathway(item.pathway)
        and reading.reads(item.youth_id, Category.ADMIN_DOCUMENTS, item.author_organisation_id)
    ]

    def row(item: DossierItem) -> TodoRow:
        return TodoRow(
            label=str(item.pathway.youth),
            detail=f"{item.kind}, envoyée le "
            f"{timezone.localtime(item.youth_sent_at):%d/%m/%Y à %H:%M}",
            badge="à regarder",
            tone=Tone.NEW,
            url=reverse("cej:detail", args=[item.pathway_id]) + "#dossier",
            action="Accepter ou refuser",
        )

    return todo_of(shown, row)


PAPERS_BLOCK = TodoBlock(
    key="cej_youth_papers",
    title="Papiers envoyés par les jeunes",
    capability=Capability.CEJ_CASEWORK,
    find=papers_sent,
    empty="Aucun papier envoyé par un jeune n'attend.",
    order=13,
)
