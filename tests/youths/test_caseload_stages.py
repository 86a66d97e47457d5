"""The caseload's stage filter: stages registered by the CEJ-JR and housing apps."""

import datetime

import pytest
from django.utils import timezone

from coparcours.cej.factories import PartnershipSettingsFactory, PathwayFactory
from coparcours.cej.rules import Stage
from coparcours.core.access import Category
from coparcours.housing.factories import StayFactory
from coparcours.organisations.models import Role
from coparcours.youths import stages
from coparcours.youths.factories import AssignmentFactory, YouthFactory


def _pathway(youth, stage: str, mission_locale, **kwargs):
    return PathwayFactory(
        youth=youth,
        stage=stage,
        partnership=PartnershipSettingsFactory().partnership,
        mission_locale=mission_locale,
        **kwargs,
    )


def _names(client, **params) -> str:
    response = client.get("/jeunes/", {"vue": "all", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_registry_offers_both_pathways_stages():
    groups = dict(stages.choices()[1:])
    assert ("cej:remobilisation", "Remobilisation") in groups["Parcours CEJ-JR"]
    assert ("housing:hosted", "Accueilli·e") in groups["Hébergement"]
    assert not stages.is_known("cej:unknown") and not stages.is_known("nothing")


@pytest.mark.django_db
def test_filter_by_cej_stage(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    _pathway(
        YouthFactory(owner_organisation=world.owner, last_name="Remobilise"),
        Stage.REMOBILISATION,
        world.partner,
    )
    _pathway(
        YouthFactory(owner_organisation=world.owner, last_name="Repere"),
        Stage.IDENTIFIED,
        world.partner,
    )
    YouthFactory(owner_organisation=world.owner, last_name="Sansparcours")

    page = _names(client, stage="cej:remobilisation")
    assert "REMOBILISE" in page
    assert "REPERE" not in page and "SANSPARCOURS" not in page
    assert "Étape" in page  # the filter is offered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("consent_state", "listed"), [("none", False), ("granted", True), ("withdrawn", False)]
)
def test_stage_filter_does_not_reveal_a_stage_the_user_may_not_read(
    build_world, member_client, consent_state, listed
):
    """The owner's CEJ-JR stage is education/employment data: the co-accompanying mission
    locale learns it through the filter only under a consent covering that category."""
    world = build_world(consent_state, [Category.EDUCATION_EMPLOYMENT])
    _pathway(world.youth, Stage.CONTRACT, world.partner, author_organisation=world.owner)
    client, _ = member_client(world.partner, Role.COUNSELLOR)

    assert "SECRETNOM" in _names(client)  # the youth itself is listed (identity)
    assert ("SECRETNOM" in _names(client, stage="cej:contract")) is listed
    assert "SECRETNOM" not in _names(client, stage="cej:identified")


@pytest.mark.django_db
def test_unrelated_organisation_never_finds_the_youth_by_stage(build_world, member_client):
    world = build_world("granted", [Category.EDUCATION_EMPLOYMENT])
    _pathway(world.youth, Stage.CONTRACT, world.partner, author_organisation=world.owner)
    client, _ = member_client(world.unrelated, Role.REFERENT)
    assert "SECRETNOM" not in _names(client, stage="cej:contract")


@pytest.mark.django_db
def test_filter_by_hosting_situation(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    today = timezone.localdate()
    hosted = YouthFactory(owner_organisation=world.owner, last_name="Heberge")
    left = YouthFactory(owner_organisation=world.owner, last_name="Parti")
    moved = YouthFactory(owner_organisation=world.owner, last_name="Transfere")
    StayFactory(youth=hosted, site__organisation=world.owner, start_date=today)
    StayFactory(
        youth=left,
        site__organisation=world.owner,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=1),
    )
    # a transfer: one ended stay and one in progress — hosted, not left
    StayFactory(
        youth=moved,
        site__organisation=world.owner,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=10),
    )
    StayFactory(
        youth=moved, site__organisation=world.owner, start_date=today - datetime.timedelta(days=10)
    )

    hosted_page = _names(client, stage="housing:hosted")
    assert "HEBERGE" in hosted_page and "TRANSFERE" in hosted_page and "PARTI" not in hosted_page
    left_page = _names(client, stage="housing:left")
    assert "PARTI" in left_page and "HEBERGE" not in left_page and "TRANSFERE" not in left_page


@pytest.mark.django_db
def test_stage_filter_query_count_does_not_grow_with_data(
    build_world, member_client, django_assert_max_num_queries
):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)

    def add(count: int) -> None:
        for _ in range(count):
            youth = YouthFactory(owner_organisation=world.owner)
            AssignmentFactory(youth=youth, organisation=world.partner)
            _pathway(youth, Stage.PRE_CEJ, world.partner)

    add(3)
    with django_assert_max_num_queries(20) as small:
        _names(client, stage="cej:pre_cej")
    add(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = _names(client, stage="cej:pre_cej")
    assert "43 jeunes" in page


@pytest.mark.django_db
def test_api_filters_by_stage_under_the_same_policy(build_world, member_client):
    world = build_world()
    _pathway(world.youth, Stage.CONTRACT, world.partner, author_organisation=world.owner)
    owner_client, _ = member_client(world.owner, Role.REFERENT)
    partner_client, _ = member_client(world.partner, Role.COUNSELLOR)

    def ids(client, stage):
        response = client.get("/api/v1/youths", {"stage": stage})
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert ids(owner_client, "cej:contract") == [world.youth.pk]
    assert ids(owner_client, "cej:exit") == []
    assert ids(partner_client, "cej:contract") == []  # no consent for education/employment
    refused = owner_client.get("/api/v1/youths", {"stage": "cej:nowhere"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "stage"]
    assert "Étape inconnue" in refused.json()["detail"][0]["msg"]
