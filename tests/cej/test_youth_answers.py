"""The youth answers their coming appointments from their own space, « je serai là » or
« je ne peux pas venir »: the answer is theirs in the access log, the referent and the
counsellor see it beside the activity, and an absence announced waits on their home page.
Only an appointment the youth's page shows may be answered."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from coparcours.cej.models import Activity, YouthAnswer
from coparcours.core.models import AuditEvent, AuditLog

from .co_accompaniment import _activity
from .conftest import TODAY, born, plain
from .test_youth_page import SOON, _link, pathway  # noqa: F401 (the fixture)


def _answer(phone: Client, activity: Activity, answer: str):
    return phone.post(f"/cej/mon-parcours/rendez-vous/{activity.pk}/reponse/", {"answer": answer})


@pytest.fixture
def phone(world, pathway, client_for):  # noqa: F811
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    return phone


def _workshop(pathway):  # noqa: F811
    return Activity.objects.get(pathway=pathway, title="Atelier CV", starts_at__gt=timezone.now())


def test_an_absence_announced_reaches_the_referent_and_the_counsellor(
    world,
    pathway,  # noqa: F811
    phone,
    client_for,
):
    workshop = _workshop(pathway)
    care = Activity.objects.get(pathway=pathway, kind="health")
    for activity in (workshop, care):
        answered = _answer(phone, activity, YouthAnswer.NOT_COMING)
        assert answered.status_code == 302 and answered["Location"] == "/mon-espace/#rdv"
    workshop.refresh_from_db()
    assert workshop.youth_answer == YouthAnswer.NOT_COMING and workshop.youth_answered_at
    line = AuditLog.objects.filter(event=AuditEvent.WRITE, object_id=str(workshop.pk)).get()
    assert line.user is None and line.reason.endswith(": ne peut pas venir")
    page = plain(phone.get("/mon-espace/").content.decode())
    assert "Vous avez dit : je ne peux pas venir." in page
    referent = client_for(world.referent)
    accompaniment = referent.get(f"/cej/parcours/{pathway.pk}/accompagnement/?semaine={SOON}")
    assert "le jeune ne peut pas venir" in accompaniment.content.decode()
    home = referent.get("/").content.decode()
    assert "Absences annoncées par les jeunes" in home
    assert "Atelier CV le" in home and "Consultation au centre de santé" in home
    counsellor_home = client_for(world.counsellor).get("/").content.decode()
    assert "Atelier CV le" in counsellor_home
    assert "Consultation au centre de santé" not in counsellor_home  # health: its nature hidden
    assert "Activité (détail confidentiel) le" in counsellor_home


def test_coming_after_all_takes_the_absence_off_the_home_page(world, pathway, phone, client_for):  # noqa: F811
    workshop = _workshop(pathway)
    _answer(phone, workshop, YouthAnswer.NOT_COMING)
    _answer(phone, workshop, YouthAnswer.COMING)
    assert "Vous avez dit : je serai là." in plain(phone.get("/mon-espace/").content.decode())
    home = client_for(world.referent).get("/").content.decode()
    assert "Atelier CV le" not in home
    assert AuditLog.objects.filter(object_id=str(workshop.pk), event=AuditEvent.WRITE).count() == 2


def test_only_an_appointment_the_page_shows_is_answered(world, pathway, phone):  # noqa: F811
    past = _activity(world, pathway, TODAY - datetime.timedelta(days=1), 9, 60, attended=None)
    other = _activity(world, world.outreach(), SOON, 10, 60, attended=None)
    workshop = _workshop(pathway)
    assert _answer(phone, past, YouthAnswer.NOT_COMING).status_code == 404
    assert _answer(phone, other, YouthAnswer.NOT_COMING).status_code == 404
    assert _answer(phone, workshop, "peut-être").status_code == 404
    assert _answer(Client(), workshop, YouthAnswer.NOT_COMING).status_code == 403
    assert phone.get(f"/cej/mon-parcours/rendez-vous/{workshop.pk}/reponse/").status_code == 405
    assert not Activity.objects.exclude(youth_answer="").exists()


def test_an_appointment_the_links_creator_may_not_read_is_not_answered(
    world,
    pathway,  # noqa: F811
    client_for,
):
    """The counsellor's link shows only what the counsellor reads: the porteur's
    appointments once the youth withdrew the mission locale's share."""
    phone = Client()
    phone.post(_link(client_for(world.counsellor), pathway), born(pathway))
    pathway.youth.consents.filter(organisation=world.mission_locale).update(
        withdrawn_at=timezone.now()
    )
    assert _answer(phone, _workshop(pathway), YouthAnswer.NOT_COMING).status_code == 404
