"""Co-accompaniment: the youth's own page, the ICS feeds and the planning, the pages'
query counts, and the co-accompaniment's API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.cej import followup, rules
from coparcours.cej.models import CalendarFeed, WeeklyFollowUp
from coparcours.cej.rules import Stage
from coparcours.cej.services.plan import add_plan_action, start_plan
from coparcours.core.access import Category
from coparcours.core.models import AuditLog

from .co_accompaniment import EE, LAST_WEEK, _activity, _at, _fifteen_hours
from .conftest import TODAY, born, give_link

# --- the youth's page, the ICS feeds, the planning ------------------------------------


def test_the_youths_link_is_one_time_and_expires(world, pathway, client_for):
    _activity(world, pathway, TODAY + datetime.timedelta(days=2), 10, 90, attended=None)
    response = client_for(world.referent).post(f"/cej/parcours/{pathway.pk}/lien-jeune/")
    html = response.content.decode()
    assert "<svg" in html
    url = html.split('<code id="youth-url">')[1].split("</code>")[0]
    youth = client_for(world.referent).__class__()
    page = youth.post(url, born(pathway), follow=True).content.decode()
    assert f"Bonjour <bdi>{pathway.youth.first_names}</bdi>" in page and "Atelier CV" in page
    assert "Mes heures cette semaine" in page
    assert youth.post(url, born(pathway)).status_code == 410  # used once
    assert youth.get(url).status_code == 410
    # the audit line of the opening does not give the link away to the log's readers
    opened = AuditLog.objects.get(reason__contains="lien à usage unique")
    assert opened.path == "/mon-espace/<lien à usage unique>/"
    assert url.rstrip("/").rsplit("/", 1)[-1] not in opened.path
    assert youth.__class__().get("/mon-espace/").status_code == 403
    token = give_link(world.referent, world.porteur, pathway)
    pathway.youth.space_links.filter(used_at__isnull=True).update(expires_at=timezone.now())
    assert youth.get(f"/mon-espace/{token}/").status_code == 410


def test_ics_feeds_follow_the_policy(world, pathway, client_for):
    # planned today, attendance not yet noted (a 9 o'clock activity is still ahead at night)
    _activity(
        world, pathway, TODAY, 9, 60, kind="health", title="Consultation au CMP", attended=None
    )
    client = client_for(world.counsellor)
    html = client.post("/cej/agendas/").content.decode()
    url = html.split('<code id="feed-url">')[1].split("</code>")[0]
    anonymous = client.__class__()
    ics = anonymous.get(url).content.decode()
    assert "BEGIN:VEVENT" in ics and "Activité CEJ-JR" in ics and "CMP" not in ics
    assert anonymous.get("/cej/agendas/wrong-token.ics").status_code == 404
    own = client_for(world.referent).post("/cej/agendas/", {"pathway": pathway.pk})
    referent_url = own.content.decode().split('<code id="feed-url">')[1].split("</code>")[0]
    assert "CMP" in anonymous.get(referent_url).content.decode()


def test_the_month_planning_and_a_revoked_feed(world, pathway, client_for):
    _activity(world, pathway, LAST_WEEK, 9, 60, title="Atelier du mois")
    client = client_for(world.referent)
    month = client.get(f"/cej/planning/?vue=mois&du={LAST_WEEK}").content.decode()
    assert "Atelier du mois" in month and "Mois du 01/" in month
    week = client.get(f"/cej/planning/?du={LAST_WEEK + datetime.timedelta(days=7)}")
    assert "Atelier du mois" not in week.content.decode()
    html = client.post("/cej/agendas/").content.decode()
    url = html.split('<code id="feed-url">')[1].split("</code>")[0]
    own = CalendarFeed.objects.get(user=world.referent)
    assert client_for(world.counsellor).post(f"/cej/agendas/{own.pk}/supprimer/").status_code == 404
    client.post(f"/cej/agendas/{own.pk}/supprimer/")
    assert client.__class__().get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_pages_use_a_bounded_number_of_queries(
    world, pathway, client_for, count, django_assert_max_num_queries
):
    for n in range(count):
        _activity(world, pathway, LAST_WEEK + datetime.timedelta(days=n), 9, 60)
    plan = start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    for n in range(count):
        add_plan_action(
            world.referent,
            world.porteur,
            plan,
            dimension="housing",
            objective=f"Objectif {n}",
            action=f"Action {n}",
            owner_organisation=world.porteur,
            owner=world.referent,
            due_on=TODAY,
        )
    client = client_for(world.counsellor)
    with django_assert_max_num_queries(40):
        assert (
            client.get(
                f"/cej/parcours/{pathway.pk}/accompagnement/?semaine={LAST_WEEK}"
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(15):
        assert client.get(f"/cej/planning/?du={LAST_WEEK}").status_code == 200
    followup.produce(LAST_WEEK)
    with django_assert_max_num_queries(12):
        assert client.get("/cej/suivis/").status_code == 200
    assert pathway.stage == Stage.CONTRACT


# --- the API --------------------------------------------------------------------------


def test_the_api_of_the_co_accompaniment(world, pathway, client_for):
    referent, counsellor = client_for(world.referent), client_for(world.counsellor)
    api = f"/api/v1/cej/pathways/{pathway.pk}"
    assert referent.get(api + "/plan").status_code == 404
    plan = referent.post(
        api + "/plan", {"diagnosis_on": TODAY.isoformat()}, content_type="application/json"
    )
    assert plan.status_code == 201
    action = {
        "dimension": "employment",
        "objective": "Formation",
        "action": "POEC",
        "owner_organisation_id": world.mission_locale.pk,
        "owner_id": world.counsellor.pk,
        "due_on": TODAY.isoformat(),
    }
    created = referent.post(api + "/plan/actions", action, content_type="application/json")
    assert created.status_code == 201 and created.json()["category"] == EE
    care = referent.post(
        api + "/plan/actions",
        action
        | {
            "dimension": "health",
            "owner_organisation_id": world.porteur.pk,
            "owner_id": world.referent.pk,
        },
        content_type="application/json",
    )
    assert care.json()["category"] == Category.HEALTH
    seen = counsellor.get(api + "/plan").json()
    assert [a["action"] for a in seen["actions"]] == ["POEC"] and seen["hidden_actions"] == 1
    status = counsellor.post(
        api + f"/plan/actions/{created.json()['id']}/status",
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert status.json()["status"] == "in_progress"

    too_long = referent.post(
        api + "/activities",
        {
            "kind": "workshop",
            "title": "Journée",
            "starts_at": _at(LAST_WEEK, 0).isoformat(),
            "duration_minutes": 1500,
            "responsible_id": world.porteur.pk,
            "attended": True,
        },
        content_type="application/json",
    )
    assert too_long.status_code == 422 and "24 heures" in str(too_long.json())
    _fifteen_hours(world, pathway)
    week = counsellor.get(api + f"/weekly-hours?week={LAST_WEEK}").json()[0]
    assert (week["total_hours"], week["minimum_hours"], week["reached"]) == ("15.00", 15, True)
    listed = counsellor.get(api + f"/activities?week={LAST_WEEK}").json()
    assert len(listed) == 6

    future = referent.post(
        "/api/v1/cej/follow-ups",
        {"week": rules.week_start(TODAY).isoformat()},
        content_type="application/json",
    )
    assert future.status_code == 422 and not WeeklyFollowUp.objects.exists()
    assert (
        counsellor.post(
            "/api/v1/cej/follow-ups",
            {"week": LAST_WEEK.isoformat()},
            content_type="application/json",
        ).status_code
        == 403
    )
    produced = referent.post(
        "/api/v1/cej/follow-ups", {"week": LAST_WEEK.isoformat()}, content_type="application/json"
    )
    assert produced.status_code == 201 and len(produced.json()) == 1
    inbox = counsellor.get("/api/v1/cej/follow-ups").json()
    assert inbox[0]["rows"][0]["total"] == "15 h 00"
    assert referent.get("/api/v1/cej/follow-ups").json() == []
    assert referent.get(f"/api/v1/cej/follow-ups/{inbox[0]['id']}").status_code == 404

    review = referent.get(api + "/reviews").json()[0]
    bad = referent.post(
        api + f"/reviews/{review['id']}/ratings",
        {"rater": "porteur", "scores": {"housing": 0}},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "la note va de 1 à 4" in str(bad.json())
    rated = referent.post(
        api + f"/reviews/{review['id']}/ratings",
        {"rater": "youth", "scores": {"housing": 2, "employment": 3}},
        content_type="application/json",
    )
    assert rated.status_code == 201
    closed = referent.post(
        api + f"/reviews/{review['id']}/close",
        {"held_on": TODAY.isoformat(), "next_steps": "Demande FJT"},
        content_type="application/json",
    )
    assert closed.json()["held_on"] == TODAY.isoformat()
    assert {r["dimension"] for r in counsellor.get(api + "/reviews").json()[0]["ratings"]} == {
        "employment"
    }
