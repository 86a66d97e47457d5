"""Co-accompaniment: activities and weekly hours, and the Monday follow-up of the hours
sent to the mission locale's counsellor."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from coparcours.cej import followup, rules
from coparcours.cej.models import Activity, FollowUpPreference, PartnershipSettings, WeeklyFollowUp
from coparcours.cej.services.hours import week_hours
from coparcours.cej.services.interviews import set_counsellor
from coparcours.organisations.models import Role

from .co_accompaniment import LAST_WEEK, _activity, _at, _fifteen_hours
from .conftest import TODAY, member
from .test_pathway_services import _contract

# --- activities and weekly hours ------------------------------------------------------


@pytest.mark.parametrize("minutes", [-30, 0, 1441])
def test_a_bad_duration_is_refused_and_nothing_saved(world, pathway, client_for, minutes):
    response = client_for(world.referent).post(
        f"/cej/parcours/{pathway.pk}/activites/ajouter/",
        {
            "kind": "workshop",
            "title": "Atelier",
            "starts_at": f"{LAST_WEEK.isoformat()}T09:00",
            "duration_minutes": minutes,
            "responsible": world.porteur.pk,
            "attended": "1",
        },
    )
    assert "Une activité dure entre 1 minute et 24 heures." in response.content.decode()
    assert not Activity.objects.exists()


def test_overlapping_activities_are_refused(world, pathway, client_for):
    _activity(world, pathway, LAST_WEEK, 9, 120)
    with pytest.raises(ValidationError, match="chevauche une autre activité"):
        _activity(world, pathway, LAST_WEEK, 10, 60, by_ml=True)
    response = client_for(world.counsellor).post(
        f"/api/v1/cej/pathways/{pathway.pk}/activities",
        {
            "kind": "training",
            "title": "Formation",
            "starts_at": _at(LAST_WEEK, 10).isoformat(),
            "duration_minutes": 60,
            "responsible_id": world.mission_locale.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and "chevauche" in str(response.json())
    _activity(world, pathway, LAST_WEEK, 11, 60, by_ml=True)  # right after: allowed
    assert Activity.objects.count() == 2


def test_weekly_hours_are_split_and_checked_from_the_contract_on(world, pathway):
    _fifteen_hours(world, pathway)
    _activity(world, pathway, LAST_WEEK + datetime.timedelta(days=4), 9, 60, attended=False)
    hours = week_hours(pathway, LAST_WEEK)
    assert (hours.porteur_minutes, hours.mission_locale_minutes) == (540, 360)
    assert (hours.total_hours, hours.minimum_hours, hours.reached) == (15, 15, True)
    before = week_hours(pathway, LAST_WEEK - datetime.timedelta(days=7))
    assert before.minimum_hours is None and before.reached is None  # remobilisation


def test_the_minimum_is_the_partnerships(world, pathway):
    PartnershipSettings.objects.filter(partnership=world.partnership).update(
        minimum_weekly_hours=20
    )
    pathway.refresh_from_db()
    _fifteen_hours(world, pathway)
    assert week_hours(pathway, LAST_WEEK).reached is False


# --- Monday follow-up -----------------------------------------------------------------


def test_the_follow_up_week_due_follows_paris_mondays():
    monday = datetime.date(2026, 11, 23)
    paris = datetime.timezone(datetime.timedelta(hours=1))
    early = datetime.datetime(2026, 11, 23, 6, 59, tzinfo=paris)
    later = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=paris)
    wednesday = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=paris)
    assert rules.follow_up_week_due(early) == monday - datetime.timedelta(days=14)
    assert rules.follow_up_week_due(later) == monday - datetime.timedelta(days=7)
    assert rules.follow_up_week_due(wednesday) == monday - datetime.timedelta(days=7)


def test_the_monday_job_sends_once_per_week_and_counsellor(world, pathway):
    _fifteen_hours(world, pathway)
    report = followup.produce(LAST_WEEK)
    assert len(report.created) == 1
    follow_up = WeeklyFollowUp.objects.get()
    assert (follow_up.counsellor, follow_up.week_start, follow_up.detail) == (
        world.counsellor,
        LAST_WEEK,
        "totals",
    )
    row = follow_up.rows[0]
    assert (row["total"], row["reached"], row["minimum_hours"]) == ("15 h 00", True, 15)
    assert "activities" not in row
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.counsellor.email]
    _name, content, kind = mail.outbox[0].attachments[0]
    assert (
        kind == "application/pdf"
        and "15 h 00" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    )
    assert followup.produce(LAST_WEEK).created == []  # idempotent
    assert len(mail.outbox) == 1 and WeeklyFollowUp.objects.count() == 1


def test_a_future_or_current_week_is_refused(world, pathway):
    for week in (rules.week_start(TODAY), rules.week_start(TODAY) + datetime.timedelta(days=7)):
        with pytest.raises(ValidationError, match="pas terminée"):
            followup.produce(week)
    assert not WeeklyFollowUp.objects.exists()


def test_no_health_content_reaches_the_counsellor(world, pathway):
    settings_row = PartnershipSettings.objects.get(partnership=world.partnership)
    FollowUpPreference.objects.create(
        settings=settings_row, mission_locale=world.mission_locale, detail="per_activity"
    )
    _activity(world, pathway, LAST_WEEK, 9, 60, kind="health", title="Consultation au CMP")
    _activity(world, pathway, LAST_WEEK, 14, 60, title="Atelier CV")
    followup.produce(LAST_WEEK)
    row = WeeklyFollowUp.objects.get().rows[0]
    labels = [a["label"] for a in row["activities"]]
    assert labels == ["Activité (détail confidentiel)", "Atelier collectif — Atelier CV"]
    assert row["total"] == "2 h 00"
    assert "CMP" not in mail.outbox[0].body
    pdf_text = PdfReader(io.BytesIO(mail.outbox[0].attachments[0][1])).pages[0].extract_text()
    assert "CMP" not in pdf_text and "Atelier CV" in pdf_text


def test_without_consent_the_porteurs_hours_are_withheld(world):
    pathway = _contract(world)
    pathway.identified_on = LAST_WEEK - datetime.timedelta(days=20)
    pathway.save()
    set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    _activity(world, pathway, LAST_WEEK, 9, 180)
    followup.produce(LAST_WEEK)
    row = WeeklyFollowUp.objects.get().rows[0]
    assert (row["total"], row["withheld"]) == ("0 h 00", True)


def test_the_inbox_and_manual_production(world, pathway, client_for):
    _fifteen_hours(world, pathway)
    referent = client_for(world.referent)
    future = referent.post("/cej/suivis/", {"week": rules.week_start(TODAY).isoformat()})
    assert "Cette semaine n&#x27;est pas terminée" in future.content.decode()
    assert not WeeklyFollowUp.objects.exists()
    form = referent.get("/cej/suivis/").content.decode()
    assert f'value="{LAST_WEEK.isoformat()}"' in form  # the last finished week, by default
    wednesday = LAST_WEEK + datetime.timedelta(days=2)  # any day stands for its Monday
    done = referent.post("/cej/suivis/", {"week": wednesday.isoformat()}, follow=True)
    assert f"1 suivi(s) envoyé(s) pour la semaine du {LAST_WEEK:%d/%m/%Y}" in done.content.decode()
    follow_up = WeeklyFollowUp.objects.get()
    assert follow_up.produced_by == world.referent
    counsellor = client_for(world.counsellor)
    assert "15 h 00" in counsellor.get(f"/cej/suivis/{follow_up.pk}/").content.decode()
    assert counsellor.get(f"/cej/suivis/{follow_up.pk}/suivi.pdf")["Content-Type"] == (
        "application/pdf"
    )
    other = client_for(member(world.mission_locale, Role.COUNSELLOR))
    assert other.get(f"/cej/suivis/{follow_up.pk}/").status_code == 404
    assert referent.get(f"/cej/suivis/{follow_up.pk}/").status_code == 404
    assert (
        client_for(world.counsellor)
        .post("/cej/suivis/", {"week": LAST_WEEK.isoformat()})
        .status_code
        == 403
    )


def test_the_periodic_job_queues_one_mail_per_follow_up(world, pathway, monkeypatch):
    from huey.contrib.djhuey import HUEY

    from coparcours.cej import tasks

    monkeypatch.setattr(HUEY, "immediate", True)  # the queued sending runs at once
    monkeypatch.setattr(tasks.rules, "follow_up_week_due", lambda now: LAST_WEEK)
    _fifteen_hours(world, pathway)
    assert tasks.monday_follow_up.call_local() == 1
    assert len(mail.outbox) == 1 and WeeklyFollowUp.objects.get().sent_at is not None
    assert tasks.monday_follow_up.call_local() == 0  # caught up already: nothing twice
    follow_up = WeeklyFollowUp.objects.get()
    assert followup.send(follow_up) is False and len(mail.outbox) == 1
