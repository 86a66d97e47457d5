"""The CEJ-JR "À traiter" blocks of the home page: reviews to hold, hours under the
minimum, late plan actions, Monday follow-ups, missed actions to decide and what the
partner recorded; each row's act opens for its reader, nothing shows to an organisation
outside the pathway, and each block costs the same queries whatever the number of
pathways."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.cej import followup
from coparcours.cej.home import BLOCKS, hours_text
from coparcours.cej.models import Pathway, Review, WeeklyFollowUp
from coparcours.cej.rules import Stage
from coparcours.cej.services.allowances import decide_sanction, propose_sanction
from coparcours.cej.services.plan import add_plan_action, start_plan
from coparcours.demo.nord import load_nord_demo
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, Membership, OrganisationKind, Role
from coparcours.youths.factories import ConsentFactory
from tests.organisations.todo_blocks import home_todo, labels

from .co_accompaniment import EE, LAST_WEEK, _activity, _consent
from .conftest import TODAY, CejWorld, member

DAY = datetime.timedelta(days=1)
CEJ_KEYS = {"cej_reviews", "cej_hours", "cej_actions", "cej_follow_ups", "cej_missed", "cej_news"}


def _youth(world: CejWorld, name: str, *, stage=Stage.CONTRACT, consent=True) -> Pathway:
    """A youth of the world's porteur at ``stage`` (under contract since three weeks before
    last week), whose education-and-employment data the porteur shares with the mission
    locale unless ``consent`` is false."""
    pathway = world.outreach(
        youth_fields={
            "last_name": name,
            "first_names": "Léa",
            "birth_date": datetime.date(2004, 2, 3),
        },
        identified_on=TODAY - 120 * DAY,
    )
    contract_start = LAST_WEEK - 21 * DAY if stage == Stage.CONTRACT else None
    Pathway.objects.filter(pk=pathway.pk).update(stage=stage, contract_start=contract_start)
    pathway.refresh_from_db()
    if consent:
        _consent(world, pathway)
    return pathway


def _ml_shares_with_porteur(world: CejWorld, pathway: Pathway) -> None:
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.porteur,
        categories=[EE],
        start_date=TODAY - 30 * DAY,
        author_organisation=world.mission_locale,
    )


def _review(pathway: Pathway, due_on: datetime.date, months=3, **extra) -> Review:
    return Review.objects.create(
        youth_id=pathway.youth_id,
        author_organisation_id=pathway.author_organisation_id,
        pathway=pathway,
        milestone_months=months,
        due_on=due_on,
        **extra,
    )


def _action(world, plan, action, *, dimension="employment", days=-3, by_ml=True, **extra):
    owner, organisation = (
        (world.counsellor, world.mission_locale) if by_ml else (world.referent, world.porteur)
    )
    return add_plan_action(
        world.referent,
        world.porteur,
        plan,
        dimension=dimension,
        objective="Objectif",
        action=action,
        owner_organisation=extra.pop("owner_organisation", organisation),
        owner=extra.pop("owner", owner),
        due_on=TODAY + days * DAY,
    )


def _plan(world, pathway):
    return start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY - 60 * DAY)


def _follow_up(world, weeks_back: int, *, read=False) -> WeeklyFollowUp:
    """The counsellor's Monday follow-up of a past week (his youths then), sent the
    Monday after."""
    Pathway.objects.filter(partnership=world.partnership).update(counsellor=world.counsellor)
    week = LAST_WEEK - 7 * weeks_back * DAY
    (follow_up,) = followup.produce(
        week, counsellor_ids={world.counsellor.pk}, send_now=False
    ).created
    sent = timezone.make_aware(datetime.datetime.combine(week + 7 * DAY, datetime.time(8)))
    WeeklyFollowUp.objects.filter(pk=follow_up.pk).update(
        sent_at=sent, read_at=sent + DAY if read else None
    )
    return follow_up


def _other_partnership():
    """A second CEJ-JR partnership, its porteur's referent and its counsellor: partners of
    none of the world's pathways."""
    porteur = OrganisationFactory(name="Autre porteur")
    mission_locale = OrganisationFactory(
        name="Autre mission locale", kind=OrganisationKind.MISSION_LOCALE
    )
    partnership = ConsortiumFactory(name="Autre CEJ-JR", kind=ConsortiumKind.CEJ_JR)
    ConsortiumMemberFactory(consortium=partnership, organisation=porteur, is_lead=True)
    ConsortiumMemberFactory(consortium=partnership, organisation=mission_locale)
    return member(porteur, Role.REFERENT), member(mission_locale, Role.COUNSELLOR)


