import datetime

import pytest

from coparcours.organisations.models import Role
from coparcours.youths import selectors
from coparcours.youths.factories import AssignmentFactory, NoteFactory, YouthFactory


def _caseload_html(client, **params) -> str:
    response = client.get("/jeunes/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_caseload_scopes_and_filters(build_world, member_client):
    world = build_world()
    client, user = member_client(world.owner, Role.REFERENT)
    _other_client, colleague = member_client(world.owner, Role.REFERENT)
    YouthFactory(owner_organisation=world.owner, referent=user, last_name="Mienne")
    YouthFactory(owner_organisation=world.owner, referent=colleague, last_name="Collegue")
    shared = YouthFactory(owner_organisation=world.partner, last_name="Partagee")
    AssignmentFactory(youth=shared, organisation=world.owner)
    YouthFactory(owner_organisation=world.unrelated, last_name="Etrangere")

    organisation_view = _caseload_html(client)
    assert "MIENNE" in organisation_view and "COLLEGUE" in organisation_view
    assert "PARTAGEE" not in organisation_view and "ETRANGERE" not in organisation_view
    mine_view = _caseload_html(client, vue="mine")
    assert "MIENNE" in mine_view and "COLLEGUE" not in mine_view
    shared_view = _caseload_html(client, vue="shared")
    assert "PARTAGEE" in shared_view and "MIENNE" not in shared_view
    everything = _caseload_html(client, vue="all")
    assert all(name in everything for name in ("MIENNE", "COLLEGUE", "PARTAGEE"))
    assert "ETRANGERE" not in everything
    by_referent = _caseload_html(client, vue="all", referent=colleague.pk)
    assert "COLLEGUE" in by_referent and "MIENNE" not in by_referent
    by_owner = _caseload_html(client, vue="all", organisation=world.partner.pk)
    assert "PARTAGEE" in by_owner and "MIENNE" not in by_owner
    # an organisation the user cannot list is not a valid filter value (no leak by filtering)
    refused = _caseload_html(client, vue="all", organisation=world.unrelated.pk)
    assert "ETRANGERE" not in refused
    by_text = _caseload_html(client, vue="all", q="mien")
    assert "MIENNE" in by_text and "COLLEGUE" not in by_text


@pytest.mark.django_db
def test_caseload_is_paginated(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    for n in range(30):
        YouthFactory(owner_organisation=world.owner, last_name=f"Page{n:02d}")
    first = _caseload_html(client)
    assert "Page 1 sur 2" in first and "31 jeunes" in first
    second = _caseload_html(client, page=2)
    assert "Page 2 sur 2" in second


def _add_youths(world, count: int) -> None:
    for n in range(count):
        youth = YouthFactory(owner_organisation=world.owner, last_name=f"Charge{n}")
        AssignmentFactory(youth=youth, organisation=world.partner)
        NoteFactory(youth=youth, author_organisation=world.owner)


@pytest.mark.django_db
def test_caseload_query_count_does_not_grow_with_data(
    build_world, member_client, django_assert_max_num_queries
):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    _add_youths(world, 3)
    with django_assert_max_num_queries(16) as small:
        client.get("/jeunes/", {"vue": "all"})
    _add_youths(world, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/jeunes/", {"vue": "all"})


@pytest.mark.django_db
def test_record_page_query_count_does_not_grow_with_data(
    build_world, member_client, django_assert_max_num_queries
):
    world = build_world("granted", ["contact"])
    client, _ = member_client(world.partner, Role.COUNSELLOR)
    url = f"/jeunes/{world.youth.pk}/"
    # session, user, memberships; the youth with its organisation and referent;
    # assignments and consents (the access facts taken from them), notes, documents, two
    # audit writes, erasure requests, the unmet needs' panel; the session's first request
    # also saves its activity (three statements)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    for n in range(30):
        NoteFactory(youth=world.youth, author_organisation=world.owner, category="contact")
        AssignmentFactory(
            youth=world.youth,
            organisation=world.unrelated,
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=2 * n),
            end_date=datetime.date(2020, 1, 2) + datetime.timedelta(days=2 * n),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_the_referent_filter_reads_names_not_accounts(
    build_world, member_client, django_assert_num_queries
):
    world = build_world()
    _client, user = member_client(world.owner, Role.REFERENT)
    referents = selectors.caseload_referents(world.owner.pk)
    assert "password" not in str(referents.query)
    (found,) = referents
    with django_assert_num_queries(0):  # the option's label needs no further query
        assert found == user and str(found) == str(user)
