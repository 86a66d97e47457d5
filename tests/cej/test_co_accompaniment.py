"""Co-accompaniment: "who does what", action plan, activities and weekly hours, Monday follow-up,
interviews, milestone reviews, the youth's own page and the ICS feeds."""

from __future__ import annotations

import base64
import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from coparcours.cej import followup, rules, services, youth_page
from coparcours.cej.models import (
    Activity,
    CalendarFeed,
    FollowUpPreference,
    PartnershipSettings,
    Review,
    WeeklyFollowUp,
)
from coparcours.cej.rules import Stage
from coparcours.core.access import Category
from coparcours.core.models import AuditLog
from coparcours.organisations.models import Role
from coparcours.youths.factories import ConsentFactory

from .conftest import TODAY, member
from .test_pathway_services import _contract, _to_remobilisation

EE = Category.EDUCATION_EMPLOYMENT
LAST_WEEK = rules.week_start(TODAY) - datetime.timedelta(days=7)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _consent(world, pathway, categories=(EE,)):
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=list(categories),
        start_date=TODAY - datetime.timedelta(days=30),
        author_organisation=world.porteur,
    )


def _activity(world, pathway, day, hour, minutes, *, by_ml=False, kind="workshop", **extra):
    user, org = (
        (world.counsellor, world.mission_locale) if by_ml else (world.referent, world.porteur)
    )
    return services.add_activity(
        user,
        org,
        pathway,
        kind=kind,
        title=extra.pop("title", "Atelier CV"),
        starts_at=_at(day, hour),
        duration_minutes=minutes,
        responsible=org,
        attended=extra.pop("attended", True),
    )


@pytest.fixture
def pathway(world):
    """A youth under contract since last week's Monday, shared with the mission locale."""
    pathway = _contract(world)
    pathway.contract_start = LAST_WEEK
    pathway.identified_on = LAST_WEEK - datetime.timedelta(days=20)
    pathway.save()
    _consent(world, pathway)
    services.set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    return pathway


# --- "who does what" and the plan -------------------------------------------------------


def test_the_charter_has_defaults_is_editable_and_printable(world, client_for):
    client = client_for(world.referent)
    url = f"/cej/partenariats/{world.partnership.pk}/qui-fait-quoi/"
    page = client.get(url).content.decode()
    assert "Mission locale" in page and "Accompagnement social global par le porteur." in page
    lines = services.charter(world.partnership)
    assert {line.dimension: line.lead for line in lines}["employment"] == "mission_locale"
    assert {line.dimension: line.lead for line in lines}["housing"] == "porteur"
    data = {f"lead_{line.dimension}": line.lead for line in lines}
    data |= {f"what_{line.dimension}": line.what for line in lines}
    data["lead_housing"] = "shared"
    data["what_housing"] = "SIAO par le porteur, FSL par la mission locale"
    assert client_for(world.counsellor).post(url, data).status_code == 302
    assert services.charter(world.partnership)[1].what.startswith("SIAO")
    assert client.get(url.rstrip("/") + ".pdf")["Content-Type"] == "application/pdf"
    outsider = client_for(member(world.unrelated, Role.REFERENT))
    assert outsider.get(url).status_code == 403  # not a CEJ-JR partner: no committee at all


def test_plan_actions_are_owned_and_follow_the_policy(world, pathway):
    plan = services.start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    with pytest.raises(ValidationError, match="déjà un plan"):
        services.start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    outsider = member(world.unrelated, Role.REFERENT)
    with pytest.raises(ValidationError, match="Choisissez une personne membre"):
        services.add_plan_action(
            world.referent,
            world.porteur,
            plan,
            dimension="employment",
            objective="Trouver une formation",
            action="Inscription à la POEC",
            owner_organisation=world.mission_locale,
            owner=outsider,
            due_on=TODAY,
        )
    job = services.add_plan_action(
        world.referent,
        world.porteur,
        plan,
        dimension="employment",
        objective="Trouver une formation",
        action="Inscription à la POEC",
        owner_organisation=world.mission_locale,
        owner=world.counsellor,
        due_on=TODAY,
    )
    care = services.add_plan_action(
        world.referent,
        world.porteur,
        plan,
        dimension="health",
        objective="Accès aux soins",
        action="Rendez-vous au CMP",
        owner_organisation=world.porteur,
        owner=world.referent,
        due_on=TODAY,
    )
    assert (job.category, care.category) == (EE, Category.HEALTH)
    with pytest.raises(PermissionDenied):  # a counsellor never reads health data
        services.set_action_status(world.counsellor, world.mission_locale, care, "done")
    services.set_action_status(world.referent, world.porteur, care, "in_progress")