def _opens(client, todo) -> None:
    """Every row's act opens for the reader."""
    for row in todo.rows:
        assert client.get(row.url).status_code == 200, row


# --- The demo -------------------------------------------------------------------------


def test_the_demo_fills_the_referents_and_the_counsellors_blocks(demo, login_client):
    referent = demo.users["referente"]
    client = login_client(referent)
    porteur = Membership.objects.get(user=referent, organisation=demo.porteur)
    client.post("/organisation/changer/", {"membership": str(porteur.pk), "next": "/"})
    todo = home_todo(client)
    assert labels(todo["cej_reviews"]) == ["ROUSSEL Sarah — bilan à 3 mois"]
    assert todo["cej_reviews"].rows[0].tone == "late"
    last_week = LAST_WEEK.strftime("%d/%m/%Y")
    assert todo["cej_hours"].rows[0].detail == f"13 h sur 15 h la semaine du {last_week}"
    # hers, not the mission locale's late action in the same plan
    (action,) = todo["cej_actions"].rows
    assert action.detail.startswith("Demande au fonds d'aide aux jeunes — échéance le ")
    assert action.badge == "en retard de 6 jours"
    assert todo["cej_news"].count == 1  # the counsellor's activities and interview
    assert labels(todo["cej_youth_absences"]) == ["ROUSSEL Sarah"]  # told from her space
    assert not {"cej_follow_ups", "cej_missed"} & todo.keys()  # a porteur receives none
    for key in ("cej_reviews", "cej_hours", "cej_actions", "cej_news"):
        _opens(client, todo[key])

    counsellor = login_client(demo.users["conseiller"])
    todo = home_todo(counsellor)
    assert todo.keys() >= CEJ_KEYS
    assert all(todo[key].count for key in CEJ_KEYS), {k: todo[k].count for k in CEJ_KEYS}
    follow_up = todo["cej_follow_ups"].rows[0]
    assert (follow_up.badge, follow_up.action) == ("non lu", "Lire")
    assert todo["cej_missed"].rows[0].action == "Décider"
    assert "Rendez-vous de suivi" in todo["cej_missed"].rows[0].detail
    news = {row.label: row.detail for row in todo["cej_news"].rows}
    # last week's and her coming appointments at the porteur
    assert news["ROUSSEL Sarah"].startswith("9 activités, 3 actions du plan")  # and the workshop
    (absence,) = todo["cej_youth_absences"].rows
    assert absence.label == "ROUSSEL Sarah"
    assert absence.detail.startswith("Recherche d'offres avec le conseiller le ")
    for key in CEJ_KEYS:
        _opens(counsellor, todo[key])
    assert home_todo(counsellor)["cej_follow_ups"].rows[0].badge == ""  # read now
    load_nord_demo()  # loading twice adds nothing
    assert WeeklyFollowUp.objects.count() == 1


# --- 1. Reviews -----------------------------------------------------------------------


@pytest.mark.django_db
def test_reviews_due_within_two_weeks_or_late_latest_first(world, client_for):
    durand = _youth(world, "Durand", stage=Stage.REMOBILISATION)
    morel = _youth(world, "Morel")
    _review(durand, TODAY + 10 * DAY)
    _review(morel, TODAY - 8 * DAY, months=6)
    _review(morel, TODAY - 30 * DAY, held_on=TODAY - 29 * DAY)  # held
    _review(_youth(world, "Petit"), TODAY + 20 * DAY)  # not yet
    exited = _youth(world, "Sorti", stage=Stage.EXIT)
    _review(exited, TODAY - 2 * DAY)
    client = client_for(world.referent)
    reviews = home_todo(client)["cej_reviews"]
    assert reviews.count == 2
    assert labels(reviews) == ["MOREL Léa — bilan à 6 mois", "DURAND Léa — bilan à 3 mois"]
    late, soon = reviews.rows
    assert (late.badge, late.tone, late.detail) == (
        "en retard de 8 jours",
        "late",
        f"Prévu le {TODAY - 8 * DAY:%d/%m/%Y}",
    )
    assert (soon.badge, soon.tone, soon.action) == ("dans 10 jours", "urgent", "Ouvrir le bilan")
    _opens(client, reviews)
    # the mission locale reads Durand's and Morel's pathways through the porteur's consent
    assert home_todo(client_for(world.counsellor))["cej_reviews"].count == 2


