"""The youths' "À traiter" blocks: what partners wrote since the last visit (only what the
policy lets the acting membership read), the pending erasure requests and the
administrators' exceptional reads; each row's act opens for the person shown it."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.core.access import Category, Relation, ShareBasis, break_glass_read
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Membership, Role
from coparcours.organisations.todo import Tone
from coparcours.youths.factories import (
    AssignmentFactory,
    ConsentFactory,
    NoteFactory,
    YouthFactory,
)
from coparcours.youths.home import (
    exceptional_reads,
    partner_news,
    pending_erasures,
)
from coparcours.youths.models import ErasureRequest, Note
from coparcours.youths.models.erasure import ErasureStatus
from coparcours.youths.rules import answer_due
from tests.organisations.todo_blocks import home_todo, labels


def _queries(find, user: User, organisation) -> int:
    """The queries a block costs for the user acting for the organisation (caches cold)."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.membership = (
        Membership.objects.active().with_standings().get(user=user, organisation=organisation)
    )
    with CaptureQueriesContext(connection) as captured:
        find(request)
    return len(captured)


def _opened(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Nouveau chez les partenaires ----------------------------------------------------------


@pytest.mark.django_db
def test_partner_news_lists_only_what_the_policy_opens(build_world, member_client):
    # The owner opened contact (and health) to the mission locale; its notes and documents
    # exist in every category.
    world = build_world("active", [Category.CONTACT, Category.HEALTH])
    counsellor, _ = member_client(world.partner, Role.COUNSELLOR)
    news = home_todo(counsellor)["partner_news"]
    # identity is opened to every organisation accompanying the youth, contact by the
    # consent; health is consented but a counsellor never reads health; housing, justice and
    # the free notes are the owner's own
    assert news.count == 4
    assert labels(news) == [str(world.youth)] * 4
    assert {row.detail.split(" de ")[0] for row in news.rows} == {
        "Note « Identité »",
        "Document « Identité »",
        "Note « Coordonnées »",
        "Document « Coordonnées »",
    }
    assert all(row.badge == "nouveau" and row.tone == Tone.NEW for row in news.rows)
    row = next(row for row in news.rows if row.detail.startswith("Note « Coordonnées »"))
    assert row.detail.startswith("Note « Coordonnées » de Association propriétaire, le ")
    assert row.url == f"/jeunes/{world.youth.pk}/#cat-contact"
    assert row.action == "Lire"
    page = _opened(counsellor, row.url)
    assert "NOTE-contact" in page  # the record shows what the row announced
    assert "NOTE-health" not in page and "NOTE-health" not in _opened(counsellor, "/")

    # a referent of the mission locale reads health, which the youth consented to
    referent, _ = member_client(world.partner, Role.REFERENT)
    assert home_todo(referent)["partner_news"].count == 6


@pytest.mark.django_db
def test_a_partners_note_in_a_category_not_shared_is_never_listed(build_world, member_client):
    world = build_world()  # no consent at all
    owner_referent, _ = member_client(world.owner, Role.REFERENT)
    partner_counsellor, partner_user = member_client(world.partner, Role.COUNSELLOR)
    note = NoteFactory(
        youth=world.youth,
        category=Category.EDUCATION_EMPLOYMENT,
        title="PARTNER-NOTE",
        author_organisation=world.partner,
        author=partner_user,
    )
    # the owner accompanies the youth but the mission locale shared nothing: not listed
    assert home_todo(owner_referent)["partner_news"].count == 0
    # a share on a legal basis opens education, never health
    ConsentFactory(
        youth=world.youth,
        organisation=world.owner,
        categories=[Category.EDUCATION_EMPLOYMENT, Category.HEALTH],
        basis=ShareBasis.LEGAL,
        author_organisation=world.partner,
    )
    NoteFactory(
        youth=world.youth,
        category=Category.HEALTH,
        title="PARTNER-HEALTH",
        author_organisation=world.partner,
    )
    news = home_todo(owner_referent)["partner_news"]
    assert news.count == 1
    assert news.rows[0].detail.startswith("Note « Scolarité, formation et emploi » de Mission")
    assert "PARTNER-NOTE" in _opened(owner_referent, news.rows[0].url)
    # the partner's own notes are not news to the partner; the owner's only as shared
    assert all(
        " de Mission" not in row.detail
        for row in home_todo(partner_counsellor)["partner_news"].rows
    )
    assert note.pk  # written by the partner, listed to the owner through the share only


@pytest.mark.django_db
def test_partner_news_counts_from_the_previous_sign_in(build_world, member_client):
    world = build_world("active", [Category.CONTACT])
    counsellor, user = member_client(world.partner, Role.COUNSELLOR)
    user.previous_login = timezone.now() - datetime.timedelta(hours=1)
    user.save(update_fields=["previous_login"])
    Note.objects.filter(youth=world.youth, category=Category.CONTACT).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    news = home_todo(counsellor)["partner_news"]
    assert {row.detail.split(" de ")[0] for row in news.rows} == {
        "Note « Identité »",
        "Document « Identité »",
        "Document « Coordonnées »",
    }


@pytest.mark.django_db
def test_partner_news_is_not_shown_to_others(build_world, member_client):
    world = build_world("active", [Category.CONTACT])
    unrelated, _ = member_client(world.unrelated, Role.COUNSELLOR)
    assert home_todo(unrelated)["partner_news"].count == 0
    funder, _ = member_client(world.funder, Role.FUNDER_VIEWER)
    assert "partner_news" not in home_todo(funder)
    coordinator, _ = member_client(world.partner, Role.COORDINATOR)  # no caseload
    assert "partner_news" not in home_todo(coordinator)


@pytest.mark.django_db
def test_partner_news_costs_the_same_queries_for_more_rows(build_world, member_client):
    world = build_world("active", [Category.CONTACT])
    _, user = member_client(world.partner, Role.COUNSELLOR)
    few = _queries(partner_news, user, world.partner)
    for n in range(6):
        youth = YouthFactory(owner_organisation=world.owner, last_name=f"Autre{n}")
        AssignmentFactory(youth=youth, organisation=world.partner, relation=Relation.CEJ_PARTNER)
        ConsentFactory(youth=youth, organisation=world.partner, categories=[Category.CONTACT])
        for category in (Category.CONTACT, Category.HEALTH, Category.IDENTITY):
            NoteFactory(youth=youth, category=category, author_organisation=world.owner)
    assert _queries(partner_news, user, world.partner) == few


# --- Demandes d'effacement -----------------------------------------------------------------


def _erasure(youth, days_ago: int, **fields) -> ErasureRequest:
    return ErasureRequest.objects.create(
        youth=youth,
        received_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        requester="youth",
        reason="Le jeune ne souhaite plus être suivi.",
        author_organisation=youth.owner_organisation,
        **fields,
    )


@pytest.mark.django_db
def test_pending_erasures_of_owned_records_oldest_first(build_world, member_client):
    world = build_world()
    recent = YouthFactory(owner_organisation=world.owner, last_name="Recente")
    late = _erasure(world.youth, 40)
    fresh = _erasure(recent, 3)
    _erasure(
        YouthFactory(owner_organisation=world.owner, last_name="Tranchee"),
        10,
        status=ErasureStatus.REFUSED,
        decided_at=timezone.now(),
        decision_motive="Obligation légale de conservation.",
    )
    _erasure(YouthFactory(owner_organisation=world.partner, last_name="Ailleurs"), 5)

    dpo, _ = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    erasures = home_todo(dpo)["erasure_requests"]
    assert erasures.count == 2
    assert labels(erasures) == [
        f"Dossier n° {world.youth.pk} — {world.youth}",
        f"Dossier n° {recent.pk} — {recent}",
    ]
    first, second = erasures.rows
    assert first.detail == (
        f"Demande d'effacement du {late.received_on:%d/%m/%Y} (le jeune), "
        f"réponse due le {answer_due(late.received_on):%d/%m/%Y}"
    )
    assert (first.badge, first.tone) == ("reçue il y a 40 jours", Tone.LATE)
    assert (second.badge, second.tone) == ("reçue il y a 3 jours", Tone.WAITING)
    assert first.action == "Instruire"
    assert first.url == f"/jeunes/{world.youth.pk}/effacement/{late.pk}/decider/"
    assert "Décider d&#x27;une demande d&#x27;effacement" in _opened(dpo, first.url)
    assert second.url == f"/jeunes/{recent.pk}/effacement/{fresh.pk}/decider/"

    # a referent records requests but does not decide them: she follows them
    referent, _ = member_client(world.owner, Role.REFERENT)
    rows = home_todo(referent)["erasure_requests"].rows
    assert [(row.action, row.url) for row in rows] == [
        ("Suivre", f"/jeunes/{world.youth.pk}/protection-des-donnees/"),
        ("Suivre", f"/jeunes/{recent.pk}/protection-des-donnees/"),
    ]
    _opened(referent, rows[0].url)


@pytest.mark.django_db
def test_erasure_requests_are_only_the_owners(build_world, member_client):
    world = build_world()
    _erasure(world.youth, 3)
    partner_dpo, _ = member_client(world.partner, Role.DATA_PROTECTION_OFFICER)
    assert home_todo(partner_dpo)["erasure_requests"].count == 0  # co-accompanies only
    for organisation, role in (
        (world.owner, Role.COUNSELLOR),
        (world.owner, Role.FINANCE_OFFICER),
        (world.funder, Role.FUNDER_VIEWER),
    ):
        client, _ = member_client(organisation, role)
        assert "erasure_requests" not in home_todo(client)


def test_the_answer_is_due_one_month_after_the_request():
    assert answer_due(datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 28)
    assert answer_due(datetime.date(2026, 12, 6)) == datetime.date(2027, 1, 6)
    assert answer_due(datetime.date(2026, 11, 12)) == datetime.date(2026, 12, 12)


@pytest.mark.django_db
def test_pending_erasures_cost_the_same_queries_for_more_rows(build_world, member_client):
    world = build_world()
    _, user = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    _erasure(world.youth, 3)
    few = _queries(pending_erasures, user, world.owner)
    for n in range(7):
        _erasure(YouthFactory(owner_organisation=world.owner, last_name=f"Autre{n}"), n)
    assert _queries(pending_erasures, user, world.owner) == few


# --- Accès exceptionnels à revoir ----------------------------------------------------------


def _administrator(organisation) -> User:
    membership = MembershipFactory(
        organisation=organisation, role=Role.ADMINISTRATOR, start_date=datetime.date(2020, 1, 1)
    )
    return membership.user


REASON = "Le jeune demande la rectification de sa date de naissance (art. 16)."


@pytest.mark.django_db
def test_exceptional_reads_are_listed_with_their_reason(build_world, member_client):
    world = build_world()
    admin = _administrator(world.owner)
    break_glass_read(admin, world.youth, Category.HEALTH, REASON)
    dpo, _ = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    reads = home_todo(dpo)["break_glass"]
    assert reads.count == 1
    (row,) = reads.rows
    assert row.label == f"Dossier n° {world.youth.pk} — Santé"
    assert row.detail.startswith(f"{admin.email}, le ")
    assert row.detail.endswith(f" : « {REASON} »")
    assert (row.badge, row.tone) == ("nouveau", Tone.NEW)
    assert row.action == "Voir le journal"
    assert row.url.startswith(
        f"/jeunes/journal-organisation/?event=break_glass&youth={world.youth.pk}&start="
    )
    assert REASON in _opened(dpo, row.url)  # the journal, filtered, shows the line

    # the administrator does not review their own reads; other organisations see none
    own = Client()
    own.force_login(admin)
    assert home_todo(own)["break_glass"].count == 0
    unrelated_dpo, _ = member_client(world.unrelated, Role.DATA_PROTECTION_OFFICER)
    assert home_todo(unrelated_dpo)["break_glass"].count == 0
    referent, _ = member_client(world.owner, Role.REFERENT)
    assert "break_glass" not in home_todo(referent)


@pytest.mark.django_db
def test_exceptional_reads_of_the_last_thirty_days_new_since_the_last_visit(
    build_world, member_client
):
    world = build_world()
    admin = _administrator(world.owner)
    now = timezone.now()
    for days in (40, 3):
        with mock.patch("django.utils.timezone.now", return_value=now - datetime.timedelta(days)):
            break_glass_read(admin, world.youth, Category.IDENTITY, REASON)
    break_glass_read(admin, world.youth, Category.JUSTICE, REASON)
    dpo, user = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    user.previous_login = now - datetime.timedelta(days=1)
    user.save(update_fields=["previous_login"])
    reads = home_todo(dpo)["break_glass"]
    assert reads.count == 2  # the read of 40 days ago is out of the window
    assert [(row.label.split(" — ")[1], row.badge, row.tone) for row in reads.rows] == [
        ("Justice", "nouveau", Tone.NEW),
        ("Identité", "il y a 3 jours", Tone.INFO),
    ]


@pytest.mark.django_db
def test_exceptional_reads_cost_the_same_queries_for_more_rows(build_world, member_client):
    world = build_world()
    admin = _administrator(world.owner)
    _, user = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    break_glass_read(admin, world.youth, Category.HEALTH, REASON)
    few = _queries(exceptional_reads, user, world.owner)
    for category in (Category.IDENTITY, Category.JUSTICE, Category.NOTES) * 3:
        break_glass_read(admin, world.youth, category, REASON)
    assert _queries(exceptional_reads, user, world.owner) == few


# --- The demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_blocks_are_filled_for_their_people(demo, login_client):
    dpo = login_client(demo.users["dpo"])
    found = home_todo(dpo)
    keita = demo.alefpa.owned_youths.get(last_name="Keita")
    assert labels(found["erasure_requests"]) == [f"Dossier n° {keita.pk} — {keita}"]
    assert found["break_glass"].count == 1
    for key in ("erasure_requests", "break_glass"):
        _opened(dpo, found[key].rows[0].url)

    counsellor = login_client(demo.users["conseiller"])
    news = home_todo(counsellor)["partner_news"]
    assert labels(news) == ["MARTIN Lucas"]
    _opened(counsellor, news.rows[0].url)

    referente = login_client(demo.users["referente"])
    acting = Membership.objects.get(user=demo.users["referente"], organisation=demo.asrl)
    assert home_todo(referente)["partner_news"].rows[0].label.startswith("DIALLO")
    assert acting.organisation == demo.asrl
    porteur = Membership.objects.get(user=demo.users["referente"], organisation=demo.porteur)
    referente.post("/organisation/changer/", {"membership": porteur.pk})
    news = home_todo(referente)["partner_news"]
    # the mission locale's notes on Sarah's training, not the one it keeps to itself
    assert set(labels(news)) == {"ROUSSEL Sarah"}
    assert all(
        row.detail.startswith("Note « Scolarité, formation et emploi » de Mission")
        for row in news.rows
    )
    page = _opened(referente, news.rows[0].url)
    assert "Dossier d&#x27;inscription au CAP cuisine déposé" in page
    assert "situation familiale" not in page
