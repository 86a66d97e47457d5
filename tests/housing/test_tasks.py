"""Turning 18: the daily job raises each reminder once, on the dated settings' delays."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from coparcours.housing import rules, tasks
from coparcours.housing.models import HousingSettings, MajorityReminder
from coparcours.housing.models.majority import ReminderKind
from coparcours.housing.services import majority as majority_services
from coparcours.organisations.models import Role
from coparcours.youths.rules import add_years

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_reminder_is_due_from_the_delay_until_majority():
    birth = datetime.date(2009, 3, 14)
    majority = datetime.date(2027, 3, 14)
    assert rules.reminder_due(birth, 365, datetime.date(2026, 3, 13)) is None
    assert rules.reminder_due(birth, 365, datetime.date(2026, 3, 14)) == majority
    assert rules.reminder_due(birth, 90, datetime.date(2026, 12, 13)) is None
    assert rules.reminder_due(birth, 90, datetime.date(2026, 12, 14)) == majority
    assert rules.reminder_due(birth, 90, majority) is None


def test_the_daily_job_raises_each_reminder_once_and_mails_without_details(gme):
    birth = add_years(TODAY(), -18) + datetime.timedelta(days=60)  # 18 in 60 days
    stay = gme.place(birth_date=birth, age=None)
    referent = gme.user(gme.member_b, Role.REFERENT)
    stay.youth.referent = referent
    stay.youth.save()
    assert tasks.majority_reminders.call_local() == 2
    assert tasks.majority_reminders.call_local() == 0
    reminders = {r.kind: r for r in MajorityReminder.objects.all()}
    assert reminders[ReminderKind.PREPARATION_INTERVIEW].organisation == gme.member_b
    assert reminders[ReminderKind.COORDINATOR_ALERT].organisation == gme.lead
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([referent.email, gme.coordinator.email])
    assert all(stay.youth.last_name not in message.body for message in mail.outbox)


def test_the_delays_are_dated_settings(gme):
    birth = add_years(TODAY(), -18) + datetime.timedelta(days=200)  # 18 in 200 days
    gme.place(birth_date=birth, age=None)
    HousingSettings.objects.create(
        valid_from=TODAY() - datetime.timedelta(days=1),
        preparation_interview_days=180,
        coordinator_alert_days=30,
    )
    assert majority_services.raise_majority_reminders() == []
    HousingSettings.objects.create(valid_from=TODAY(), coordinator_alert_days=250)
    kinds = {r.kind for r in majority_services.raise_majority_reminders()}
    assert kinds == {ReminderKind.PREPARATION_INTERVIEW, ReminderKind.COORDINATOR_ALERT}


def test_the_host_sees_the_due_reminders_on_the_stays_page(gme):
    birth = add_years(TODAY(), -18) + datetime.timedelta(days=60)
    gme.place(birth_date=birth, age=None)
    host = gme.client(gme.member_b, Role.REFERENT)
    assert "data-reminder" not in host.get("/hebergement/sejours/").content.decode()
    majority_services.raise_majority_reminders()
    page = host.get("/hebergement/sejours/").content.decode()
    assert 'data-reminder="interview"' in page and 'data-reminder="alert"' in page
    outsider = gme.client(gme.outsider, Role.REFERENT).get("/hebergement/sejours/")
    assert "data-reminder" not in outsider.content.decode()
