"""The programme's pages: who reaches them (the partnership's members' CEJ-JR staff, never a
funder, another partnership or another role), who sees which youth registered or booked,
the refusals shown on the forms with nothing written, the ICS feed without personal data,
and bounded queries."""

from __future__ import annotations

import datetime

import pytest

from coparcours.cej.models import (
    Activity,
    CollectiveSession,
    ProgrammeFeed,
    SessionRegistration,
    SlotBooking,
)
from coparcours.cej.services.outreach import record_outreach
from coparcours.cej.services.sessions import book_slot, register_youth
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, Membership, Role

from .conftest import TODAY, member
from .programme import at, permanence, workshop


def _martin(world):
    """A second youth of the porteur, not shared with the mission locale."""
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


@pytest.mark.parametrize(
    ("where", "role", "status"),
    [
        ("porteur", Role.REFERENT, 200),
        ("porteur", Role.COORDINATOR, 200),
        ("mission_locale", Role.COUNSELLOR, 200),
        ("porteur", Role.FINANCE_OFFICER, 403),
        ("porteur", Role.DATA_PROTECTION_OFFICER, 403),
        ("funder", Role.FUNDER_VIEWER, 403),
        ("unrelated", Role.REFERENT, 403),
    ],
)
def test_the_programme_is_the_partnership_staffs(world, client_for, where, role, status):
    session = workshop(world)
    opened = permanence(world)
    client = client_for(member(getattr(world, where), role))
    for url in (
        "/cej/programme/",
        f"/cej/programme/seances/{session.pk}/",
        f"/cej/programme/permanences/{opened.pk}/",
        "/cej/programme/seances/nouvelle/",
        "/cej/programme/permanences/nouvelle/",
        "/cej/programme/agendas/",
    ):
        assert client.get(url).status_code == status, url
    if status == 200:
        month = client.get(f"/cej/programme/?mois={session.starts_at:%Y-%m}").content.decode()
        assert "Atelier CV et lettre de motivation" in month and "0 inscrits sur 8 places" in month


def test_another_partnerships_session_and_permanence_are_not_found(world, client_for):
    other_porteur = OrganisationFactory(name="Autre porteur")
    other = ConsortiumFactory(name="Autre CEJ-JR", kind=ConsortiumKind.CEJ_JR)
    ConsortiumMemberFactory(consortium=other, organisation=other_porteur, is_lead=True)
    client = client_for(member(other_porteur, Role.REFERENT))
    session, opened = workshop(world), permanence(world)
    assert client.get(f"/cej/programme/seances/{session.pk}/").status_code == 404
    assert client.get(f"/cej/programme/permanences/{opened.pk}/").status_code == 404
    assert "Atelier CV" not in client.get("/cej/programme/").content.decode()


def test_a_referent_registers_a_youth_and_sees_only_whom_they_may(world, pathway, client_for):
    session = workshop(world, capacity=2)
    martin = _martin(world)
    referent = client_for(world.referent)
    page = referent.get(f"/cej/programme/seances/{session.pk}/").content.decode()
    assert "Aucun de vos jeunes n'est inscrit." in page
    assert f'<option value="{pathway.pk}">DURAND Léa</option>' in page
    response = referent.post(f"/cej/programme/seances/{session.pk}/", {"pathway": pathway.pk})
    assert response.status_code == 302
    register_youth(world.referent, world.porteur, session, martin)
    page = referent.get(f"/cej/programme/seances/{session.pk}/").content.decode()
    assert "2 inscrits sur 2" in page and "DURAND Léa</a>" in page and "MARTIN Noé</a>" in page
    # the mission locale reads the youth shared with it, and only counts the other
    text = client_for(world.counsellor).get(f"/cej/programme/seances/{session.pk}/")
    text = text.content.decode()
    assert "2 inscrits sur 2" in text and "DURAND Léa</a>" in text
    assert "MARTIN" not in text
    # a full session refuses the next registration on the form, nothing written
    third = referent.post(f"/cej/programme/seances/{session.pk}/", {"pathway": pathway.pk})
    assert third.status_code == 200 and "Rien n'a été enregistré" in third.content.decode()
    assert SessionRegistration.objects.count() == 2


def test_a_session_ending_before_its_start_is_refused_on_the_form(world, client_for):
    response = client_for(world.referent).post(
        "/cej/programme/seances/nouvelle/",
        {
            "partnership": world.partnership.pk,
            "kind": "workshop",
            "title": "Atelier",
            "organiser": world.porteur.pk,
            "place": "Salle 2",
            "starts_at": at(3, 16).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": at(3, 14).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 5,
        },
    )
    assert response.status_code == 200
    assert "La fin de la séance doit suivre son début." in response.content.decode()
    assert CollectiveSession.objects.count() == 0


def test_attendance_is_recorded_once_started_by_whom_the_policy_lets_write(
    world, pathway, client_for
):
    session = workshop(world)
    shared = register_youth(world.referent, world.porteur, session, pathway)
    unshared = register_youth(world.referent, world.porteur, session, _martin(world))
    url = f"/cej/programme/seances/{session.pk}/presences/"
    client_for(world.referent).post(url, {f"present-{shared.pk}": "1"})
    shared.activity.refresh_from_db()
    assert shared.activity.attended is None  # not started yet: refused
    started = at(0, 0) - datetime.timedelta(hours=1)
    CollectiveSession.objects.filter(pk=session.pk).update(starts_at=started)
    Activity.objects.filter(pk__in=[shared.activity_id, unshared.activity_id]).update(
        starts_at=started
    )
    # the mission locale writes the porteur's activity of the youth who consented only
    client_for(world.counsellor).post(
        url, {f"present-{shared.pk}": "1", f"present-{unshared.pk}": "1"}
    )
    shared.activity.refresh_from_db()
    unshared.activity.refresh_from_db()
    assert (shared.activity.attended, unshared.activity.attended) == (True, None)
    client_for(world.referent).post(url, {f"present-{unshared.pk}": "0"})
    unshared.activity.refresh_from_db()
    assert unshared.activity.attended is False


