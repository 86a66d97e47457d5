"""The programme's rules: sessions and permanences with their dates in order, places never
exceeded, a slot booked once, and the attendance of a session counted into the weekly hours
through the pathway's activity (docs/domain-rules.md, "CEJ-JR: collective sessions and
permanences")."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.cej.models import (
    Activity,
    CollectiveSession,
    Permanence,
    PermanenceSlot,
    SessionRegistration,
    SlotBooking,
)
from coparcours.cej.services.hours import week_hours
from coparcours.cej.services.outreach import record_outreach
from coparcours.cej.services.sessions import (
    book_slot,
    cancel_booking,
    create_session,
    open_permanence,
    record_session_attendance,
    register_youth,
)
from coparcours.directory.models.partners import MeetingKind
from coparcours.organisations.models import Role

from .co_accompaniment import LAST_WEEK, _at
from .conftest import TODAY, member
from .programme import at, permanence, workshop


def _second_youth(world):
    return record_outreach(
        world.referent,
        world.porteur,
        world.partnership,
        youth_fields={"last_name": "Martin", "first_names": "Noé"},
        identified_on=TODAY,
        spotted_where="Rue",
        spotted_by="Maraude",
        spotted_how="street",
        registration="never",
    )


def test_a_session_ending_before_it_starts_is_refused_and_nothing_written(world):
    with pytest.raises(ValidationError) as refused:
        workshop(world, starts_at=at(3, 16), ends_at=at(3, 14))
    assert refused.value.message_dict == {"ends_at": ["La fin de la séance doit suivre son début."]}
    with pytest.raises(ValidationError, match="au moins une place"):
        workshop(world, capacity=0)
    with pytest.raises(ValidationError, match="plus de 24 heures"):
        workshop(world, ends_at=at(5, 14))
    assert CollectiveSession.objects.count() == 0


def test_a_session_is_set_by_a_member_for_a_member(world):
    with pytest.raises(PermissionDenied):
        create_session(
            member(world.unrelated, Role.REFERENT),
            world.unrelated,
            world.partnership,
            kind="workshop",
            title="Atelier",
            organiser=world.porteur,
            place="Ailleurs",
            starts_at=at(3, 9),
            ends_at=at(3, 10),
            capacity=5,
        )
    with pytest.raises(ValidationError, match="membre du partenariat"):
        workshop(world, organiser=world.unrelated)
    assert CollectiveSession.objects.count() == 0


def test_places_are_never_exceeded(world, pathway):
    session = workshop(world, capacity=1)
    register_youth(world.referent, world.porteur, session, pathway)
    other = _second_youth(world)
    with pytest.raises(ValidationError, match=r"complète \(1 places\)"):
        register_youth(world.referent, world.porteur, session, other)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        register_youth(world.referent, world.porteur, session, pathway)
    assert SessionRegistration.objects.count() == 1
    assert Activity.objects.filter(pathway=other).count() == 0


def test_no_youth_in_a_training_for_professionals_nor_once_started(world, pathway):
    training = workshop(world, kind="staff_training", title="Formation à l'écoute")
    with pytest.raises(ValidationError, match="professionnels"):
        register_youth(world.referent, world.porteur, training, pathway)
    started = workshop(world)
    CollectiveSession.objects.filter(pk=started.pk).update(starts_at=at(-1, 9))
    started.refresh_from_db()
    with pytest.raises(ValidationError, match="inscriptions sont closes"):
        register_youth(world.referent, world.porteur, started, pathway)
    assert SessionRegistration.objects.count() == 0


def test_attendance_enters_the_weekly_hours_through_the_activity(world, pathway):
    session = workshop(world)
    registration = register_youth(world.referent, world.porteur, session, pathway)
    activity = registration.activity
    assert (activity.kind, activity.duration_minutes, activity.organisation) == (
        "workshop",
        120,
        world.porteur,
    )
    assert activity.title == "Atelier : Atelier CV et lettre de motivation"
    with pytest.raises(ValidationError, match="une fois la séance commencée"):
        record_session_attendance(world.referent, world.porteur, session, {registration.pk: True})
    # the session takes place last week (time passes)
    starts = _at(LAST_WEEK + datetime.timedelta(days=2), 14)
    ends = starts + datetime.timedelta(hours=2)
    CollectiveSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=ends)
    Activity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=ends)
    session.refresh_from_db()
    assert week_hours(pathway, LAST_WEEK).total_minutes == 0
    record_session_attendance(world.referent, world.porteur, session, {registration.pk: True})
    hours = week_hours(pathway, LAST_WEEK)
    assert (hours.total_minutes, hours.porteur_minutes) == (120, 120)
    record_session_attendance(world.referent, world.porteur, session, {registration.pk: False})
    assert week_hours(pathway, LAST_WEEK).total_minutes == 0


def test_a_permanence_is_cut_into_slots_and_its_dates_are_checked(world):
    opened = permanence(world, slot_minutes=45)
    assert [slot.starts_at for slot in opened.slots.all()] == [at(2, 9), at(2, 9, 45)]
    assert opened.mission_locale == world.mission_locale
    fields = {
        "counsellor": world.counsellor,
        "place": "Porteur",
        "starts_at": at(4, 11),
        "ends_at": at(4, 9),
        "slot_minutes": 30,
    }
    with pytest.raises(ValidationError, match="La fin de la permanence doit suivre son début"):
        open_permanence(world.counsellor, world.mission_locale, world.partnership, **fields)
    fields.update(ends_at=at(4, 12), counsellor=world.referent)
    with pytest.raises(ValidationError, match="mission locale du partenariat"):
        open_permanence(world.counsellor, world.mission_locale, world.partnership, **fields)
    fields.update(counsellor=world.counsellor, slot_minutes=5)
    with pytest.raises(ValidationError, match="entre 10 minutes et 4 heures"):
        open_permanence(world.counsellor, world.mission_locale, world.partnership, **fields)
    assert Permanence.objects.count() == 1 and PermanenceSlot.objects.count() == 2


def test_a_slot_is_booked_once_then_freed_by_its_cancellation(world, pathway):
    slot = permanence(world).slots.first()
    booking = book_slot(world.referent, world.porteur, slot, pathway)
    other = _second_youth(world)
    with pytest.raises(ValidationError) as refused:
        book_slot(world.referent, world.porteur, slot, other)
    assert "vient d'être réservé" in refused.value.message_dict["slot"][0]
    with pytest.raises(ValidationError, match="déjà un créneau à cette permanence"):
        book_slot(world.referent, world.porteur, slot.permanence.slots.last(), pathway)
    assert SlotBooking.objects.count() == 1
    # the mission locale may not cancel the porteur's booking without seeing it
    stranger = member(world.unrelated, Role.REFERENT)
    with pytest.raises(PermissionDenied):
        cancel_booking(stranger, world.unrelated, booking)
    cancel_booking(world.referent, world.porteur, booking)
    assert book_slot(world.referent, world.porteur, slot, other).pathway == other
    assert SlotBooking.objects.filter(cancelled_at__isnull=True).count() == 1
    assert booking.history.count() == 2  # booked, then cancelled


def test_monthly_commissions_are_a_kind_of_partners_meeting():
    assert MeetingKind("commission").label == "Commission mensuelle"
