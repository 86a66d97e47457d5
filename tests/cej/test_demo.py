"""The Nord demo's CEJ-JR partnership: settings, youths at several stages, idempotent."""

from __future__ import annotations

from coparcours.cej import tasks
from coparcours.cej.models import CommitteeMeeting, Contact, Pathway
from coparcours.cej.rules import Stage
from coparcours.demo.nord import load_nord_demo


def test_demo_has_pathways_at_several_stages_and_loads_twice(demo, login_client):
    stages = dict(Pathway.objects.values_list("youth__last_name", "stage"))
    assert stages == {
        "Martin": Stage.REMOBILISATION,
        "Petit": Stage.PRE_CEJ,
        "Lambert": Stage.IDENTIFIED,
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


def test_veille_task_flags_nobody_before_the_date(demo):
    assert tasks.flag_veille_reached.call_local() == 0
