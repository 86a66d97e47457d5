"""The GME housing's "À traiter" blocks: the coordination's requests to handle, proposals
left unanswered, majorities without a decision and saturated sites; a member's proposals to
answer and admissions to record; the funder's open requests. Each row's act opens for the
person, another GME's coordination sees none of the rows, a member only the proposals
addressed to it, and each block costs the same queries whatever its rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.housing import home
from coparcours.housing.factories import CapacityChangeFactory, SiteFactory
from coparcours.housing.models import (
    HousingSettings,
    PlacementRequest,
    Proposal,
    SiteLoan,
    Stay,
)
from coparcours.housing.models.majority import MajorityDecision
from coparcours.housing.models.requests import Urgency
from coparcours.housing.services import majority as majority_services
from coparcours.housing.services import requests as request_services
from coparcours.organisations.models import Membership, Role
from coparcours.organisations.todo import ROWS_SHOWN, Todo, Tone
from coparcours.youths.models import Youth
from coparcours.youths.rules import MAJORITY_AGE, add_years
from tests.organisations.todo_blocks import home_todo, labels

from .conftest import TODAY, Gme, build_gme

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
COORDINATION_KEYS = {
    "housing_requests",
    "housing_unanswered",
    "housing_majorities",
    "housing_saturation",
}
MEMBER_KEYS = {"housing_proposals", "housing_admissions"}


def _follow(client, todo: Todo) -> None:
    """Every row's act and the block's link open for the person."""
    for row in todo.rows:
        assert client.get(row.url).status_code == 200, row
    if todo.more_url:
        assert client.get(todo.more_url).status_code == 200


def _propose(gme: Gme, site=None, days_ago: int = 0, **fields) -> Proposal:
    placement = gme.file(**fields)
    proposal = request_services.propose(gme.coordinator, placement, site or gme.site_b, TODAY())
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return proposal


def _born_turning_18_in(days: int) -> datetime.date:
    return add_years(TODAY() + datetime.timedelta(days=days), -MAJORITY_AGE)


# --- The coordination -----------------------------------------------------------------------


def test_requests_to_handle_most_urgent_then_oldest_with_their_badges(gme):
    normal = gme.file(reference="NORMALE", urgency=Urgency.NORMAL)
    waiting = gme.file(reference="ATTENTE", urgency=Urgency.NORMAL)
    request_services.put_on_waiting_list(gme.coordinator, waiting)
    gme.file(reference="IMMEDIATE", urgency=Urgency.IMMEDIATE)
    _propose(gme, reference="PROPOSEE")  # a place is proposed: nothing to handle
    PlacementRequest.objects.filter(pk=normal.pk).update(created_at=timezone.now() - 9 * DAY)
    other = build_gme(suffix=" 2")
    other.file(reference="AUTRE-GME")

    client = gme.client(gme.lead, Role.COORDINATOR)
    todo = home_todo(client)["housing_requests"]
    assert todo.count == 3
    assert labels(todo) == ["IMMEDIATE", "NORMALE", "ATTENTE"]
    badges = [(row.badge, row.tone) for row in todo.rows]
    assert badges == [
        ("mise à l'abri", Tone.URGENT),
        ("nouvelle", Tone.NEW),
        ("en liste d'attente", Tone.WAITING),
    ]
    received = timezone.localdate(timezone.now() - 9 * DAY)
    assert todo.rows[1].detail == (
        f"15 ans, garçon · reçue le {received:%d/%m/%Y} · accueil souhaité le {TODAY():%d/%m/%Y}"
    )
    immediate = PlacementRequest.objects.get(reference="IMMEDIATE")
    assert todo.rows[0].action == "Traiter"
    assert todo.rows[0].url == f"/hebergement/demandes/{immediate.pk}/"
    _follow(client, todo)
    # another GME's coordination sees its own request only
    assert labels(home_todo(other.client(other.lead, Role.COORDINATOR))["housing_requests"]) == [
        "AUTRE-GME"
    ]


def test_the_coordination_blocks_concern_the_lead_of_a_gme_only(gme):
    gme.file(reference="A-TRAITER")
    shown = set(home_todo(gme.client(gme.lead, Role.COORDINATOR)))
    assert shown >= COORDINATION_KEYS
    for organisation, role in [
        (gme.member_b, Role.COORDINATOR),  # coordinator of a member, not the lead
        (gme.member_b, Role.DIRECTOR),
        (gme.funder, Role.FUNDER_VIEWER),
        (gme.outsider, Role.COORDINATOR),
    ]:
        blocks = home_todo(gme.client(organisation, role))
        assert not COORDINATION_KEYS & set(blocks), (organisation, role)


def test_proposals_unanswered_for_48_hours(gme):
    _propose(gme, reference="RECENTE", days_ago=1)
    _propose(gme, reference="ANCIENNE", days_ago=3)
    answered = _propose(gme, reference="REPONDUE", days_ago=5)
    request_services.answer_proposal(gme.user(gme.member_b, Role.DIRECTOR), answered, accept=True)
    other = build_gme(suffix=" 2")

    client = gme.client(gme.lead, Role.COORDINATOR)
    todo = home_todo(client)["housing_unanswered"]
    assert todo.count == 1 and labels(todo) == ["ANCIENNE"]
    row = todo.rows[0]
    assert row.badge == "sans réponse depuis 3 jours" and row.tone == Tone.WAITING
    assert row.detail == (
        f"Proposée à Association B (Maison B) · entrée prévue le {TODAY():%d/%m/%Y}"
    )
    assert row.action == "Voir la demande"
    _follow(client, todo)
    assert home_todo(other.client(other.lead, Role.COORDINATOR))["housing_unanswered"].count == 0


def test_majorities_coming_without_a_decision(gme):
    soon = gme.place(reference="BIENTOT", last_name="Bientot", birth_date=_born_turning_18_in(30))
    gme.place(reference="DECIDE", last_name="Decide", birth_date=_born_turning_18_in(10))
    decided = Stay.objects.get(request__reference="DECIDE")
    majority_services.decide_after_18(
        gme.coordinator,
        decided,
        MajorityDecision.EXIT,
        start_date=decided.youth.majority_date,
    )
    gme.place(
        site=gme.site_c,
        reference="LOIN",
        last_name="Loin",
        sex="F",
        birth_date=_born_turning_18_in(120),
    )
    other = build_gme(suffix=" 2")

    client = gme.client(gme.lead, Role.COORDINATOR)
    todo = home_todo(client)["housing_majorities"]
    assert todo.count == 1 and labels(todo) == [str(soon.youth)]
    row = todo.rows[0]
    majority = soon.youth.majority_date
    assert row.badge == "majorité dans 30 jours" and row.tone == Tone.URGENT
    assert row.detail == f"Maison B · 18 ans le {majority:%d/%m/%Y}"
    assert row.action == "Décider" and row.url == f"/hebergement/sejours/{soon.pk}/majorite/"
    _follow(client, todo)
    # another GME's coordination sees no name of this GME's youths
    other_client = other.client(other.lead, Role.COORDINATOR)
    assert home_todo(other_client)["housing_majorities"].count == 0
    assert str(soon.youth) not in other_client.get("/").content.decode()
    # an anonymised youth is out of the policy's lists
    Youth.objects.filter(pk=soon.youth_id).update(anonymised_at=timezone.now())
    assert home_todo(client)["housing_majorities"].count == 0


def test_saturated_sites_and_the_whole_gme(gme):
    gme.place(site=gme.site_b, reference="B1")
    gme.place(site=gme.site_b, reference="B2")  # Maison B: 2 places, 2 youths
    other = build_gme(suffix=" 2")
    other.place(site=other.site_c, reference="C1", sex="F", age=16)

    client = gme.client(gme.lead, Role.COORDINATOR)
    todo = home_todo(client)["housing_saturation"]
    assert labels(todo) == ["Maison B"]  # 2 of 3 places in the GME: below 95 %
    row = todo.rows[0]
    assert (row.badge, row.tone) == ("complet", Tone.LATE)
    assert row.detail == "2 jeunes pour 2 places (seuil d'alerte 95 %)"
    assert row.action == "Voir l'occupation" and row.url == "/hebergement/occupation/?par=site"
    _follow(client, todo)
    # the threshold is a dated setting: at 60 %, the whole GME (2 of 3) is saturated too
    HousingSettings.objects.create(valid_from=TODAY(), saturation_threshold_percent=60)
    todo = home_todo(client)["housing_saturation"]
    assert labels(todo) == ["Ensemble du GME test", "Maison B"]
    assert (todo.rows[0].badge, todo.rows[0].tone) == ("66,7 %", Tone.URGENT)
    # another GME's coordination sees its own full site only (1 of its 3 places taken)
    other_todo = home_todo(other.client(other.lead, Role.COORDINATOR))["housing_saturation"]
    assert labels(other_todo) == ["Appartements C (filles)"]


# --- A member's staff -----------------------------------------------------------------------


def test_a_member_answers_the_proposals_addressed_to_it_only(gme):
    to_b = _propose(gme, reference="POUR-B", days_ago=1)
    _propose(gme, site=gme.site_c, reference="POUR-C", sex="F", age=16)

    client_b = gme.client(gme.member_b, Role.DIRECTOR)
    todo = home_todo(client_b)["housing_proposals"]
    assert todo.count == 1 and labels(todo) == ["POUR-B"]
    row = todo.rows[0]
    proposed = timezone.localdate(timezone.now() - DAY)
    assert row.detail == (
        f"Maison B · 15 ans, garçon · proposée le {proposed:%d/%m/%Y}"
        f" · entrée prévue le {TODAY():%d/%m/%Y}"
    )
    assert (row.badge, row.action, row.url) == (
        "entrée aujourd'hui",
        "Répondre",
        "/hebergement/propositions/",
    )
    _follow(client_b, todo)
    assert (
        f"/hebergement/propositions/{to_b.pk}/accepter/" in client_b.get(row.url).content.decode()
    )
    assert labels(home_todo(gme.client(gme.member_c, Role.REFERENT))["housing_proposals"]) == [
        "POUR-C"
    ]
    # the lead (a member without sites) has nothing to answer; an outsider has no block
    assert home_todo(gme.client(gme.lead, Role.COORDINATOR))["housing_proposals"].count == 0
    outsider = home_todo(gme.client(gme.outsider, Role.DIRECTOR))
    assert not MEMBER_KEYS & set(outsider)


def test_a_site_lent_on_the_entry_date_is_answered_by_its_borrower(gme):
    SiteLoan.objects.create(
        site=gme.site_b,
        borrower=gme.member_c,
        convention_reference="Convention B–C",
        signed_on=TODAY() - DAY,
        start_date=TODAY() - DAY,
        end_date=TODAY() + 30 * DAY,
    )
    _propose(gme, reference="PRETE")
    borrower = home_todo(gme.client(gme.member_c, Role.DIRECTOR))["housing_proposals"]
    assert labels(borrower) == ["PRETE"]
    assert home_todo(gme.client(gme.member_b, Role.DIRECTOR))["housing_proposals"].count == 0


def test_admissions_to_record_after_the_member_accepted(gme):
    director = gme.user(gme.member_b, Role.DIRECTOR)
    accepted = _propose(gme, reference="ACCEPTEE")
    request_services.answer_proposal(director, accepted, accept=True)
    _propose(gme, reference="EN-ATTENTE")
    gme.place(reference="ADMISE")  # admitted: nothing left to record

    client = gme.client(gme.member_b, Role.DIRECTOR)
    todo = home_todo(client)["housing_admissions"]
    assert todo.count == 1 and labels(todo) == ["ACCEPTEE"]
    row = todo.rows[0]
    assert row.action == "Enregistrer l'admission"
    assert row.url == f"/hebergement/propositions/{accepted.pk}/admission/"
    assert row.badge == "arrivée aujourd'hui"
    _follow(client, todo)
    assert home_todo(gme.client(gme.member_c, Role.DIRECTOR))["housing_admissions"].count == 0


# --- The funder -----------------------------------------------------------------------------


def test_the_funder_follows_its_open_requests_newest_first(gme):
    old = gme.file(reference="ANCIENNE")
    PlacementRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - 5 * DAY)
    waiting = gme.file(reference="ATTENTE")
    request_services.put_on_waiting_list(gme.coordinator, waiting)
    cancelled = gme.file(reference="ANNULEE")
    request_services.cancel_request(gme.funder_user, cancelled)
    gme.place(reference="ACCUEILLI")  # admitted: closed
    _propose(gme, reference="PROPOSEE")
    other = build_gme(suffix=" 2")
    other.file(reference="AUTRE-FINANCEUR")

    client = gme.client(gme.funder, Role.FUNDER_VIEWER)
    todo = home_todo(client)["housing_my_requests"]
    assert todo.count == 3
    assert labels(todo) == ["PROPOSEE", "ATTENTE", "ANCIENNE"]
    assert [row.badge for row in todo.rows] == [
        "Place proposée à un membre",
        "En liste d'attente",
        "Reçue par la coordination",
    ]
    assert todo.rows[0].action == "Voir" and todo.more_url == "/hebergement/demandes/"
    _follow(client, todo)
    # neither the coordination nor a member has this block; the other funder sees its own
    assert "housing_my_requests" not in home_todo(gme.client(gme.lead, Role.COORDINATOR))
    assert labels(
        home_todo(other.client(other.funder, Role.FUNDER_VIEWER))["housing_my_requests"]
    ) == ["AUTRE-FINANCEUR"]


def test_the_role_cards_keep_the_quick_links(gme):
    page = gme.client(gme.lead, Role.COORDINATOR).get("/").content.decode()
    assert "Coordination du groupement" in page and 'href="/hebergement/occupation/"' in page
    page = gme.client(gme.member_b, Role.COORDINATOR).get("/").content.decode()
    assert "ne coordonne aucun groupement" in page
    page = gme.client(gme.funder, Role.FUNDER_VIEWER).get("/").content.decode()
    assert "Mes demandes et indicateurs" in page and "Déposer une demande de placement" in page


# --- Bounded queries ------------------------------------------------------------------------


def _queries(gme: Gme, find, organisation, role: str) -> tuple[int, int]:
    """Queries of one block's ``find`` for a fresh request of the person (nothing cached),
    and the block's count."""
    user = gme.user(organisation, role)
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.membership = (
        Membership.objects.active().with_standings().select_related("organisation")
    ).get(user=user, organisation=organisation)
    with CaptureQueriesContext(connection) as captured:
        todo = find(request)
    return len(captured), todo.count


