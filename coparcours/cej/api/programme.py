"""The partnership's programme through the API: the collective sessions and permanences of
the caller's partnerships over a period, as the programme page and its calendar feed show
them — places, times, what is taken, never a youth's name nor a booking
(docs/domain-rules.md, "Collective sessions and permanences")."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Schema

from coparcours.cej import programme
from coparcours.cej.api.router import router
from coparcours.cej.services.hours import local_midnight
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires, invalid_parameter

#: The longest period one call reads, and the years it may start in.
MAX_DAYS = 366
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


class ProgrammeQuery(Schema):
    organisation_id: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


class ProgrammeSessionOut(Schema):
    id: int
    partnership_id: int
    kind: str
    kind_label: str
    title: str
    organiser_id: int
    organiser_partner: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    taken: int
    cancelled_at: datetime.datetime | None
    cancellation_reason: str


class ProgrammePermanenceOut(Schema):
    id: int
    partnership_id: int
    mission_locale_id: int
    counsellor: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    slots: int
    booked: int


class ProgrammeOut(Schema):
    start: datetime.date
    end: datetime.date
    sessions: list[ProgrammeSessionOut]
    permanences: list[ProgrammePermanenceOut]


@router.get(
    "/programme",
    response=ProgrammeOut,
    summary="Programme des partenariats : séances collectives et permanences",
)
@api_requires(Capability.CEJ_PROGRAMME, acting=True)
def programme_between(request: HttpRequest, query: Query[ProgrammeQuery]):
    """From ``start`` (today by default) to ``end`` included (30 days later by default), at
    most a year."""
    start = query.start or timezone.localdate()
    end = query.end or start + datetime.timedelta(days=30)
    if not (EARLIEST <= start <= LATEST):
        raise invalid_parameter("start", "Le début tombe entre 2000 et 2100.")
    if end < start or (end - start).days > MAX_DAYS:
        raise invalid_parameter("end", f"La fin suit le début, au plus {MAX_DAYS} jours plus tard.")
    organisation_id = api_acting_organisation(request, query.organisation_id).pk
    since, until = local_midnight(start), local_midnight(end + datetime.timedelta(days=1))
    sessions = programme.sessions_of(organisation_id).filter(
        starts_at__gte=since, starts_at__lt=until
    )
    permanences = programme.permanences_of(organisation_id).filter(
        starts_at__gte=since, starts_at__lt=until
    )
    return ProgrammeOut(
        start=start,
        end=end,
        sessions=[
            ProgrammeSessionOut(
                id=s.pk,
                partnership_id=s.partnership_id,
                kind=s.kind,
                kind_label=s.get_kind_display(),
                title=s.title,
                organiser_id=s.organiser_id,
                organiser_partner=s.organiser_partner,
                place=s.place,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                capacity=s.capacity,
                taken=s.taken,
                cancelled_at=s.cancelled_at,
                cancellation_reason=s.cancellation_reason,
            )
            for s in sessions.order_by("starts_at", "pk")
        ],
        permanences=[
            ProgrammePermanenceOut(
                id=p.pk,
                partnership_id=p.partnership_id,
                mission_locale_id=p.mission_locale_id,
                counsellor=p.counsellor.get_full_name(),
                place=p.place,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                slots=p.slot_count,
                booked=p.booked,
            )
            for p in permanences.order_by("starts_at", "pk")
        ],
    )
