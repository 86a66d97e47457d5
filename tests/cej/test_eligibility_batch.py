"""Eligibility of many pathways at once gives exactly the verdict of the one-by-one engine."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.cej.factories import ContactFactory
from coparcours.cej.models import EligibilityDerogation, Pathway
from coparcours.cej.rules import Channel
from coparcours.cej.services.eligibility import compute_eligibility, eligibility_of_pathways

from .conftest import TODAY

DAY = TODAY
CASES = [
    # (last name, registration, contacts as (days ago, channel, answered, intends))
    ("Jamais", "never", []),
    ("Recent", "registered", [(40, Channel.INTERVIEW, True, True)]),
    ("Ancien", "registered", [(220, Channel.CALL, True, True), (21, Channel.SMS, False, False)]),
    ("Futur", "registered", [(400, Channel.INTERVIEW, True, True), (-3, Channel.CALL, True, True)]),
    ("Sanscontact", "registered", [(10, Channel.EMAIL, True, True)]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("with_derogation", [False, True])
def test_batch_matches_the_engine_for_each_pathway(world, with_derogation):
    if with_derogation:
        EligibilityDerogation.objects.create(
            departement_code="59",
            label="Quartiers prioritaires",
            months=1,
            start_date=DAY - datetime.timedelta(days=365),
        )
    for name, registration, contacts in CASES:
        pathway = world.outreach(
            youth_fields={
                "last_name": name,
                "first_names": "Test",
                "birth_date": datetime.date(2004, 2, 3),
            },
            registration=registration,
            registered_on=DAY - datetime.timedelta(days=900) if registration != "never" else None,
        )
        for days_ago, channel, answered, intends in contacts:
            ContactFactory(
                youth=pathway.youth,
                occurred_on=DAY - datetime.timedelta(days=days_ago),
                channel=channel,
                answered=answered,
                intends_to_continue=intends,
                author_organisation=world.mission_locale,
            )

    pathways = Pathway.objects.all()
    with CaptureQueriesContext(connection) as captured:
        answers = eligibility_of_pathways(pathways, DAY)
    assert len(captured.captured_queries) <= 4  # setting, contacts, derogations, pathways

    assert len(answers) == len(CASES)
    for pathway in pathways:
        expected = compute_eligibility(pathway, DAY)
        answer = answers[pathway.pk]
        assert (answer.status, answer.eligible_from) == (
            expected.status,
            expected.eligible_from,
        ), pathway.youth.last_name
        assert answer.eligible == expected.eligible
    statuses = {p.youth.last_name.upper(): answers[p.pk].status for p in pathways}
    assert statuses["JAMAIS"] == "eligible"
    assert statuses["RECENT"] == ("by_derogation" if with_derogation else "eligible_on")
