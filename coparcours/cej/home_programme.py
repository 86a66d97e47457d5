"""The programme's "À traiter" blocks (docs/conventions.md, "Screens by role"): the
person's youths registered to a collective session this week, and the counsellor's
permanence of the day with its bookings. Each block costs a fixed number of queries."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.cej import programme
from coparcours.cej.models import Permanence, PermanenceSlot, SessionRegistration
from coparcours.cej.todo_scope import Reading, my_open_pathway_ids
from coparcours.core.access import Capability, Category, acting_organisation_id
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone, todo_of

EE = Category.EDUCATION_EMPLOYMENT


def sessions_this_week(request: HttpRequest) -> Todo:
    """The registrations of the person's pathways to the sessions of this week, the
    coming ones first, as the session's page shows them."""
    start, end = programme.week_of(timezone.localdate())
    registrations = list(
        SessionRegistration.objects.filter(
            pathway_id__in=my_open_pathway_ids(request),
            session__starts_at__gte=max(start, timezone.now()),
            session__starts_at__lt=end,
        )
        .select_related("session", "pathway__youth")
        .order_by("session__starts_at", "pk")
    )
    organisation_id = acting_organisation_id(request)
    reading = Reading(request, [r.pathway for r in registrations])
    shown = [
        r
        for r in registrations
        if r.author_organisation_id == organisation_id
        and reading.reads_pathway(r.pathway)
        and reading.reads(r.youth_id, EE, r.author_organisation_id)
    ]

    def row(registration: SessionRegistration) -> TodoRow:
        session = registration.session
        starts = timezone.localtime(session.starts_at)
        return TodoRow(
            label=f"{registration.pathway.youth} — {session.title}",
            detail=f"{starts:%d/%m/%Y à %H:%M}, {session.place}",
            badge="cette semaine",
            tone=Tone.INFO,
            url=reverse("cej:session", args=[session.pk]),
            action="Voir la séance",
        )

    return todo_of(shown, row)


SESSIONS_BLOCK = TodoBlock(
    key="cej_sessions_week",
    title="Séances collectives de la semaine",
    capability=Capability.CEJ_CASEWORK,
    find=sessions_this_week,
    empty="Aucun de vos jeunes n'est inscrit à une séance d'ici la fin de la semaine.",
    order=35,
)


def permanence_today(request: HttpRequest) -> Todo:
    """The slots booked at the person's permanences of the day, named when the person may
    read whom for."""
    start, end = programme.today_bounds()
    permanences = list(
        Permanence.objects.filter(counsellor=request.user, starts_at__gte=start, starts_at__lt=end)
    )
    if not permanences:
        return Todo(0, [])
    named = programme.named_bookings(request.user, acting_organisation_id(request), permanences)
    slots = list(
        PermanenceSlot.objects.filter(
            permanence__in=permanences, bookings__cancelled_at__isnull=True
        )
        .select_related("permanence")
        .order_by("starts_at", "pk")
    )

    def row(slot: PermanenceSlot) -> TodoRow:
        booking = named.get(slot.pk)
        starts = timezone.localtime(slot.starts_at)
        return TodoRow(
            label=f"{starts:%H:%M} — {booking.pathway.youth if booking else 'créneau réservé'}",
            detail=slot.permanence.place,
            badge="aujourd'hui",
            tone=Tone.URGENT,
            url=reverse("cej:permanence", args=[slot.permanence_id]),
            action="Voir la permanence",
        )

    return todo_of(slots, row)


PERMANENCE_BLOCK = TodoBlock(
    key="cej_permanence_today",
    title="Ma permanence du jour",
    capability=Capability.CEJ_CASEWORK,
    find=permanence_today,
    empty="Aucun jeune attendu à une permanence que vous tenez aujourd'hui.",
    order=36,
)
