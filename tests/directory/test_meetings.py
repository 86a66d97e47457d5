"""Partner meetings: copil, weekly committees and quarterly porteurs'
meetings with agenda, attendance, minutes, decisions with owners and due dates, ICS
invitations and a decision log searchable across meetings; no youth data."""

from __future__ import annotations

import datetime
from html import unescape

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from coparcours.directory import meetings
from coparcours.directory.models import Decision, Meeting, MeetingKind

COPIL = "Copil du CEJ-JR Lille"
QUARTERLY = "Réunion trimestrielle des porteurs"


def _at(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


@pytest.fixture
def copil(demo) -> Meeting:
    return Meeting.objects.get(title=COPIL)


def test_schedule_a_copil_from_the_page_with_invitees(demo, login_client):
    referent = login_client(demo.users["referente"])
    form = unescape(referent.get("/annuaire/reunions/nouvelle/").content.decode())
    assert "n'y mettez aucune donnée personnelle sur un jeune" in form
    response = referent.post(
        "/annuaire/reunions/nouvelle/",
        {
            "consortia": [demo.cej_jr.pk],
            "kind": MeetingKind.COPIL,
            "title": "Copil de printemps",
            "starts_at": _at(20, 14),
            "ends_at": _at(20, 16),
            "location": "DREETS",
            "agenda": "Bilan du semestre.",
            "invitees": [demo.users["conseiller"].pk, demo.users["dreets"].pk],
            "repeat": 1,
        },
    )
    meeting = Meeting.objects.get(title="Copil de printemps")
    assert response.url == f"/annuaire/reunions/{meeting.pk}/"
    assert meeting.organiser_organisation == demo.porteur
    assert {a.user for a in meeting.attendances.all()} == {
        demo.users["conseiller"],
        demo.users["dreets"],
    }
    page = unescape(referent.get(response.url).content.decode())
    assert "Bilan du semestre." in page and "aucune donnée personnelle sur un jeune" in page


def test_bad_schedules_are_refused_in_french_and_nothing_is_saved(demo, login_client):
    referent = login_client(demo.users["referente"])
    before = Meeting.objects.count()
    data = {
        "consortia": [demo.cej_jr.pk],
        "kind": MeetingKind.COPIL,
        "title": "Copil impossible",
        "starts_at": _at(20, 16),
        "ends_at": _at(20, 14),
        "agenda": "…",
        "invitees": [demo.users["direction"].pk],  # Temps de vie: not in the partnership
        "repeat": 3,
    }
    page = unescape(referent.post("/annuaire/reunions/nouvelle/", data).content.decode())
    assert "La fin doit être postérieure au début." in page
    data["ends_at"] = _at(20, 18)
    page = unescape(referent.post("/annuaire/reunions/nouvelle/", data).content.decode())
    assert "Seuls les comités hebdomadaires et trimestriels se programment en série." in page
    data["repeat"] = 1
    page = unescape(referent.post("/annuaire/reunions/nouvelle/", data).content.decode())
    assert "ne travaillent dans aucun membre ni financeur de ces partenariats" in page
    assert "Sophie Delattre" in page
    assert Meeting.objects.count() == before


def test_weekly_and_quarterly_series(demo):
    start = timezone.make_aware(datetime.datetime(2031, 1, 31, 10))
    weekly = meetings.schedule_meeting(
        demo.users["referente"], consortia=[demo.cej_jr], kind=MeetingKind.WEEKLY,
        title="Comité", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
        agenda="Points de blocage.", repeat=3,
    )  # fmt: skip
    assert [m.starts_at.date() for m in weekly] == [
        datetime.date(2031, 1, 31), datetime.date(2031, 2, 7), datetime.date(2031, 2, 14)
    ]  # fmt: skip
    spring = timezone.make_aware(datetime.datetime(2031, 3, 20, 10))  # clocks change on 30/3
    across = meetings.schedule_meeting(
        demo.users["referente"], consortia=[demo.cej_jr], kind=MeetingKind.WEEKLY,
        title="Comité", starts_at=spring, ends_at=spring + datetime.timedelta(hours=1),
        agenda="Points de blocage.", repeat=3,
    )  # fmt: skip
    assert [timezone.localtime(m.starts_at).hour for m in across] == [10, 10, 10]
    # a series at 02:30 meets the night the clocks skip 02:00-03:00 (30/3/2031): that
    # meeting starts at 03:30, and every one lasts its hour
    night = timezone.make_aware(datetime.datetime(2031, 3, 23, 2, 30))
    gap = meetings.schedule_meeting(
        demo.users["referente"], consortia=[demo.cej_jr], kind=MeetingKind.WEEKLY,
        title="Veille de nuit", starts_at=night, ends_at=night + datetime.timedelta(hours=1),
        agenda="Maraude.", repeat=3,
    )  # fmt: skip
    assert [timezone.localtime(m.starts_at).strftime("%d %H:%M") for m in gap] == [
        "23 02:30", "30 03:30", "06 02:30"
    ]  # fmt: skip
    assert {m.ends_at - m.starts_at for m in gap} == {datetime.timedelta(hours=1)}
    quarterly = meetings.schedule_meeting(
        demo.users["coordination"], consortia=[demo.gme, demo.cej_jr],
        kind=MeetingKind.QUARTERLY, title="Porteurs", starts_at=start,
        ends_at=start + datetime.timedelta(hours=3), agenda="Tour de table.", repeat=3,
    )  # fmt: skip
    assert [timezone.localtime(m.starts_at).date() for m in quarterly] == [
        datetime.date(2031, 1, 31), datetime.date(2031, 4, 30), datetime.date(2031, 7, 31)
    ]  # fmt: skip
    assert all(timezone.localtime(m.starts_at).hour == 10 for m in quarterly)
    assert set(quarterly[0].consortia.all()) == {demo.gme, demo.cej_jr}


def test_who_reads_and_who_writes_meetings(demo, login_client, copil):
    quarterly = Meeting.objects.get(title=QUARTERLY)
    funder = login_client(demo.users["dreets"])  # the CEJ-JR's funder sits in the copil
    assert funder.get(f"/annuaire/reunions/{copil.pk}/").status_code == 200
    refused = funder.post(
        f"/annuaire/reunions/{copil.pk}/",
        {"form": "decision", "text": "…", "owner": demo.users["dreets"].pk},
    )
    assert refused.status_code == 403
    assert funder.get("/annuaire/reunions/nouvelle/").status_code == 403
    director = login_client(demo.users["direction"])  # Temps de vie, GME member only
    assert director.get(f"/annuaire/reunions/{copil.pk}/").status_code == 404
    assert director.get(f"/annuaire/reunions/{copil.pk}/invitation.ics").status_code == 404
    assert director.get(f"/api/v1/directory/meetings/{copil.pk}").status_code == 404
    assert director.get(f"/annuaire/reunions/{quarterly.pk}/").status_code == 200
    listed = unescape(director.get("/annuaire/reunions/").content.decode())
    assert QUARTERLY in listed and COPIL not in listed
    assert COPIL not in director.get("/annuaire/decisions/").content.decode()
    outsider = login_client(demo.users["departement"])  # funds the GME, not the CEJ-JR
    assert outsider.get(f"/annuaire/reunions/{copil.pk}/").status_code == 404
    assert Decision.objects.filter(meeting=copil).count() == 3


def test_minutes_attendance_and_decisions(demo, login_client, copil):
    referent = login_client(demo.users["referente"])
    dreets = copil.attendances.get(user=demo.users["dreets"])
    data = {"form": "minutes", "minutes": "Compte rendu validé."}
    data.update({f"presence_{a.pk}": "present" for a in copil.attendances.all()})
    data[f"presence_{dreets.pk}"] = "excused"
    assert referent.post(f"/annuaire/reunions/{copil.pk}/", data).status_code == 302
    copil.refresh_from_db()
    dreets.refresh_from_db()
    assert copil.minutes == "Compte rendu validé." and dreets.status == "excused"
    late = referent.post(
        f"/annuaire/reunions/{copil.pk}/",
        {"form": "decision", "text": "Relancer la CAF.", "owner": demo.users["conseiller"].pk,
         "due_on": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
    )  # fmt: skip
    assert "L'échéance ne peut précéder la réunion." in unescape(late.content.decode())
    stranger = referent.post(
        f"/annuaire/reunions/{copil.pk}/",
        {"form": "decision", "text": "Relancer la CAF.", "owner": demo.users["direction"].pk},
    )
    assert "Sélectionnez un choix valide" in unescape(stranger.content.decode())
    due = timezone.localdate() + datetime.timedelta(days=10)
    ok = referent.post(
        f"/annuaire/reunions/{copil.pk}/",
        {"form": "decision", "text": "Relancer la CAF.", "owner": demo.users["conseiller"].pk,
         "due_on": due.isoformat()},
    )  # fmt: skip
    assert ok.status_code == 302
    decision = Decision.objects.get(text="Relancer la CAF.")
    assert decision.owner == demo.users["conseiller"] and decision.due_on == due
    done = referent.post(
        f"/annuaire/decisions/{decision.pk}/faite/", {"next": "https://ailleurs.example.org/"}
    )
    assert done.url == "/annuaire/decisions/"
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_on == timezone.localdate()


def test_ics_invitation_and_its_update(demo, login_client, copil):
    referent = login_client(demo.users["referente"])
    response = referent.get(f"/annuaire/reunions/{copil.pk}/invitation.ics")
    assert response["Content-Type"] == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{copil.uid}@coparcours"
    assert str(event["summary"]) == f"Comité de pilotage (copil) — {COPIL}"
    assert event.decoded("dtstart") == copil.starts_at
    attendees = {str(a).removeprefix("mailto:") for a in event.get("attendee")}
    assert attendees == {
        demo.users["referente"].email, demo.users["conseiller"].email, demo.users["dreets"].email
    }  # fmt: skip
    mail.outbox.clear()
    assert referent.post(f"/annuaire/reunions/{copil.pk}/inviter/").status_code == 302
    assert referent.post(f"/annuaire/reunions/{copil.pk}/inviter/").status_code == 302
    first, second = mail.outbox
    assert set(first.bcc) == attendees
    name, _content, mimetype = first.attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    sequences = [
        icalendar.Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0]["sequence"]
        for m in (first, second)
    ]
    assert sequences == [0, 1]  # the second sending updates the same event
    api = referent.get(f"/api/v1/directory/meetings/{copil.pk}/invitation.ics")
    assert api.status_code == 200 and b"BEGIN:VCALENDAR" in api.content


def test_decision_log_searches_across_meetings(demo, login_client, copil):
    quarterly = Meeting.objects.get(title=QUARTERLY)
    meetings.add_decision(
        demo.users["coordination"], quarterly, text="Rédiger une fiche santé mentale commune.",
        owner=demo.users["referente"], due_on=None,
    )  # fmt: skip
    counsellor = login_client(demo.users["conseiller"])
    page = unescape(counsellor.get("/annuaire/decisions/", {"q": "SANTE mentale"}).content.decode())
    assert "Rédiger une fiche santé mentale commune." in page  # quarterly meeting
    assert "Demander au CMP de secteur une permanence" not in page
    cmp = unescape(counsellor.get("/annuaire/decisions/", {"q": "cmp"}).content.decode())
    assert "Demander au CMP de secteur une permanence" in cmp and COPIL in cmp
    done = counsellor.get("/annuaire/decisions/", {"status": "done"})
    assert [d.text for d in done.context["page"].object_list] == [
        "Mettre à jour la charte « qui fait quoi » avec le rôle du SIAO."
    ]
    api = counsellor.get(
        "/api/v1/directory/decisions", {"q": "planning", "consortium_id": demo.cej_jr.pk}
    ).json()
    assert [d["meeting"] for d in api["items"]] == [COPIL]
    director = login_client(demo.users["direction"])  # GME: sees the quarterly's decision only
    seen = director.get("/api/v1/directory/decisions").json()
    assert [d["text"] for d in seen["items"]] == ["Rédiger une fiche santé mentale commune."]


def test_api_schedules_and_reads_a_meeting(demo, login_client):
    referent = login_client(demo.users["referente"])
    created = referent.post(
        "/api/v1/directory/meetings",
        {"consortium_ids": [demo.cej_jr.pk], "kind": "weekly", "title": "Comité API",
         "starts_at": _at(3, 10), "ends_at": _at(3, 11), "agenda": "Points de la semaine.",
         "invitee_ids": [demo.users["conseiller"].pk], "repeat": 2},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    first = created.json()[0]
    detail = referent.get(f"/api/v1/directory/meetings/{first['id']}").json()
    assert detail["attendances"][0]["name"] == "Karim Haddad"
    assert detail["ics_url"].endswith(f"/meetings/{first['id']}/invitation.ics")
    decision = referent.post(
        f"/api/v1/directory/meetings/{first['id']}/decisions",
        {"text": "Préparer le copil.", "owner_id": demo.users["conseiller"].pk},
        content_type="application/json",
    )
    assert decision.status_code == 201 and decision.json()["owner"] == "Karim Haddad"
    refused = login_client(demo.users["dreets"]).post(
        "/api/v1/directory/meetings",
        {"consortium_ids": [demo.cej_jr.pk], "kind": "copil", "title": "Copil DREETS",
         "starts_at": _at(3, 10), "ends_at": _at(3, 11), "agenda": "…"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 403
    assert not Meeting.objects.filter(title="Copil DREETS").exists()


def test_meeting_pages_query_count_does_not_grow(
    demo, login_client, copil, django_assert_max_num_queries
):
    referent = login_client(demo.users["referente"])
    pages = [
        f"/annuaire/reunions/{copil.pk}/",
        "/annuaire/reunions/",
        "/annuaire/decisions/",
        "/api/v1/directory/meetings",
        "/api/v1/directory/decisions",
    ]
    budgets = {page: 0 for page in pages}
    for page in pages:
        with django_assert_max_num_queries(25) as captured:
            assert referent.get(page).status_code == 200
        budgets[page] = len(captured)
    start = timezone.now() - datetime.timedelta(days=400)
    series = meetings.schedule_meeting(
        demo.users["referente"], consortia=[demo.cej_jr], kind=MeetingKind.WEEKLY,
        title="Comité passé", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
        agenda="…", invitees=[demo.users["referente"], demo.users["conseiller"]], repeat=30,
    )  # fmt: skip
    for meeting in series:
        meetings.add_decision(
            demo.users["referente"], meeting, text="Décision", owner=demo.users["conseiller"],
            due_on=None,
        )  # fmt: skip
        meetings.add_decision(
            demo.users["referente"], copil, text="Autre décision",
            owner=demo.users["referente"], due_on=None,
        )  # fmt: skip
    for page in pages:
        with django_assert_max_num_queries(budgets[page]):
            assert referent.get(page).status_code == 200


def test_moving_a_meeting_updates_the_invitation(demo, login_client, copil):
    referent = login_client(demo.users["referente"])
    form = referent.get(f"/annuaire/reunions/{copil.pk}/modifier/")
    assert form.status_code == 200
    response = referent.post(
        f"/annuaire/reunions/{copil.pk}/modifier/",
        {"title": "Copil du CEJ-JR Lille (reporté)", "starts_at": _at(30, 9),
         "ends_at": _at(30, 11), "location": "Visioconférence", "agenda": "Bilan.",
         "invitees": [demo.users["conseiller"].pk, demo.users["referente"].pk]},
    )  # fmt: skip
    assert response.status_code == 302
    copil.refresh_from_db()
    assert copil.sequence == 1 and copil.location == "Visioconférence"
    assert {a.user for a in copil.attendances.all()} == {
        demo.users["conseiller"], demo.users["referente"]
    }  # fmt: skip
    assert copil.decisions.count() == 3  # the decisions stay
    event = icalendar.Calendar.from_ical(meetings.meeting_ics(copil)).walk("VEVENT")[0]
    assert event["sequence"] == 1 and event.decoded("dtstart") == copil.starts_at
    funder = login_client(demo.users["dreets"])
    assert funder.get(f"/annuaire/reunions/{copil.pk}/modifier/").status_code == 403