@pytest.mark.django_db
def test_a_protected_pathway_or_another_partnership_shows_no_review(world, client_for):
    _review(_youth(world, "Secret", consent=False), TODAY - DAY)
    assert home_todo(client_for(world.referent))["cej_reviews"].count == 1
    # without the porteur's consent the mission locale may not open the pathway
    assert home_todo(client_for(world.counsellor))["cej_reviews"].count == 0
    for user in _other_partnership():
        todo = home_todo(client_for(user))
        assert todo["cej_reviews"].count == 0 and todo["cej_news"].count == 0
    outsider = home_todo(client_for(member(world.unrelated, Role.REFERENT)))
    assert not CEJ_KEYS & outsider.keys()  # not a CEJ-JR partner: no block at all


@pytest.mark.django_db
def test_the_blocks_concern_the_youths_the_person_follows(world, client_for):
    """A referent's blocks show the youths they follow and those nobody follows yet at the
    porteur, not a colleague's; the same at the mission locale with its counsellors; a
    coordinator finds the partnership on its pages, not on its home."""
    blanc, dupuis = _youth(world, "Blanc"), _youth(world, "Dupuis")
    _review(blanc, TODAY - DAY)
    _review(dupuis, TODAY - DAY)
    colleague = member(world.porteur, Role.REFERENT)
    Pathway.objects.filter(pk=dupuis.pk).update(referent=colleague)
    assert labels(home_todo(client_for(world.referent))["cej_reviews"]) == [
        "BLANC Léa — bilan à 3 mois"
    ]
    assert labels(home_todo(client_for(colleague))["cej_reviews"]) == [
        "DUPUIS Léa — bilan à 3 mois"
    ]
    Pathway.objects.filter(pk=dupuis.pk).update(referent=None)  # the colleague left
    assert home_todo(client_for(world.referent))["cej_reviews"].count == 2
    other_counsellor = member(world.mission_locale, Role.COUNSELLOR)
    Pathway.objects.filter(pk=blanc.pk).update(counsellor=other_counsellor)
    assert labels(home_todo(client_for(world.counsellor))["cej_reviews"]) == [
        "DUPUIS Léa — bilan à 3 mois"  # nobody follows her yet at the mission locale
    ]
    assert home_todo(client_for(other_counsellor))["cej_reviews"].count == 2
    coordinator = home_todo(client_for(member(world.porteur, Role.COORDINATOR)))
    assert not CEJ_KEYS & coordinator.keys()


# --- 2. Hours -------------------------------------------------------------------------


@pytest.mark.django_db
def test_hours_under_the_minimum_as_each_side_reads_them(world, client_for):
    reached = _youth(world, "Assidue")
    for day, hour, minutes, by_ml in ((0, 9, 540, False), (1, 9, 360, True)):
        _activity(world, reached, LAST_WEEK + day * DAY, hour, minutes, by_ml=by_ml)
    short = _youth(world, "Courte")
    _activity(world, short, LAST_WEEK, 9, 390)
    _activity(world, short, LAST_WEEK + DAY, 9, 180, by_ml=True)
    # this week, not over yet (from midnight: a Monday morning has no earlier hour)
    _activity(world, short, LAST_WEEK + 7 * DAY, 0, 600)
    _ml_shares_with_porteur(world, short)
    _youth(world, "Absente")  # nothing attended
    _youth(world, "Remobilisee", stage=Stage.REMOBILISATION)  # no minimum yet
    week = f"{LAST_WEEK:%d/%m/%Y}"

    counsellor = client_for(world.counsellor)
    hours = home_todo(counsellor)["cej_hours"]
    assert [(r.label, r.detail) for r in hours.rows] == [
        ("ABSENTE Léa", f"0 h sur 15 h la semaine du {week}"),
        ("COURTE Léa", f"9,5 h sur 15 h la semaine du {week}"),
    ]
    assert {(r.badge, r.tone, r.action) for r in hours.rows} == {
        ("minimum non atteint", "late", "Voir la semaine")
    }
    assert hours.rows[1].url.endswith(f"?semaine={LAST_WEEK.isoformat()}#heures")
    _opens(counsellor, hours)
    # the porteur does not read the mission locale's hours of "Assidue" (no consent): its
    # page counts 9 hours, and so does its block
    referent = client_for(world.referent)
    hours = home_todo(referent)["cej_hours"]
    assert labels(hours) == ["ABSENTE Léa", "ASSIDUE Léa", "COURTE Léa"]
    assert hours.rows[1].detail.startswith("9 h sur 15 h")
    page = referent.get(hours.rows[1].url).content.decode()
    assert "9,00 h</strong> effectuées sur un minimum de 15 h" in page
    assert hours_text(605) == "10,08"


