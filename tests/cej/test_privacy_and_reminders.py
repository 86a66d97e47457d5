"""Privacy and reminders of CEJ-JR pathways and co-accompaniment: the planning, the ICS
feeds and the youth's page are audited; stored Monday follow-ups follow erasure and
retention; review reminders reach every partner once; the follow-up job on lists of ids of
any length."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.cej import followup
from coparcours.cej.models import (
    Activity,
    FollowUpPreference,
    PartnershipSettings,
    Pathway,
    Review,
    ReviewReminder,
    WeeklyFollowUp,
)
from coparcours.cej.privacy import apply_cej_retention
from coparcours.cej.rules import Stage
from coparcours.cej.services.interviews import record_interview, set_counsellor
from coparcours.cej.services.reviews import remind_reviews
from coparcours.core import batches
from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role
from coparcours.youths.factories import ConsentFactory
from coparcours.youths.privacy.anonymisation import ERASED, anonymise_youth, pseudonym
from coparcours.youths.privacy.erasure import decide_erasure_request, record_erasure_request

from .co_accompaniment import LAST_WEEK, _activity, _at, _consent
from .conftest import TODAY, born, give_link, member
from .test_pathway_services import _to_remobilisation

EE = Category.EDUCATION_EMPLOYMENT
PLANNING = "Planning partagé"
FEED = "Agenda ICS lu par son adresse secrète"


def _youth(world, name: str, *, consent: bool = True) -> Pathway:
    """A spotted youth with one workshop of the porteur last week (ORM: no overlap check
    needed), shared with the mission locale when ``consent``."""
    pathway = world.outreach(
        youth_fields={
            "last_name": name,
            "first_names": "Alex",
            "birth_date": datetime.date(2004, 5, 6),
        }
    )
    if consent:
        _consent(world, pathway)
    Activity.objects.create(
        youth=pathway.youth,
        author_organisation=world.porteur,
        pathway=pathway,
        kind="workshop",
        title=f"Atelier de {name}",
        starts_at=_at(LAST_WEEK, 10),
        duration_minutes=60,
        organisation=world.porteur,
        attended=True,
    )
    return pathway


def _reads(reason: str, **filters) -> AuditLog:
    return AuditLog.objects.filter(event=AuditEvent.READ, reason=reason, **filters)


# --- 1. Audit of the planning, the feeds and the youth's page ---------------------------


def test_the_planning_writes_one_read_per_youth_shown(world, client_for):
    shared = _youth(world, "Partage")
    private = _youth(world, "Prive", consent=False)
    client = client_for(world.counsellor)
    page = client.get(f"/cej/planning/?du={LAST_WEEK}").content.decode()
    assert "PARTAGE" in page and "PRIVE" not in page
    lines = _reads(PLANNING, user=world.counsellor)
    assert list(lines.values_list("youth_id", "category", "organisation_id")) == [
        (shared.youth_id, EE, world.mission_locale.pk)
    ]
    assert not _reads(PLANNING, youth_id=private.youth_id).exists()
    client.get(f"/cej/planning/?vue=mois&du={LAST_WEEK}")
    assert _reads(PLANNING, user=world.counsellor, youth_id=shared.youth_id).count() == 2
    # nobody of an unrelated organisation reads anything, so nothing is logged as read
    outsider = member(world.unrelated, Role.REFERENT)
    client_for(outsider).get(f"/cej/planning/?du={LAST_WEEK}")
    assert not _reads(PLANNING, user=outsider).exists()
    # the referent reads both youths: two lines, through the porteur
    client_for(world.referent).get(f"/cej/planning/?du={LAST_WEEK}")
    assert set(
        _reads(PLANNING, user=world.referent).values_list("youth_id", "organisation_id")
    ) == {(shared.youth_id, world.porteur.pk), (private.youth_id, world.porteur.pk)}


def test_the_planning_audit_costs_the_same_queries_for_many_youths(world, client_for):
    counts = []
    for names in (["Un"], ["Deux", "Trois", "Quatre", "Cinq", "Six", "Sept"]):
        for name in names:
            _youth(world, name)
        client = client_for(world.counsellor)
        before = _reads(PLANNING).count()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cej/planning/?du={LAST_WEEK}").status_code == 200
        counts.append(len(queries))
        assert _reads(PLANNING).count() - before == Pathway.objects.count()
    assert counts[0] == counts[1] <= 17


def test_ics_feeds_are_audited_without_their_secret_address(world, client_for):
    shared = _youth(world, "Partage")
    other = _youth(world, "Autre")
    Activity.objects.filter(pathway__in=[shared, other]).update(
        starts_at=_at(TODAY, 10), ends_at=_at(TODAY, 11)
    )
    client = client_for(world.counsellor)
    html = client.post("/cej/agendas/").content.decode()
    url = html.split('<code id="feed-url">')[1].split("</code>")[0]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    anonymous = client.__class__()
    assert "BEGIN:VEVENT" in anonymous.get(url).content.decode()
    lines = _reads(FEED, user=world.counsellor)
    assert set(lines.values_list("youth_id", flat=True)) == {shared.youth_id, other.youth_id}
    assert not AuditLog.objects.filter(path__contains=token).exists()
    assert set(lines.values_list("path", flat=True)) == {"/cej/agendas/<adresse secrète>.ics"}
    # one youth's feed: that youth only
    html = client.post("/cej/agendas/", {"pathway": shared.pk}).content.decode()
    youth_url = html.split('<code id="feed-url">')[1].split("</code>")[0]
    before = lines.count()
    anonymous.get(youth_url)
    assert list(_reads(FEED).order_by("-pk").values_list("youth_id", flat=True)[:1]) == [
        shared.youth_id
    ]
    assert lines.count() == before + 1
    # a wrong token, or a creator who left the mission locale: nothing read, nothing logged
    assert anonymous.get("/cej/agendas/mauvais-jeton.ics").status_code == 404
    world.counsellor.memberships.update(end_date=TODAY)
    anonymous.get(url)
    assert lines.count() == before + 1


def test_the_youths_own_page_is_audited_each_time_it_is_read(world, client_for):
    pathway = _youth(world, "Partage")
    token = give_link(world.referent, world.porteur, pathway)
    youth = client_for(world.referent).__class__()
    opened = youth.post(f"/mon-espace/{token}/", born(pathway), follow=True)
    assert opened.status_code == 200
    youth.get("/mon-espace/")
    reason = f"page du jeune, lien créé par {world.referent}, {world.porteur.name}"
    lines = _reads(reason, youth_id=pathway.youth_id)
    assert lines.count() == 2
    assert set(lines.values_list("user_id", "organisation_id")) == {(None, world.porteur.pk)}
    assert youth.__class__().get("/mon-espace/").status_code == 403  # no session
    assert lines.count() == 2


# --- 2. Stored follow-ups follow erasure and retention --------------------------------


@pytest.fixture
def follow_up(world):
    """Last week's detailed follow-up of the counsellor, with two youths."""
    settings_row = PartnershipSettings.objects.get(partnership=world.partnership)
    FollowUpPreference.objects.create(
        settings=settings_row, mission_locale=world.mission_locale, detail="per_activity"
    )
    erased = _youth(world, "Effacee")
    kept = _youth(world, "Gardee")
    for pathway in (erased, kept):
        pathway.identified_on = LAST_WEEK - datetime.timedelta(days=20)
        pathway.save()
        set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    followup.produce(LAST_WEEK, send_now=False)
    follow_up = WeeklyFollowUp.objects.get()
    assert "EFFACEE" in str(follow_up.rows) and "Atelier de Effacee" in str(follow_up.rows)
    return follow_up, erased, kept


