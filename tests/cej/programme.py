"""Helpers shared by the programme's tests: a session and a permanence of the test
partnership, a few days ahead."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.cej.services.sessions import create_session, open_permanence

from .conftest import TODAY


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local instant ``days`` from today."""
    day = TODAY + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def workshop(world, *, capacity: int = 8, days: int = 3, **fields):
    values = {
        "kind": "workshop",
        "title": "Atelier CV et lettre de motivation",
        "organiser": world.porteur,
        "place": "Porteur, salle 2",
        "starts_at": at(days, 14),
        "ends_at": at(days, 16),
        "capacity": capacity,
    }
    values.update(fields)
    return create_session(world.referent, world.porteur, world.partnership, **values)


def permanence(world, *, days: int = 2, slot_minutes: int = 30):
    return open_permanence(
        world.counsellor,
        world.mission_locale,
        world.partnership,
        counsellor=world.counsellor,
        place="Porteur, bureau 1",
        starts_at=at(days, 9),
        ends_at=at(days, 11),
        slot_minutes=slot_minutes,
    )