# --- 3. Late plan actions -------------------------------------------------------------


@pytest.mark.django_db
def test_late_actions_of_the_user_or_the_organisation_never_a_secret_one(world, client_for):
    pathway = _youth(world, "Durand")
    plan = _plan(world, pathway)
    _action(world, plan, "Inscription à la POEC", days=-10)
    _action(world, plan, "Rendez-vous au CMP", dimension="health", days=-8)
    _action(world, plan, "Demande au SIAO", dimension="employment", days=-5, by_ml=False)
    _action(world, plan, "Atelier CV", days=2)  # not late
    done = _action(world, plan, "Carte de transport", days=-4)
    done.status = "done"
    done.save()
    colleague = member(world.mission_locale, Role.COUNSELLOR)
    _action(world, plan, "Permis AM", days=-1, owner=colleague)

    counsellor = client_for(world.counsellor)
    actions = home_todo(counsellor)["cej_actions"]
    # the care appointment is health data: the mission locale never reads it
    assert [r.detail.split(" — ")[0] for r in actions.rows] == [
        "Inscription à la POEC",
        "Permis AM",
    ]
    first = actions.rows[0]
    assert (first.badge, first.tone, first.action) == (
        "en retard de 10 jours",
        "late",
        "Mettre à jour",
    )
    assert actions.rows[1].detail.endswith(f", confiée à {colleague}")
    _opens(counsellor, actions)
    referent = home_todo(client_for(world.referent))["cej_actions"]
    assert [r.detail.split(" — ")[0] for r in referent.rows] == ["Demande au SIAO"]
    other_referent, other_counsellor = _other_partnership()
    for user in (other_referent, other_counsellor):
        assert home_todo(client_for(user))["cej_actions"].count == 0


# --- 4. Monday follow-ups -------------------------------------------------------------


@pytest.mark.django_db
def test_follow_ups_unread_first_then_the_latest_weeks(world, client_for):
    _youth(world, "Durand")
    _youth(world, "Morel")
    old_unread = _follow_up(world, 9)
    _follow_up(world, 8, read=True)  # read long ago: no longer shown
    recent_read = _follow_up(world, 1, read=True)
    latest = _follow_up(world, 0)
    client = client_for(world.counsellor)
    follow_ups = home_todo(client)["cej_follow_ups"]
    assert follow_ups.count == 3 and follow_ups.more_url == "/cej/suivis/"
    assert [r.url for r in follow_ups.rows] == [
        f"/cej/suivis/{latest.pk}/",
        f"/cej/suivis/{old_unread.pk}/",
        f"/cej/suivis/{recent_read.pk}/",
    ]
    assert [r.badge for r in follow_ups.rows] == ["non lu", "non lu", ""]
    assert follow_ups.rows[0].label == f"Semaine du {LAST_WEEK:%d/%m/%Y}"
    assert follow_ups.rows[0].detail == f"2 jeunes — reçu le {LAST_WEEK + 7 * DAY:%d/%m/%Y}"
    assert client.get(follow_ups.rows[0].url).status_code == 200
    assert [r.badge for r in home_todo(client)["cej_follow_ups"].rows] == ["non lu", "", ""]
    # a porteur receives no follow-up: no block; another counsellor sees none of these
    assert "cej_follow_ups" not in home_todo(client_for(world.referent))
    _, other_counsellor = _other_partnership()
    assert home_todo(client_for(other_counsellor))["cej_follow_ups"].count == 0


# --- 5. Missed actions ----------------------------------------------------------------


@pytest.mark.django_db
def test_missed_actions_wait_for_the_mission_locale_only(world, client_for):
    pathway = _youth(world, "Durand")
    pending = propose_sanction(
        world.counsellor,
        world.mission_locale,
        pathway,
        occurred_on=TODAY - 3 * DAY,
        description="Atelier manqué",
    )
    decided = propose_sanction(
        world.counsellor,
        world.mission_locale,
        pathway,
        occurred_on=TODAY - 4 * DAY,
        description="Rendez-vous manqué",
    )
    decide_sanction(
        world.counsellor,
        world.mission_locale,
        decided,
        confirmed=False,
        youth_observations="",
        decided_on=TODAY,
    )
    client = client_for(world.counsellor)
    missed = home_todo(client)["cej_missed"]
    assert missed.count == 1
    row = missed.rows[0]
    assert row.url == f"/cej/parcours/{pathway.pk}/manquements/{pending.pk}/decision/"
    assert row.detail.startswith(f"Manquement n° {pending.breach_number} du ")
    assert (row.badge, row.tone, row.action) == ("en attente depuis 3 jours", "waiting", "Décider")
    _opens(client, missed)
    assert "cej_missed" not in home_todo(client_for(world.referent))  # the porteur never decides
    _, other_counsellor = _other_partnership()
    assert home_todo(client_for(other_counsellor))["cej_missed"].count == 0


