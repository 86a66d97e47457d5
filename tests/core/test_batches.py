"""Long lists of ids are cut for ``__in`` lookups, and the access facts of any number of
youths are the same whether read at once or in chunks."""

import datetime

import pytest

from coparcours.core import batches
from coparcours.core.batches import chunks
from coparcours.organisations.factories import OrganisationFactory
from coparcours.youths.factories import AssignmentFactory, ConsentFactory, YouthFactory
from coparcours.youths.models.records import access_facts_for


def test_chunks_cut_lists_in_order():
    assert list(chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunks([], 2)) == []
    assert list(chunks(iter("abc"))) == [["a", "b", "c"]]


@pytest.mark.django_db
def test_access_facts_are_the_same_when_read_in_chunks(monkeypatch):
    owner, partner = OrganisationFactory(), OrganisationFactory()
    youths = [YouthFactory(owner_organisation=owner) for _ in range(3)]
    AssignmentFactory(youth=youths[1], organisation=partner)
    ConsentFactory(youth=youths[2], organisation=partner, categories=["health"])
    owners = {youth.pk: owner.pk for youth in youths}
    day = datetime.date.today()
    at_once = access_facts_for(owners, day)
    monkeypatch.setattr(batches, "IDS_PER_QUERY", 1)
    assert access_facts_for(owners, day) == at_once
    assert at_once[youths[0].pk].relations.keys() == {owner.pk}
    assert at_once[youths[1].pk].relations.keys() == {owner.pk, partner.pk}
    assert {share.category for share in at_once[youths[2].pk].shares} == {"health"}