def test_the_counsellor_does_not_see_a_health_action(world, pathway, client_for):
    test_plan_actions_are_owned_and_follow_the_policy(world, pathway)
    url = f"/cej/parcours/{pathway.pk}/accompagnement/"
    seen_by_counsellor = client_for(world.counsellor).get(url).content.decode()
    assert "Inscription à la POEC" in seen_by_counsellor
    assert "CMP" not in seen_by_counsellor
    assert "1 action protégée par le secret professionnel" in seen_by_counsellor
    assert "CMP" in client_for(world.referent).get(url).content.decode()


# --- activities and weekly hours --------------------------------------------------------


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


def _fifteen_hours(world, pathway, week=LAST_WEEK):
    for offset in range(3):  # porteur: 3 × 3 h
        _activity(world, pathway, week + datetime.timedelta(days=offset), 9, 180)
    for offset in range(3):  # mission locale: 3 × 2 h
        _activity(world, pathway, week + datetime.timedelta(days=offset), 14, 120, by_ml=True)


def test_weekly_hours_are_split_and_checked_from_the_contract_on(world, pathway):
    _fifteen_hours(world, pathway)
    _activity(world, pathway, LAST_WEEK + datetime.timedelta(days=4), 9, 60, attended=False)
    hours = services.week_hours(pathway, LAST_WEEK)
    assert (hours.porteur_minutes, hours.mission_locale_minutes) == (540, 360)
    assert (hours.total_hours, hours.minimum_hours, hours.reached) == (15, 15, True)
    before = services.week_hours(pathway, LAST_WEEK - datetime.timedelta(days=7))
    assert before.minimum_hours is None and before.reached is None  # remobilisation


def test_the_minimum_is_the_partnerships(world, pathway):
    PartnershipSettings.objects.filter(partnership=world.partnership).update(
        minimum_weekly_hours=20
    )
    pathway.refresh_from_db()
    _fifteen_hours(world, pathway)
    assert services.week_hours(pathway, LAST_WEEK).reached is False


# --- Monday follow-up -------------------------------------------------------------------


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
    services.set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
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
    done = referent.post("/cej/suivis/", {"week": LAST_WEEK.isoformat()}, follow=True)
    assert "1 suivi(s) envoyé(s)" in done.content.decode()
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


# --- reviews, interviews ----------------------------------------------------------------


def _chart(html: str) -> str:
    """The SVG text of the progress chart embedded in a page."""
    encoded = html.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    return base64.b64decode(encoded).decode()


def test_reviews_are_scheduled_rated_and_closed(world, client_for):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    reviews = list(pathway.reviews.all())
    assert [(r.milestone_months, r.due_on) for r in reviews] == [
        (3, rules.add_months(pathway.identified_on, 3)),
        (6, rules.add_months(pathway.identified_on, 6)),
    ]
    review = reviews[0]
    with pytest.raises(ValidationError, match="la note va de 1 à 4"):
        services.rate_review(
            world.referent, world.porteur, review, rater="porteur", scores={"housing": 5}
        )
    assert not review.ratings.exists()
    with pytest.raises(ValidationError, match="pour sa propre organisation"):
        services.rate_review(
            world.referent, world.porteur, review, rater="mission_locale", scores={"housing": 2}
        )
    services.rate_review(
        world.referent, world.porteur, review, rater="porteur", scores={"housing": 2}
    )
    services.rate_review(
        world.referent, world.porteur, review, rater="youth", scores={"housing": 3, "health": 1}
    )
    _consent(world, pathway)
    services.rate_review(
        world.counsellor,
        world.mission_locale,
        review,
        rater="mission_locale",
        scores={"employment": 2},
    )
    with pytest.raises(PermissionDenied):
        services.rate_review(
            world.counsellor, world.mission_locale, review, rater="youth", scores={"health": 2}
        )
    client = client_for(world.referent)
    url = f"/cej/parcours/{pathway.pk}/bilans/{review.pk}/"
    refused = client.post(url, {"held_on": TODAY.isoformat(), "next_steps": ""})
    assert "Ce champ est obligatoire" in refused.content.decode()
    client.post(url, {"held_on": TODAY.isoformat(), "next_steps": "Recherche de logement FJT"})
    review.refresh_from_db()
    assert review.held_on == TODAY
    page = client.get(f"/cej/parcours/{pathway.pk}/accompagnement/").content.decode()
    referent_chart = _chart(page)
    assert "Santé" in referent_chart and "Logement" in referent_chart
    counsellor_page = client_for(world.counsellor).get(
        f"/cej/parcours/{pathway.pk}/accompagnement/"
    )
    counsellor_chart = _chart(counsellor_page.content.decode())
    assert "Emploi et formation" in counsellor_chart and "Santé" not in counsellor_chart


