"""``visible_youth_data``: a youth's rows (here the youth's co-accompaniments) are listed
exactly as ``visible_youths`` lists the youths — owned or assigned today, not anonymised,
for roles that handle individual records — and the listing is audited."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.core.access import visible_youth_data, visible_youth_owners, visible_youths
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Role
from coparcours.youths.factories import AssignmentFactory, YouthFactory
from coparcours.youths.models import Assignment, Youth

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2020, 1, 1)


def member(organisation, role=Role.REFERENT):
    return MembershipFactory(organisation=organisation, role=role, start_date=LONG_AGO).user


def test_rows_follow_the_youths_the_user_may_list():
    owner, other = OrganisationFactory(), OrganisationFactory()
    owned = YouthFactory(owner_organisation=owner)
    shared = YouthFactory(owner_organisation=other)
    ended = YouthFactory(owner_organisation=other)
    anonymised = YouthFactory(owner_organisation=owner, anonymised_at=timezone.now())
    unrelated = YouthFactory(owner_organisation=other)
    for youth in (owned, shared, anonymised, unrelated):
        AssignmentFactory(youth=youth, organisation=other, start_date=LONG_AGO)
    AssignmentFactory(youth=shared, organisation=owner, start_date=LONG_AGO)
    AssignmentFactory(
        youth=ended, organisation=owner, start_date=LONG_AGO, end_date=datetime.date(2021, 1, 1)
    )
    referent = member(owner)

    rows = visible_youth_data(referent, Assignment.objects.all())
    assert {row.youth_id for row in rows} == {owned.pk, shared.pk}
    same_rule = visible_youths(referent, Youth.objects.active())
    assert {row.youth_id for row in rows} == set(same_rule.values_list("pk", flat=True))
    assert AuditLog.objects.filter(user=referent, event=AuditEvent.LIST).exists()


@pytest.mark.parametrize("role", [Role.FUNDER_VIEWER, Role.DATA_PROTECTION_OFFICER])
def test_roles_without_casework_list_no_row(role):
    organisation = OrganisationFactory()
    youth = YouthFactory(owner_organisation=organisation)
    AssignmentFactory(youth=youth, organisation=organisation, start_date=LONG_AGO)
    assert not visible_youth_data(member(organisation, role), Assignment.objects.all()).exists()


def test_owners_are_those_of_the_youths_the_user_may_list():
    """The caseload's organisation filter offers exactly the owners of the listed youths:
    not an organisation whose only youth is anonymised, nor the owner of a youth whose
    co-accompaniment has ended, nor one of the user's organisations owning nobody."""
    acting, empty = OrganisationFactory(), OrganisationFactory()
    sharing, former, anonymised_only, unrelated = (OrganisationFactory() for _ in range(4))
    YouthFactory(owner_organisation=acting)
    shared = YouthFactory(owner_organisation=sharing)
    AssignmentFactory(youth=shared, organisation=acting, start_date=LONG_AGO)
    ended = YouthFactory(owner_organisation=former)
    AssignmentFactory(
        youth=ended, organisation=acting, start_date=LONG_AGO, end_date=datetime.date(2021, 1, 1)
    )
    gone = YouthFactory(owner_organisation=anonymised_only, anonymised_at=timezone.now())
    AssignmentFactory(youth=gone, organisation=acting, start_date=LONG_AGO)
    YouthFactory(owner_organisation=unrelated)
    referent = member(acting)
    MembershipFactory(user=referent, organisation=empty, role=Role.REFERENT, start_date=LONG_AGO)

    owners = set(visible_youth_owners(referent, Youth.objects.active()))

    assert owners == {acting, sharing}
    listed = visible_youths(referent, Youth.objects.active())
    assert owners == {youth.owner_organisation for youth in listed}
    funder = member(acting, Role.FUNDER_VIEWER)
    assert not visible_youth_owners(funder, Youth.objects.active()).exists()


def test_accompanied_youths_are_the_union_of_the_owned_and_the_assigned():
    """PostgreSQL reads them as ``owner IN (…) OR id = ANY(ARRAY(assigned))`` (index scans
    in one bitmap), elsewhere as ``id IN (owned UNION assigned)``: the same youths."""
    mine, partner, other = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    owned = YouthFactory(owner_organisation=mine)
    assigned = YouthFactory(owner_organisation=other)
    AssignmentFactory(youth=assigned, organisation=partner, start_date=LONG_AGO)
    ended = YouthFactory(owner_organisation=other)
    AssignmentFactory(
        youth=ended, organisation=partner, start_date=LONG_AGO, end_date=datetime.date(2021, 1, 1)
    )
    YouthFactory(owner_organisation=other)
    today = timezone.localdate()
    for organisations, expected in (
        ([mine.pk, partner.pk], {owned, assigned}),
        ([partner.pk], {assigned}),
        ([mine.pk], {owned}),
    ):
        found = set(Youth.objects.accompanied_by(organisations, today))
        union = set(
            Youth.objects.filter(pk__in=Youth.objects.accompanied_ids(organisations, today))
        )
        assert found == union == expected
