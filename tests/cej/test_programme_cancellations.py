"""Undoing the programme, and reading it through the API: a youth withdrawn from a session
to come (the place frees, the planned activity leaves the pathway), and a session cancelled
by the member that organises it, with its reason (kept in the programme and its calendar,
registrations withdrawn, the people who registered youths told without a name). Each is
confirmed before it is done, and refused with nothing written to whom it does not belong or
once the session started."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coparcours.cej.models import Activity, CollectiveSession, SessionRegistration
from coparcours.cej.services.sessions import register_youth
from coparcours.core.models import AuditLog
from coparcours.organisations.models import Role

from .conftest import member
from .programme import at, workshop
from .test_programme_pages import _martin


def _session_url(session, rest: str = "") -> str:
    return f"/cej/programme/seances/{session.pk}/{rest}"


def test_a_referent_withdraws_a_youth_after_confirmation_and_the_place_frees(
    world, pathway, client_for
):
    session = workshop(world, capacity=2)
    registration = register_youth(world.referent, world.porteur, session, pathway)
    martin = register_youth(world.referent, world.porteur, session, _martin(world))
    referent = client_for(world.referent)
    page = referent.get(_session_url(session)).content.decode()
    assert "Retirer l'inscription" in page and "2 inscrits sur 2" in page

    withdraw = _session_url(session, f"inscriptions/{registration.pk}/retirer/")
    confirm = referent.get(withdraw).content.decode()
    assert "La place est libérée : 1 inscrit sur 2 ensuite." in confirm
    assert "DURAND Léa" in confirm
    assert SessionRegistration.objects.count() == 2  # the GET changes nothing
    # the mission locale does not see the porteur's unshared youth registered: not found
    counsellor = client_for(world.counsellor)
    assert (
        counsellor.get(_session_url(session, f"inscriptions/{martin.pk}/retirer/")).status_code
        == 404
    )
    assert client_for(member(world.funder, Role.FUNDER_VIEWER)).post(withdraw).status_code == 403

    response = referent.post(withdraw)
    assert response.status_code == 302
    assert not SessionRegistration.objects.filter(pk=registration.pk).exists()
    assert not Activity.objects.filter(pk=registration.activity_id).exists()
    page = referent.get(_session_url(session)).content.decode()
    assert "n&#x27;est plus inscrit·e" in page and "1 inscrit sur 2" in page
    # the place freed takes the youth again
    assert referent.post(_session_url(session), {"pathway": pathway.pk}).status_code == 302
    assert SessionRegistration.objects.filter(session=session).count() == 2


def test_a_registration_is_not_withdrawn_once_the_session_started(world, pathway, client_for):
    session = workshop(world)
    registration = register_youth(world.referent, world.porteur, session, pathway)
    CollectiveSession.objects.filter(pk=session.pk).update(
        starts_at=at(0, 0) - datetime.timedelta(hours=1)
    )
    referent = client_for(world.referent)
    referent.post(_session_url(session, f"inscriptions/{registration.pk}/retirer/"))
    assert SessionRegistration.objects.filter(pk=registration.pk).exists()
    page = referent.get(_session_url(session)).content.decode()
    assert "notez l&#x27;absence du jeune" in page
    assert "Retirer l'inscription" not in page


def test_the_organiser_cancels_a_session_with_its_reason(
    world, pathway, client, client_for, django_capture_on_commit_callbacks
):
    session = workshop(world)
    registrations = [
        register_youth(world.referent, world.porteur, session, pathway),
        register_youth(world.referent, world.porteur, session, _martin(world)),
    ]
    cancel = _session_url(session, "annuler/")
    # the mission locale is a member, not the organiser: no link, no cancellation
    counsellor = client_for(world.counsellor)
    assert "Annuler la séance" not in counsellor.get(_session_url(session)).content.decode()
    counsellor.post(cancel, {"reason": "Je n'organise pas."})
    assert CollectiveSession.objects.get(pk=session.pk).cancelled_at is None

    referent = client_for(world.referent)
    assert "Annuler la séance…" in referent.get(_session_url(session)).content.decode()
    confirm = referent.get(cancel).content.decode()
    assert "Les 2 jeunes inscrits n&#x27;y sont plus attendus" in confirm
    refused = referent.post(cancel, {"reason": "  "})
    assert refused.status_code == 200 and "Rien n'a été enregistré" in refused.content.decode()
    assert CollectiveSession.objects.get(pk=session.pk).cancelled_at is None
    assert SessionRegistration.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        done = referent.post(cancel, {"reason": "Animatrice absente, séance reportée."})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and session.cancelled_by == world.referent
    assert not SessionRegistration.objects.exists()
    assert not Activity.objects.filter(pk__in=[r.activity_id for r in registrations]).exists()
    withdrawn = AuditLog.objects.filter(reason__contains="séance annulée par son organisateur")
    assert sorted(withdrawn.values_list("youth_id", flat=True)) == sorted(
        r.youth_id for r in registrations
    )
    # the person who registered the youths is told how many, never whom
    (notice,) = mail.outbox
    assert notice.to == [world.referent.email]
    assert "2 jeunes que vous y aviez inscrits" in notice.body
    assert "Animatrice absente" in notice.body
    for name in ("DURAND", "Léa", "MARTIN", "Noé"):
        assert name not in notice.body

    # the programme keeps it, marked, and takes no more registration
    month = referent.get(f"/cej/programme/?mois={session.starts_at:%Y-%m}").content.decode()
    assert "Annulée" in month and "Animatrice absente" in month
    page = referent.get(_session_url(session)).content.decode()
    assert "Séance annulée" in page and "Inscrire un jeune" not in page
    with pytest.raises(ValidationError, match="annulée"):
        register_youth(world.referent, world.porteur, session, pathway)
    assert referent.post(cancel, {"reason": "Encore"}).status_code == 302  # once only
    # its published calendar strikes it out
    feed = referent.post("/cej/programme/agendas/", {"partnership": world.partnership.pk})
    token = feed.context["created_url"].rsplit("/", 1)[1].removesuffix(".ics")
    body = client.get(f"/cej/programme/agenda/{token}.ics").content.decode()
    assert "STATUS:CANCELLED" in body and "Annulée : Animatrice absente" in body


def test_a_session_that_started_is_not_cancelled(world, client_for):
    session = workshop(world)
    CollectiveSession.objects.filter(pk=session.pk).update(
        starts_at=at(0, 0) - datetime.timedelta(hours=1)
    )
    referent = client_for(world.referent)
    assert "Annuler la séance" not in referent.get(_session_url(session)).content.decode()
    referent.post(_session_url(session, "annuler/"), {"reason": "Trop tard"})
    assert CollectiveSession.objects.get(pk=session.pk).cancelled_at is None


def test_the_api_reads_the_programme_without_a_name(world, pathway, client_for):
    session = workshop(world)
    register_youth(world.referent, world.porteur, session, pathway)
    cancelled = workshop(world, days=4, title="Information collective annulée")
    CollectiveSession.objects.filter(pk=cancelled.pk).update(
        cancelled_at=at(0, 8), cancellation_reason="Salle indisponible."
    )
    url = "/api/v1/cej/programme"
    window = {"start": f"{at(0, 0):%Y-%m-%d}", "end": f"{at(7, 0):%Y-%m-%d}"}
    answer = client_for(world.referent).get(url, window)
    assert answer.status_code == 200, answer.content
    sessions = {row["title"]: row for row in answer.json()["sessions"]}
    assert sessions["Atelier CV et lettre de motivation"]["taken"] == 1
    assert (
        sessions["Information collective annulée"]["cancellation_reason"] == "Salle indisponible."
    )
    assert pathway.youth.last_name not in answer.content.decode()
    # a window that ends before it starts is refused; a funder never reads the programme
    backwards = {"start": window["end"], "end": window["start"]}
    assert client_for(world.referent).get(url, backwards).status_code == 422
    funder = client_for(member(world.funder, Role.FUNDER_VIEWER))
    assert funder.get(url, window).status_code == 403