# --- 6. New on the shared pathways ----------------------------------------------------


@pytest.mark.django_db
def test_news_are_the_partners_records_since_the_last_visit(world, client_for):
    shared = _youth(world, "Durand")
    _activity(world, shared, LAST_WEEK, 9, 120)  # the porteur's
    _activity(world, shared, LAST_WEEK + DAY, 9, 120, kind="health", title="Centre de santé")
    _activity(world, shared, LAST_WEEK + 2 * DAY, 9, 60, by_ml=True)  # the counsellor's own
    plan = _plan(world, shared)
    _action(world, plan, "Inscription à la POEC", days=10)
    _action(world, plan, "Rendez-vous au CMP", dimension="health", days=10)  # unreadable
    secret = _youth(world, "Secret", consent=False)
    _activity(world, secret, LAST_WEEK, 9, 120)
    _ml_shares_with_porteur(world, secret)
    _activity(world, secret, LAST_WEEK + DAY, 9, 120, by_ml=True)

    counsellor = client_for(world.counsellor)
    news = home_todo(counsellor)["cej_news"]
    # the care appointment shows as an activity (its nature hidden on the page), the
    # health action not at all; the protected pathway not at all
    assert [(r.label, r.detail) for r in news.rows] == [
        ("DURAND Léa", "2 activités, 1 action du plan, 1 changement d'étape ces 7 derniers jours")
    ]
    assert (news.rows[0].badge, news.rows[0].tone) == ("nouveau", "new")
    _opens(counsellor, news)
    referent = home_todo(client_for(world.referent))["cej_news"]
    assert [(r.label, r.detail) for r in referent.rows] == [
        ("SECRET Léa", "1 activité ces 7 derniers jours")  # shared by the mission locale
    ]
    # signed in again: what was recorded before the previous sign-in is no longer new
    again = client_for(world.counsellor)
    assert home_todo(again)["cej_news"].count == 0
    _activity(world, shared, LAST_WEEK + 3 * DAY, 9, 60)
    assert [r.detail for r in home_todo(again)["cej_news"].rows] == [
        "1 activité depuis votre dernière visite"
    ]


# --- Bounded queries ------------------------------------------------------------------


def _request(user, organisation):
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.membership = Membership.objects.select_related("organisation").get(
        user=user, organisation=organisation
    )
    return request


def _situation(world, n: int) -> None:
    """One youth with something in every block."""
    pathway = _youth(world, f"Jeune{n}")
    _ml_shares_with_porteur(world, pathway)
    _review(pathway, TODAY - n * DAY)
    _activity(world, pathway, LAST_WEEK, 9, 60)
    _activity(world, pathway, LAST_WEEK + DAY, 9, 60, by_ml=True)
    plan = _plan(world, pathway)
    _action(world, plan, "Inscription", days=-2)
    _action(world, plan, "Demande au SIAO", days=-2, by_ml=False)
    propose_sanction(
        world.counsellor, world.mission_locale, pathway, occurred_on=TODAY, description="Atelier"
    )
    _follow_up(world, n)


def _costs(world) -> dict[tuple[str, str], tuple[int, int | None]]:
    """Each block's queries and count, the blocks run in order on one request as the home
    page runs them (what they share, the person's pathways and access facts, is read by the
    first block that needs it)."""
    costs = {}
    for user, organisation in (
        (world.referent, world.porteur),
        (world.counsellor, world.mission_locale),
    ):
        request = _request(user, organisation)
        for block in BLOCKS:
            with CaptureQueriesContext(connection) as queries:
                todo = block.find(request)
            costs[(block.key, organisation.name)] = (
                len(queries),
                None if todo is None else todo.count,
            )
    return costs


@pytest.mark.django_db
def test_each_block_costs_the_same_queries_whatever_the_pathways(world):
    _situation(world, 1)
    one = _costs(world)
    for n in range(2, 8):
        _situation(world, n)
    seven = _costs(world)
    assert {key: cost[0] for key, cost in seven.items()} == {
        key: cost[0] for key, cost in one.items()
    }
    for key, (_queries, count) in one.items():
        if count is not None:
            assert (count, seven[key][1]) == (1, 7), key
    assert max(queries for queries, _count in seven.values()) <= 6
