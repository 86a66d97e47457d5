"""The access policy's facts about a youth are the same whether the co-accompaniments and
consents in force are read for the decision (lists, jobs) or taken from those the record
page has already read to show them: the same decision, two queries fewer."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import prefetch_related_objects
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coparcours.core.access import Category, Relation, ShareBasis
from coparcours.organisations.factories import OrganisationFactory
from coparcours.youths import selectors
from coparcours.youths.factories import AssignmentFactory, ConsentFactory, YouthFactory
from coparcours.youths.models.records import access_facts_for

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)


def _period():
    """A start around the day and an end after it, or none (open-ended)."""
    return st.tuples(st.integers(-3, 3), st.one_of(st.none(), st.integers(1, 4))).map(
        lambda p: (
            DAY + datetime.timedelta(days=p[0]),
            None if p[1] is None else DAY + datetime.timedelta(days=p[0] + p[1]),
        )
    )


assignments = st.lists(
    st.tuples(
        _period(),
        st.integers(0, 2),
        st.sampled_from([r for r in Relation.values if r != Relation.OWNER]),
    ),
    max_size=4,
)
consents = st.lists(
    st.tuples(
        _period(),
        st.integers(0, 2),
        st.lists(st.sampled_from(Category.values), min_size=1, max_size=3, unique=True),
        st.sampled_from(ShareBasis.values),
        st.one_of(st.none(), st.integers(-2, 2)),  # withdrawn so many days from the day
    ),
    max_size=4,
)


@pytest.fixture
def organisations(db):
    return [OrganisationFactory() for _ in range(3)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(assignments, consents, st.integers(-3, 6))
def test_facts_from_the_rows_read_by_the_record_equal_the_facts_read_for_the_policy(
    organisations, assignments, consents, offset
):
    youth = YouthFactory(owner_organisation=organisations[0])
    for (start, end), organisation, relation in assignments:
        AssignmentFactory(
            youth=youth,
            organisation=organisations[organisation],
            relation=relation,
            start_date=start,
            end_date=end,
        )
    for (start, end), organisation, categories, basis, withdrawn in consents:
        ConsentFactory(
            youth=youth,
            organisation=organisations[organisation],
            categories=categories,
            basis=basis,
            start_date=start,
            end_date=end,
            withdrawn_at=None
            if withdrawn is None
            else timezone.make_aware(
                datetime.datetime.combine(DAY + datetime.timedelta(days=withdrawn), datetime.time())
            ),
        )
    on = DAY + datetime.timedelta(days=offset)
    read_for_the_policy = access_facts_for({youth.pk: youth.owner_organisation_id}, on)[youth.pk]
    selectors.accompaniments_and_consents(youth)
    assert youth.access_facts(on) == read_for_the_policy


def test_the_record_decides_without_reading_co_accompaniments_and_consents_again(
    organisations, django_assert_num_queries
):
    youth = YouthFactory(owner_organisation=organisations[0])
    AssignmentFactory(youth=youth, organisation=organisations[1], start_date=DAY)
    ConsentFactory(youth=youth, organisation=organisations[2], start_date=DAY)
    prefetch_related_objects([youth], "assignments", "consents")
    with django_assert_num_queries(0):
        facts = youth.access_facts(DAY)
    assert set(facts.relations) == {org.pk for org in organisations[:2]}
    assert {share.organisation_id for share in facts.shares} == {organisations[2].pk}