def _rows_by_pathway(follow_up) -> dict[int, dict]:
    follow_up.refresh_from_db()
    return {row["pathway_id"]: row for row in follow_up.rows}


def test_anonymising_a_youth_pseudonymises_them_in_stored_follow_ups(world, follow_up):
    follow_up, erased, kept = follow_up
    assert anonymise_youth(erased.youth_id, reason="test")
    rows = _rows_by_pathway(follow_up)
    assert rows[erased.pk]["youth"] == pseudonym(erased.youth_id)
    assert [a["label"] for a in rows[erased.pk]["activities"]] == [ERASED]
    assert rows[erased.pk]["total"] == "1 h 00"  # the hours stay for statistics
    assert "Effacee" not in str(follow_up.rows) and "EFFACEE" not in str(follow_up.rows)
    assert rows[kept.pk]["youth"] == "GARDEE Alex"
    assert rows[kept.pk]["activities"][0]["label"].endswith("Atelier de Gardee")
    erased.refresh_from_db()
    assert (erased.spotted_where, erased.data_erased_on) == (ERASED, TODAY)
    kept.refresh_from_db()
    assert kept.data_erased_on is None


def test_an_accepted_erasure_request_reaches_stored_follow_ups_a_refused_one_does_not(
    world, follow_up
):
    follow_up, erased, kept = follow_up
    dpo = member(world.porteur, Role.DATA_PROTECTION_OFFICER)
    refused = record_erasure_request(
        world.referent, kept.youth, received_on=TODAY, requester="youth", reason="Je pars."
    )
    decide_erasure_request(dpo, refused, approve=False, motive="Contrat en cours")
    request = record_erasure_request(
        world.referent, erased.youth, received_on=TODAY, requester="youth", reason="Je pars."
    )
    decide_erasure_request(dpo, request, approve=True, motive="Aucune obligation")
    rows = _rows_by_pathway(follow_up)
    assert rows[erased.pk]["youth"] == pseudonym(erased.youth_id)
    assert rows[kept.pk]["youth"] == "GARDEE Alex"
    assert AuditLog.objects.filter(
        youth_id=erased.youth_id,
        reason="Effacement des données CEJ-JR : dossier du jeune anonymisé",
    ).exists()


