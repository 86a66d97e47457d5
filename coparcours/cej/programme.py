"""What the programme's pages read: the partnerships of the acting organisation, their
sessions and permanences (no personal data), and the registrations and bookings a reader
may see named (docs/access.md; docs/domain-rules.md, "CEJ-JR: collective sessions and
permanences").

A registration or a booking is the recording organisation's education and employment
data: the reader sees named those its organisation recorded and those of the porteur it
may read on the pathway (the youth's consent for the mission locale), counted only the
others. The listing is audited once (``visible_youth_data``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from coparcours.cej import selectors
from coparcours.cej.models import (
    CollectiveSession,
    Permanence,
    SessionRegistration,
    SlotBooking,
)
from coparcours.cej.rules import Stage
from coparcours.cej.services.hours import local_midnight
from coparcours.core.access import visible_youth_data
from coparcours.organisations.models import Consortium, ConsortiumKind


def partnerships_of(organisation_id: int | None) -> QuerySet[Consortium]:
    """The CEJ-JR partnerships the organisation is a member of."""
    return Consortium.objects.filter(
        kind=ConsortiumKind.CEJ_JR, members__organisation_id=organisation_id
    ).distinct()


def sessions_of(organisation_id: int | None) -> QuerySet[CollectiveSession]:
    """The sessions of the organisation's partnerships, with their places taken."""
    return (
        CollectiveSession.objects.filter(partnership__in=partnerships_of(organisation_id))
        .select_related("organiser", "partnership")
        .annotate(taken=Count("registrations"))
    )


def permanences_of(organisation_id: int | None) -> QuerySet[Permanence]:
    """The permanences of the organisation's partnerships, with their slots booked."""
    return (
        Permanence.objects.filter(partnership__in=partnerships_of(organisation_id))
        .select_related("mission_locale", "counsellor")
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked=Count(
                "slots__bookings",
                filter=Q(slots__bookings__cancelled_at__isnull=True),
                distinct=True,
            ),
        )
    )


def month_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month of ``day`` as a half-open period of local instants."""
    start = day.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return local_midnight(start), local_midnight(following)


def registerable_pathways(user: Any, organisation_id: int | None, partnership_id: int):
    """The open pathways of the partnership on the acting organisation's side that the user
    may list (a registration or a booking is then decided by ``check``)."""
    return (
        selectors.visible_pathways(user)
        .filter(partnership_id=partnership_id)
        .filter(Q(author_organisation_id=organisation_id) | Q(mission_locale_id=organisation_id))
        .exclude(stage=Stage.EXIT)
        .select_related("youth")
        .order_by("youth__last_name", "youth__first_names")
    )


def _named(user: Any, organisation_id: int | None, rows: list) -> list:
    """The rows (registrations, bookings) the reader sees named: its organisation's own,
    and the porteur's on a pathway the reader may read."""
    others = {
        row.pathway_id
        for row in rows
        if row.author_organisation_id != organisation_id
        and row.author_organisation_id == row.pathway.author_organisation_id
    }
    readable = selectors.readable_pathway_ids(user, others) if others else set()
    return [
        row
        for row in rows
        if row.author_organisation_id == organisation_id
        or (
            row.pathway_id in readable
            and row.author_organisation_id == row.pathway.author_organisation_id
        )
    ]


def named_registrations(
    user: Any, organisation_id: int | None, session: CollectiveSession
) -> list[SessionRegistration]:
    rows = list(
        visible_youth_data(user, SessionRegistration.objects.filter(session=session))
        .select_related("pathway__youth", "activity")
        .order_by("pathway__youth__last_name", "pk")
    )
    return _named(user, organisation_id, rows)


def named_bookings(
    user: Any, organisation_id: int | None, permanences: list[Permanence]
) -> dict[int, SlotBooking]:
    """The bookings in force the reader sees named, by slot."""
    rows = list(
        visible_youth_data(
            user,
            SlotBooking.objects.filter(slot__permanence__in=permanences, cancelled_at__isnull=True),
        ).select_related("pathway__youth")
    )
    return {booking.slot_id: booking for booking in _named(user, organisation_id, rows)}


def booked_slot_ids(permanence: Permanence) -> set[int]:
    """The slots of the permanence taken, whoever booked them (no personal data)."""
    return set(
        SlotBooking.objects.filter(
            slot__permanence=permanence, cancelled_at__isnull=True
        ).values_list("slot_id", flat=True)
    )


def week_of(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The week of ``day`` (Monday to Monday) as local instants."""
    monday = day - datetime.timedelta(days=day.weekday())
    return local_midnight(monday), local_midnight(monday + datetime.timedelta(days=7))


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    today = timezone.localdate()
    return local_midnight(today), local_midnight(today + datetime.timedelta(days=1))
