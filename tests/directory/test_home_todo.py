"""The directory's "À traiter" block: the orientations the acting organisation sent that a
structure answered since the last visit, as far as the person may read them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.core.access import Category
from coparcours.directory.home import answered_referrals
from coparcours.directory.models import Referral, RefusalReason, Service
from coparcours.directory.services.referrals import answer_referral, send_referral
from coparcours.organisations.models import Membership, Role
from coparcours.organisations.todo import Tone
from coparcours.youths.models import Assignment
from tests.organisations.todo_blocks import home_todo, labels
from tests.youths.conftest import _build_world, _member_client

FJT = "coparcours-demo-nord--fjt-moulins-logement"
E2C = "coparcours-demo-nord--e2c-parcours"
CMP = "coparcours-demo-nord--cmp-lille-premier-rdv"


@pytest.fixture
def world(nord_directory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return _build_world()


def _sent(user, youth, organisation, service_id: str, category=Category.EDUCATION_EMPLOYMENT):
    return send_referral(
        user,
        youth,
        organisation,
        service=Service.objects.get(di_id=service_id),
        categories=[category],
        message="Orientation pour la suite du parcours.",
        consented_categories=[Category.IDENTITY, category],
        consent_given_by="youth",
        consent_method="signed_form",
    )


def _answered(referral: Referral, minutes_ago: int, refusal: str = "") -> Referral:
    answer_referral(referral, accepted=not refusal, reason=refusal, answered_by="Accueil")
    Referral.objects.filter(pk=referral.pk).update(
        answered_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return referral


@pytest.mark.django_db
def test_answers_since_the_last_visit_latest_first(world):
    referent, user = _member_client(world.owner, Role.REFERENT)
    user.previous_login = timezone.now() - datetime.timedelta(hours=1)
    user.save(update_fields=["previous_login"])
    accepted = _answered(_sent(user, world.youth, world.owner, FJT), 30)
    refused = _answered(_sent(user, world.youth, world.owner, E2C), 10, RefusalReason.FULL)
    _answered(_sent(user, world.youth, world.owner, E2C), 24 * 60)  # seen at the last visit
    _sent(user, world.youth, world.owner, FJT)  # still waiting for its answer

    block = home_todo(referent)["answered_referrals"]
    assert block.count == 2
    assert labels(block) == [str(world.youth)] * 2
    first, second = block.rows
    assert first.url == f"/annuaire/orientations/{refused.pk}/"
    assert (first.badge, first.tone) == (
        "refusée : plus de place ou liste d'attente complète",
        Tone.NEW,
    )
    refused.refresh_from_db()
    assert first.detail == (
        "Parcours de formation en alternance (E2C) (École de la deuxième chance Grand Lille), "
        f"réponse du {timezone.localtime(refused.answered_at):%d/%m/%Y}"
    )
    assert (second.url, second.badge) == (f"/annuaire/orientations/{accepted.pk}/", "acceptée")
    assert first.action == "Voir l'orientation"
    response = referent.get(first.url)
    assert response.status_code == 200
    assert "Parcours de formation en alternance" in response.content.decode()


@pytest.mark.django_db
def test_answers_in_a_category_the_person_may_not_read_are_left_out(world):
    _, referent = _member_client(world.owner, Role.REFERENT)
    _answered(_sent(referent, world.youth, world.owner, CMP, Category.MENTAL_HEALTH), 5)
    _answered(_sent(referent, world.youth, world.owner, FJT), 5)
    # a counsellor of the same organisation never reads mental health
    counsellor, _ = _member_client(world.owner, Role.COUNSELLOR)
    block = home_todo(counsellor)["answered_referrals"]
    assert block.count == 1
    assert block.rows[0].detail.startswith("Logement meublé pour jeunes")
    assert counsellor.get(block.rows[0].url).status_code == 200


@pytest.mark.django_db
def test_answers_are_the_senders_own_while_it_accompanies_the_youth(world):
    _, owner_referent = _member_client(world.owner, Role.REFERENT)
    _answered(_sent(owner_referent, world.youth, world.owner, FJT), 5)
    partner, partner_user = _member_client(world.partner, Role.COUNSELLOR)
    assert home_todo(partner)["answered_referrals"].count == 0  # sent by the owner
    _answered(_sent(partner_user, world.youth, world.partner, E2C), 5)
    assert home_todo(partner)["answered_referrals"].count == 1
    Assignment.objects.filter(youth=world.youth, organisation=world.partner).update(
        end_date=timezone.localdate()
    )
    assert home_todo(partner)["answered_referrals"].count == 0  # no longer accompanies
    for organisation, role in ((world.funder, Role.FUNDER_VIEWER), (world.owner, Role.DIRECTOR)):
        client, _ = _member_client(organisation, role)
        assert "answered_referrals" not in home_todo(client)


@pytest.mark.django_db
def test_answered_referrals_cost_the_same_queries_for_more_rows(world):
    _, user = _member_client(world.owner, Role.REFERENT)
    _answered(_sent(user, world.youth, world.owner, FJT), 5)

    def queries() -> int:
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=user.pk)
        request.membership = (
            Membership.objects.active().with_standings().get(user=user, organisation=world.owner)
        )
        with CaptureQueriesContext(connection) as captured:
            answered_referrals(request)
        return len(captured)

    few = queries()
    for minutes in range(6):
        _answered(_sent(user, world.youth, world.owner, E2C), minutes, RefusalReason.FULL)
    assert queries() == few


@pytest.mark.django_db
def test_the_demo_referrals_answered_show_to_their_senders(demo, login_client):
    from coparcours.demo.directory_partners import load_referral_demo

    load_referral_demo()
    load_referral_demo()  # loading again changes nothing
    assert Referral.objects.count() == 2
    counsellor = login_client(demo.users["conseiller"])
    block = home_todo(counsellor)["answered_referrals"]
    assert labels(block) == ["MARTIN Lucas"]
    assert block.rows[0].badge == "refusée : plus de place ou liste d'attente complète"
    assert counsellor.get(block.rows[0].url).status_code == 200

    referente = login_client(demo.users["referente"])
    porteur = Membership.objects.get(user=demo.users["referente"], organisation=demo.porteur)
    referente.post("/organisation/changer/", {"membership": porteur.pk})
    block = home_todo(referente)["answered_referrals"]
    assert [(row.label, row.badge) for row in block.rows] == [("MARTIN Lucas", "acceptée")]
    assert referente.get(block.rows[0].url).status_code == 200
