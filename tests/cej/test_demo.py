"""The Nord demo's CEJ-JR partnership: settings, youths at several stages, idempotent."""

from __future__ import annotations

import datetime

from coparcours.cej import rules, tasks
from coparcours.cej.models import CommitteeMeeting, Contact, Pathway
from coparcours.cej.rules import Stage
from coparcours.cej.services.hours import week_hours
from coparcours.demo.nord import load_nord_demo


def test_demo_has_pathways_at_several_stages_and_loads_twice(demo, login_client):
    stages = dict(Pathway.objects.values_list("youth__last_name", "stage"))
    assert stages == {
        "Martin": Stage.REMOBILISATION,
        "Petit": Stage.PRE_CEJ,
        "Lambert": Stage.IDENTIFIED,
        "Roussel": Stage.CONTRACT,
    }
    assert demo.cej_jr.cej_settings.minimum_weekly_hours == 15
    counts = (Pathway.objects.count(), Contact.objects.count(), CommitteeMeeting.objects.count())
    load_nord_demo()
    assert (Pathway.objects.count(), Contact.objects.count(), CommitteeMeeting.objects.count()) == (
        counts
    )
    # the counsellor sees Lucas's pathway (consent) but not Inès's (no consent)
    page = login_client(demo.users["conseiller"]).get("/cej/").content.decode()
    assert "Remobilisation</td>" in page and "Parcours protégé" in page


def test_demo_co_accompaniment_reaches_13_hours_last_week(demo, login_client):
    sarah = Pathway.objects.get(youth__last_name="Roussel")
    week = rules.week_start(datetime.date.today()) - datetime.timedelta(days=7)
    hours = week_hours(sarah, week)
    assert (hours.porteur_hours, hours.mission_locale_hours, hours.minimum_hours) == (7, 6, 15)
    assert sarah.counsellor == demo.users["conseiller"]
    assert [r.milestone_months for r in sarah.reviews.all()] == [3, 6]
    page = login_client(demo.users["conseiller"]).get(f"/cej/parcours/{sarah.pk}/accompagnement/")
    assert "Inscription au CAP cuisine" in page.content.decode()
    assert "centre de santé" not in page.content.decode()  # a counsellor never reads health


def test_veille_task_flags_nobody_before_the_date(demo):
    assert tasks.flag_veille_reached.call_local() == 0