def test_a_slot_taken_twice_is_refused_then_freed_after_confirmation(world, pathway, client_for):
    opened = permanence(world)
    slot = opened.slots.first()
    referent = client_for(world.referent)
    url = f"/cej/programme/permanences/{opened.pk}/"
    assert referent.post(url, {"slot": slot.pk, "pathway": pathway.pk}).status_code == 302
    martin = _martin(world)
    again = referent.post(url, {"slot": slot.pk, "pathway": martin.pk})
    assert again.status_code == 200 and "vient d&#x27;être réservé" in again.content.decode()
    assert SlotBooking.objects.count() == 1
    # the counsellor sees whom the slot is for (shared youth); a stranger to it cannot cancel
    assert "Réservé pour" in client_for(world.counsellor).get(url).content.decode()
    cancel = f"{url}creneaux/{slot.pk}/annuler/"
    confirm = referent.get(cancel).content.decode()
    assert "redevient libre" in confirm and "Annuler la réservation" in confirm
    assert SlotBooking.objects.get().cancelled_at is None  # the GET changes nothing
    referent.post(cancel)
    assert SlotBooking.objects.get().cancelled_at is not None


def test_the_programme_feed_holds_no_personal_data(world, pathway, client, client_for):
    session = workshop(world)
    register_youth(world.referent, world.porteur, session, pathway)
    book_slot(world.referent, world.porteur, permanence(world).slots.first(), pathway)
    page = client_for(world.referent).post(
        "/cej/programme/agendas/", {"partnership": world.partnership.pk}
    )
    address = page.context["created_url"]
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert ProgrammeFeed.objects.get().token_hash != token  # stored hashed
    body = client.get(f"/cej/programme/agenda/{token}.ics").content.decode()
    assert "Atelier CV et lettre de motivation" in body and "Porteur\\, salle 2" in body
    assert "Permanence de la mission locale" in body
    youth = pathway.youth
    for personal in (youth.last_name, youth.first_names, youth.last_name.upper()):
        assert personal not in body
    # the creator leaving the partnership's members closes the feed
    Membership.objects.filter(user=world.referent).update(end_date=TODAY)
    assert client.get(f"/cej/programme/agenda/{token}.ics").status_code == 404
    assert client.get("/cej/programme/agenda/inconnu.ics").status_code == 404


def test_only_its_creator_revokes_a_feed(world, client_for):
    client_for(world.referent).post(
        "/cej/programme/agendas/", {"partnership": world.partnership.pk}
    )
    feed = ProgrammeFeed.objects.get()
    url = f"/cej/programme/agendas/{feed.pk}/supprimer/"
    assert client_for(world.counsellor).post(url).status_code == 403
    assert client_for(world.referent).post(url).status_code == 302
    assert not ProgrammeFeed.objects.exists()


def test_the_programme_pages_make_bounded_queries(
    world, pathway, client_for, django_assert_max_num_queries
):
    opened = permanence(world, slot_minutes=10)
    sessions = [workshop(world, starts_at=at(3, h), ends_at=at(3, h, 30)) for h in (9, 10, 11)]
    for session in sessions:
        register_youth(world.referent, world.porteur, session, pathway)
    book_slot(world.referent, world.porteur, opened.slots.first(), pathway)
    client = client_for(world.referent)
    client.get("/cej/programme/")  # the session's first request reads the membership
    month = f"/cej/programme/?mois={sessions[0].starts_at:%Y-%m}"
    with django_assert_max_num_queries(12):
        assert client.get(month).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(f"/cej/programme/seances/{sessions[0].pk}/").status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(f"/cej/programme/permanences/{opened.pk}/").status_code == 200


def test_a_session_and_a_permanence_are_opened_from_their_forms(world, client_for):
    moments = {"starts_at": at(5, 9), "ends_at": at(5, 11)}
    typed = {name: f"{moment:%Y-%m-%dT%H:%M}" for name, moment in moments.items()}
    session = client_for(world.counsellor).post(
        "/cej/programme/seances/nouvelle/",
        {
            "partnership": world.partnership.pk,
            "kind": "information",
            "title": "Information collective Garantie jeunes",
            "organiser": world.mission_locale.pk,
            "organiser_partner": "",
            "place": "Mission locale, salle 1",
            "capacity": 12,
            **typed,
        },
    )
    created = CollectiveSession.objects.get()
    assert session.url == f"/cej/programme/seances/{created.pk}/"
    assert (created.organiser, created.capacity) == (world.mission_locale, 12)
    opened = client_for(world.counsellor).post(
        "/cej/programme/permanences/nouvelle/",
        {
            "partnership": world.partnership.pk,
            "counsellor": world.counsellor.pk,
            "place": "Porteur",
            "slot_minutes": 40,
            **typed,
        },
    )
    assert opened.status_code == 302
    assert world.partnership.cej_permanences.get().slots.count() == 3
