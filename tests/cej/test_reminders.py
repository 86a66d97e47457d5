"""Reminders of the youths' appointments, the day before and two hours before, only with the
youth's agreement, never at night, never twice, retried then shown to the referent when the
provider is down, stopped by « STOP »; the text never says what the appointment is."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from coparcours.cej import reminders, tasks
from coparcours.cej.models import Activity, ReminderKind, YouthAnswer
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.models import Youth

from .co_accompaniment import _activity
from .conftest import born
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def agreed(world, pathway, client_for):  # noqa: F811
    """The youth gave their number, opened their space and agreed to reminders by SMS; the
    fixture's appointments are left out, each test planning its own."""
    Youth.objects.filter(pk=pathway.youth_id).update(phone="06 12 34 56 78")
    Activity.objects.filter(pathway=pathway, starts_at__gt=timezone.now()).delete()
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    phone.post("/mon-espace/rappels/", {"channel": "sms"})
    pathway.youth.refresh_from_db()
    return pathway


def _appointment(world, pathway, starts_at: datetime.datetime) -> Activity:  # noqa: F811
    local = timezone.localtime(starts_at)
    return _activity(
        world,
        pathway,
        local.date(),
        local.hour,
        60,
        kind="health",
        title="Consultation au CMP",
        attended=None,
    )


def _tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_youth_agrees_in_their_space_and_it_is_their_own_act(world, agreed):
    assert agreed.youth.reminder_channel == "sms" and agreed.youth.reminders_agreed_at
    line = AuditLog.objects.filter(youth_id=agreed.youth_id, event=AuditEvent.WRITE).latest("pk")
    assert line.user is None and "accepte les rappels de rendez-vous par SMS" in line.reason


def test_each_reminder_leaves_once_saying_only_rendez_vous(world, agreed, sms_outbox):
    starts = _tomorrow_at(14)
    appointment = _appointment(world, agreed, starts)
    day_before = starts - 24 * HOUR
    assert reminders.run(day_before) == (2, 1)
    assert reminders.run(day_before + datetime.timedelta(minutes=5)) == (0, 0)  # never twice
    (message,) = sms_outbox
    assert message.to == "+33612345678" and "rendez-vous" in message.text
    assert "à 14:00" in message.text and "STOP" in message.text
    assert "CMP" not in message.text and "Consultation" not in message.text
    assert str(agreed.youth.first_names) not in message.text
    assert reminders.run(starts - 2 * HOUR) == (0, 1)
    assert reminders.run(starts - HOUR) == (0, 0)
    assert len(sms_outbox) == 2
    assert appointment.reminders.filter(sent_at__isnull=False).count() == 2


def test_the_worker_produces_a_reminder_once_through_the_file_backend(
    world, agreed, settings, tmp_path
):
    """The job the worker runs every five minutes, run twice two hours before an
    appointment of tomorrow afternoon (its clock set there: never in the quiet hours)."""
    settings.SMS_URL = f"file://{tmp_path}/sms.jsonl"
    starts = _tomorrow_at(14)
    _appointment(world, agreed, starts)
    with mock.patch.object(timezone, "now", return_value=starts - 2 * HOUR):
        tasks.appointment_reminders.call_local()
        tasks.appointment_reminders.call_local()
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["to"] == "+33612345678"


def test_no_reminder_without_agreement_or_for_an_absence_announced(world, agreed, sms_outbox):
    starts = _tomorrow_at(15)
    appointment = _appointment(world, agreed, starts)
    Activity.objects.filter(pk=appointment.pk).update(youth_answer=YouthAnswer.NOT_COMING)
    assert reminders.run(starts - 24 * HOUR) == (0, 0)
    Activity.objects.filter(pk=appointment.pk).update(youth_answer="")
    Youth.objects.filter(pk=agreed.youth_id).update(reminder_channel="")
    assert reminders.run(starts - 24 * HOUR) == (0, 0)
    assert not sms_outbox


def test_a_provider_down_is_retried_then_shown_to_the_referent(
    world, agreed, settings, client_for, sms_outbox
):
    settings.SMS_URL = "brevo+http://key@127.0.0.1:9/v3/transactionalSMS/send"  # nobody there
    starts = _tomorrow_at(16)
    appointment = _appointment(world, agreed, starts)
    now = starts - 2 * HOUR
    assert reminders.plan_reminders(now) == 1  # the day-before one is overtaken
    for attempt in range(1, reminders.MAX_ATTEMPTS + 1):
        assert reminders.run(now) == (0, 0)
        reminder = appointment.reminders.get()
        assert reminder.attempts == attempt and "ne répond pas" in reminder.last_error
        now += reminders.RETRY_AFTER * attempt
    assert reminder.failed_at is not None
    assert reminders.due_reminders(now) == []  # given up: never sent late
    week = timezone.localdate(starts)
    page = client_for(world.referent).get(
        f"/cej/parcours/{agreed.pk}/accompagnement/?semaine={week}"
    )
    assert "rappel deux heures avant non envoyé : le service d&#x27;envoi ne répond pas" in (
        page.content.decode()
    )


@given(
    st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31))
)
def test_a_reminder_never_leaves_at_night_nor_too_late(starts):
    starts = timezone.make_aware(starts)
    for kind in ReminderKind.values:
        due = reminders.due_time(starts, kind)
        if due is not None:
            local = timezone.localtime(due).time()
            assert reminders.QUIET_UNTIL <= local < reminders.QUIET_FROM
            assert due <= starts - reminders.TOO_LATE


def test_stop_by_sms_withdraws_the_agreement(world, agreed, settings, client):
    settings.SMS_INBOUND_TOKEN = "s3cret"
    stop = {"from": "+33612345678", "text": " Stop "}
    assert client.post("/sms/recus/wrong/", stop).status_code == 404
    other = client.post("/sms/recus/s3cret/", {"from": "0612345678", "text": "merci"})
    assert other.json() == {"stopped": 0}
    answered = client.post("/sms/recus/s3cret/", json.dumps(stop), content_type="application/json")
    assert answered.json() == {"stopped": 1}
    youth = Youth.objects.get(pk=agreed.youth_id)
    assert youth.reminder_channel == "" and youth.reminders_agreed_at is None
    line = AuditLog.objects.filter(youth_id=youth.pk, event=AuditEvent.WRITE).latest("pk")
    assert "en répondant STOP" in line.reason


def test_a_number_that_cannot_be_dialled_gives_the_reminder_up_at_once(world, agreed):
    """Trying again changes nothing until the record is corrected: the reminder is given up
    with its reason, and the job goes on with the others."""
    Youth.objects.filter(pk=agreed.youth_id).update(phone="12")
    starts = _tomorrow_at(17)
    appointment = _appointment(world, agreed, starts)
    assert reminders.run(starts - 2 * HOUR) == (1, 0)
    reminder = appointment.reminders.get()
    assert reminder.failed_at is not None and reminder.attempts == 1
    assert "n'est pas valable" in reminder.last_error
