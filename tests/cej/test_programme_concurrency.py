"""A permanence's slot taken twice at the same moment, and a session's last place asked by
two referents at once: on PostgreSQL, with real concurrent transactions (threads, row
locks), exactly one succeeds and the other is refused with its French message."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from coparcours.cej.models import Activity, SessionRegistration, SlotBooking
from coparcours.cej.services.outreach import record_outreach
from coparcours.cej.services.sessions import book_slot, register_youth
from coparcours.organisations.models import Role

from .conftest import TODAY, member
from .programme import permanence, workshop

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite has no row locks (it serialises whole write "
        "transactions) and its flush after a transactional test is refused by the audit "
        "log's append-only triggers",
    ),
    pytest.mark.django_db(transaction=True),
]


def _two_youths(world):
    return [
        record_outreach(
            world.referent,
            world.porteur,
            world.partnership,
            youth_fields={"last_name": name, "first_names": "Test"},
            identified_on=TODAY,
            spotted_where="Rue",
            spotted_by="Maraude",
            spotted_how="street",
            registration="never",
        )
        for name in ("Aubert", "Blanc")
    ]


def _at_once(act, arguments) -> list[str]:
    barrier = threading.Barrier(len(arguments))
    outcomes: list[str] = []

    def run(*args) -> None:
        try:
            barrier.wait(timeout=10)
            act(*args)
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_a_slot_booked_twice_at_once_gives_one_booking(world):
    colleague = member(world.porteur, Role.REFERENT)
    first, second = _two_youths(world)
    slot = permanence(world).slots.first()
    outcomes = _at_once(
        lambda user, pathway: book_slot(user, world.porteur, slot, pathway),
        [(world.referent, first), (colleague, second)],
    )
    assert outcomes.count("done") == 1, outcomes
    assert any("vient d'être réservé" in outcome for outcome in outcomes), outcomes
    assert SlotBooking.objects.filter(slot=slot).count() == 1


def test_the_last_place_asked_twice_at_once_goes_to_one_youth(world):
    colleague = member(world.porteur, Role.REFERENT)
    first, second = _two_youths(world)
    session = workshop(world, capacity=1)
    outcomes = _at_once(
        lambda user, pathway: register_youth(user, world.porteur, session, pathway),
        [(world.referent, first), (colleague, second)],
    )
    assert outcomes.count("done") == 1, outcomes
    assert any("complète" in outcome for outcome in outcomes), outcomes
    assert SessionRegistration.objects.count() == 1
    assert Activity.objects.count() == 1  # the refused registration planned nothing