def test_cej_retention_pseudonymises_the_follow_ups_of_pathways_ended_long_ago(world, follow_up):
    follow_up, erased, kept = follow_up
    Pathway.objects.filter(pk=erased.pk).update(
        stage=Stage.EXIT, exit_on=TODAY - datetime.timedelta(days=3700)
    )
    assert apply_cej_retention(TODAY) == [erased.pk]
    rows = _rows_by_pathway(follow_up)
    assert rows[erased.pk]["youth"] == pseudonym(erased.youth_id)
    assert rows[kept.pk]["youth"] == "GARDEE Alex"
    assert apply_cej_retention(TODAY) == []


# --- 3. Review reminders to every partner ----------------------------------------------


def test_review_reminders_reach_every_partner_once_without_health_content(world):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=[EE],
        start_date=TODAY,
        author_organisation=world.porteur,
    )
    record_interview(
        world.referent,
        world.porteur,
        pathway,
        kind="synthesis",
        category=Category.HEALTH,
        title="Synthèse santé",
        text="Suivi psychiatrique en cours.",
        occurred_on=TODAY,
    )
    second_referent = member(world.porteur, Role.REFERENT)
    second_counsellor = member(world.mission_locale, Role.COUNSELLOR)
    coordinator = member(world.porteur, Role.COORDINATOR)
    outsider = member(world.unrelated, Role.REFERENT)
    gone = member(world.mission_locale, Role.COUNSELLOR)
    gone.memberships.update(end_date=TODAY)
    Review.objects.filter(pathway=pathway, milestone_months=3).update(due_on=TODAY)

    assert len(remind_reviews(TODAY)) == 1
    partners = {world.referent, world.counsellor, second_referent, second_counsellor}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in partners)
    assert all(len(m.to) == 1 for m in mail.outbox)
    for excluded in (coordinator, outsider, gone):
        assert not any(excluded.email in m.to for m in mail.outbox)
    for message in mail.outbox:
        assert "Bilan à 3 mois" in message.subject
        assert "psychiatrique" not in message.body and "santé" not in message.body
    assert ReviewReminder.objects.count() == 4

    assert remind_reviews(TODAY) == []  # once per review and person
    assert remind_reviews(TODAY + datetime.timedelta(days=8)) == []
    assert len(mail.outbox) == 4
    newcomer = member(world.mission_locale, Role.COUNSELLOR)
    assert len(remind_reviews(TODAY)) == 1
    assert [m.to for m in mail.outbox[4:]] == [[newcomer.email]]


def test_no_reminder_for_a_held_review_nor_an_ended_pathway(world):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    Review.objects.filter(pathway=pathway).update(due_on=TODAY)
    Review.objects.filter(pathway=pathway, milestone_months=3).update(held_on=TODAY)
    Pathway.objects.filter(pk=pathway.pk).update(stage=Stage.EXIT)
    assert remind_reviews(TODAY) == []
    assert mail.outbox == []


# --- 4. Lists of ids of any length -----------------------------------------------------


def test_the_follow_up_is_the_same_when_ids_are_queried_by_chunks(world, monkeypatch):
    settings_row = PartnershipSettings.objects.get(partnership=world.partnership)
    FollowUpPreference.objects.create(
        settings=settings_row, mission_locale=world.mission_locale, detail="per_activity"
    )
    for name in ("Un", "Deux", "Trois"):
        pathway = _youth(world, name)
        pathway.identified_on = LAST_WEEK - datetime.timedelta(days=20)
        pathway.save()
        set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    _activity(world, pathway, LAST_WEEK, 14, 90, by_ml=True, title="Formation")
    followup.produce(LAST_WEEK, send_now=False)
    whole = WeeklyFollowUp.objects.get().rows
    WeeklyFollowUp.objects.all().delete()
    monkeypatch.setattr(batches, "IDS_PER_QUERY", 1)
    followup.produce(LAST_WEEK, send_now=False)
    assert WeeklyFollowUp.objects.get().rows == whole
    assert [row["youth"] for row in whole] == ["DEUX Alex", "TROIS Alex", "UN Alex"]
    assert whole[1]["mission_locale"] == "1 h 30" and len(whole[1]["activities"]) == 2