def _volume(gme: Gme, n: int) -> None:
    """``n`` more of each situation: requests, old pending and accepted proposals, youths
    turning 18, full sites."""
    director = gme.user(gme.member_b, Role.DIRECTOR)
    for i in range(n):
        gme.file(reference=f"R{i}")
        _propose(gme, days_ago=3)
        request_services.answer_proposal(director, _propose(gme), accept=True)
        site = SiteFactory(consortium=gme.consortium, organisation=gme.member_b)
        CapacityChangeFactory(site=site, places=1, planned_on=datetime.date(2019, 1, 1))
        gme.place(site=site, birth_date=_born_turning_18_in(20 + i))


#: Each block's queries: the user's memberships (the policy), then its first rows with their
#: count; the coordination's blocks add the GMEs the organisation leads (read once for all
#: the blocks of a page: each block here is measured alone); the majorities add the dated
#: settings, the listing's audit line and the youths' access facts; the saturation the
#: settings, the GME and its occupancy (two aggregates and the sites' names).
@pytest.mark.parametrize(
    "find, who, bound",
    [
        (home.requests_to_handle, "lead", 3),
        (home.unanswered_proposals, "lead", 3),
        (home.majorities_without_decision, "lead", 7),
        (home.saturated_sites, "lead", 7),
        (home.proposals_to_answer, "member", 2),
        (home.admissions_to_record, "member", 2),
        (home.funder_requests, "funder", 2),
    ],
)
def test_each_block_costs_the_same_queries_whatever_its_rows(gme, find, who, bound):
    person = {
        "lead": (gme.lead, Role.COORDINATOR),
        "member": (gme.member_b, Role.DIRECTOR),
        "funder": (gme.funder, Role.FUNDER_VIEWER),
    }[who]
    CapacityChangeFactory(site=gme.site_b, places=40, planned_on=datetime.date(2019, 1, 1))
    _volume(gme, 1)
    few, count = _queries(gme, find, *person)
    assert 0 < count < ROWS_SHOWN
    _volume(gme, 8)  # more rows than a block shows, all counted
    many, more = _queries(gme, find, *person)
    assert many == few <= bound
    assert more >= count + 8 > ROWS_SHOWN


# --- The demo -------------------------------------------------------------------------------


def test_each_block_has_rows_on_the_demo_and_its_acts_open(demo, login_client):
    for login, keys in [
        ("coordination", COORDINATION_KEYS),
        ("direction", MEMBER_KEYS),
        ("departement", {"housing_my_requests"}),
    ]:
        client = login_client(demo.users[login])
        blocks = home_todo(client)
        for key in keys:
            assert blocks[key].count > 0, (login, key)
            _follow(client, blocks[key])
    blocks = home_todo(login_client(demo.users["coordination"]))
    assert "KONATÉ Mariam" in labels(blocks["housing_majorities"])
    assert "Studio de semi-autonomie de Tourcoing" in labels(blocks["housing_saturation"])
    assert labels(blocks["housing_unanswered"]) == ["ASE-59-2026-0377"]
    direction = home_todo(login_client(demo.users["direction"]))
    assert labels(direction["housing_proposals"]) == ["ASE-59-2026-0377"]
    assert labels(direction["housing_admissions"]) == ["ASE-59-2026-0365"]