def test_a_bad_rating_through_the_page_saves_nothing(world, client_for):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    review = pathway.reviews.first()
    response = client_for(world.referent).post(
        f"/cej/parcours/{pathway.pk}/bilans/{review.pk}/",
        {"rater": "porteur", "score_housing": "7"},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not review.ratings.exists()


def test_reminders_go_to_the_referent_and_the_counsellor_once(world, pathway):
    Review.objects.filter(pathway=pathway).delete()
    services.schedule_reviews(pathway)
    Review.objects.filter(pathway=pathway, milestone_months=3).update(due_on=TODAY)
    assert len(services.remind_reviews(TODAY)) == 1
    assert {m.to[0] for m in mail.outbox} == {world.referent.email, world.counsellor.email}
    assert services.remind_reviews(TODAY) == []


def test_a_health_synthesis_stays_with_its_author(world, pathway, client_for):
    services.record_interview(
        world.referent,
        world.porteur,
        pathway,
        kind="synthesis",
        category=Category.HEALTH,
        title="Synthèse santé",
        text="Suivi psychiatrique en cours.",
        occurred_on=TODAY,
    )
    services.record_interview(
        world.counsellor,
        world.mission_locale,
        pathway,
        kind="tripartite",
        category=EE,
        title="Entretien tripartite",
        text="Projet : CAP cuisine.",
        occurred_on=TODAY,
    )
    url = f"/cej/parcours/{pathway.pk}/accompagnement/"
    seen = client_for(world.counsellor).get(url).content.decode()
    assert "CAP cuisine" in seen and "psychiatrique" not in seen
    assert "psychiatrique" in client_for(world.referent).get(url).content.decode()


# --- the youth's page, the ICS feeds ----------------------------------------------------


def test_the_youths_link_is_one_time_and_expires(world, pathway, client_for):
    _activity(world, pathway, TODAY + datetime.timedelta(days=2), 10, 90, attended=None)
    response = client_for(world.referent).post(f"/cej/parcours/{pathway.pk}/lien-jeune/")
    html = response.content.decode()
    assert "<svg" in html
    url = html.split('<code id="youth-url">')[1].split("</code>")[0]
    youth = client_for(world.referent).__class__()
    page = youth.get(url, follow=True).content.decode()
    assert f"Bonjour {pathway.youth.first_names}" in page and "Atelier CV" in page
    assert "Mes heures cette semaine" in page
    assert youth.get(url).status_code == 410  # used once
    # the audit line of the opening does not give the link away to the log's readers
    opened = AuditLog.objects.get(reason__contains="lien à usage unique")
    assert opened.path == "/cej/mon-parcours/<lien à usage unique>/"
    assert url.rstrip("/").rsplit("/", 1)[-1] not in opened.path
    assert youth.__class__().get("/cej/mon-parcours/").status_code == 403
    token = youth_page.create_youth_link(world.referent, world.porteur, pathway)
    pathway.youth_links.filter(used_at__isnull=True).update(expires_at=timezone.now())
    assert youth.get(f"/cej/mon-parcours/{token}/").status_code == 410


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


@pytest.mark.parametrize("count", [1, 6])
def test_pages_use_a_bounded_number_of_queries(
    world, pathway, client_for, count, django_assert_max_num_queries
):
    for n in range(count):
        _activity(world, pathway, LAST_WEEK + datetime.timedelta(days=n), 9, 60)
    plan = services.start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    for n in range(count):
        services.add_plan_action(
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
