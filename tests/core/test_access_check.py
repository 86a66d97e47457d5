"""``check`` and ``break_glass_read``: memberships from the database, every outcome audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.core.access import AccessFacts, Share, break_glass_read, check
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Role

pytestmark = pytest.mark.django_db


@dataclass
class FakeYouth:
    """A youth record as the policy sees it: a key and the facts of the day."""

    pk: int
    relations: dict[int, frozenset[str]] = field(default_factory=dict)
    shares: frozenset[Share] = frozenset()
    asked_on: list[datetime.date] = field(default_factory=list)

    def access_facts(self, on: datetime.date) -> AccessFacts:
        self.asked_on.append(on)
        return AccessFacts(relations=self.relations, shares=self.shares)


@pytest.fixture
def owner():
    return OrganisationFactory(name="Association propriétaire")


@pytest.fixture
def partner():
    return OrganisationFactory(name="Mission locale partenaire")


def member(organisation, role=Role.REFERENT, **dates):
    return MembershipFactory(organisation=organisation, role=role, **dates).user


def youth_of(owner, partner=None, shares=()):
    relations = {owner.pk: frozenset({"owner"})}
    if partner is not None:
        relations[partner.pk] = frozenset({"cej_partner"})
    return FakeYouth(pk=4242, relations=relations, shares=frozenset(shares))


def last_line() -> AuditLog:
    return AuditLog.objects.order_by("-id").first()


def test_a_grant_is_audited_as_a_read(owner):
    user = member(owner)
    youth = youth_of(owner)
    grant = check(user, youth, "notes", "read")
    assert grant.organisation_id == owner.pk
    line = last_line()
    assert (line.event, line.user, line.user_email) == (AuditEvent.READ, user, user.email)
    assert (line.youth_id, line.category) == (4242, "notes")
    assert (line.organisation_id, line.organisation_name) == (owner.pk, owner.name)
    assert youth.asked_on  # the facts were asked for today's date
    assert AuditLog.objects.count() == 1


def test_a_write_is_audited_as_a_write_with_the_object(owner):
    user = member(owner)
    grant = check(
        user, youth_of(owner), "housing", "write", author_organisation_id=owner.pk, obj=owner
    )
    assert grant.organisation_id == owner.pk
    line = last_line()
    assert line.event == AuditEvent.WRITE
    assert (line.object_type, line.object_id) == ("organisations.Organisation", str(owner.pk))


def test_a_denial_raises_in_french_and_is_audited(owner, partner):
    counsellor = member(partner, Role.COUNSELLOR)
    youth = youth_of(owner, partner, shares=[Share(partner.pk, "health")])  # consent
    with pytest.raises(PermissionDenied, match="secret professionnel"):
        check(counsellor, youth, "health", "read")
    line = last_line()
    assert (line.event, line.user, line.youth_id, line.category) == (
        AuditEvent.DENIED,
        counsellor,
        4242,
        "health",
    )
    assert line.reason == "Lecture refusée"
    assert AuditLog.objects.filter(event=AuditEvent.READ).count() == 0


def test_partner_reads_shared_data_and_only_its_own_otherwise(owner, partner):
    counsellor = member(partner, Role.COUNSELLOR)
    youth = youth_of(owner, partner)
    assert check(counsellor, youth, "notes", author_organisation_id=partner.pk)
    with pytest.raises(PermissionDenied):
        check(counsellor, youth, "notes", author_organisation_id=owner.pk)
    youth.shares = frozenset({Share(partner.pk, "notes", "consent")})
    assert check(counsellor, youth, "notes", author_organisation_id=owner.pk).all_authors
    youth.shares = frozenset()  # consent withdrawn: takes effect at once
    with pytest.raises(PermissionDenied):
        check(counsellor, youth, "notes", author_organisation_id=owner.pk)
    events = list(AuditLog.objects.order_by("id").values_list("event", flat=True))
    assert events == ["read", "denied", "read", "denied"]


def test_an_organisation_without_relation_is_refused(owner):
    stranger = member(OrganisationFactory(name="Association sans lien"), Role.DIRECTOR)
    with pytest.raises(PermissionDenied):
        check(stranger, youth_of(owner), "identity")
    assert last_line().event == AuditEvent.DENIED


def test_only_memberships_in_force_count(owner):
    ended = member(owner, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    with pytest.raises(PermissionDenied):
        check(ended, youth_of(owner), "identity")
    future = member(owner, start_date=timezone.localdate() + datetime.timedelta(days=400))
    with pytest.raises(PermissionDenied):
        check(future, youth_of(owner), "identity")


def test_inactive_and_anonymous_users_are_refused(owner):
    user = member(owner)
    user.is_active = False
    with pytest.raises(PermissionDenied):
        check(user, youth_of(owner), "identity")
    with pytest.raises(PermissionDenied):
        check(AnonymousUser(), youth_of(owner), "identity")
    anonymous_line = last_line()
    assert (anonymous_line.event, anonymous_line.user) == (AuditEvent.DENIED, None)


def test_funder_superuser_gets_no_individual_data(owner):
    funder = member(owner, Role.FUNDER_VIEWER)
    funder.is_superuser = funder.is_staff = True
    funder.save()
    with pytest.raises(PermissionDenied):
        check(funder, youth_of(owner), "identity")


# --- Break-glass read ------------------------------------------------------------------

REASON = "Réquisition judiciaire n° 2026/118 du parquet de Lille"


def test_break_glass_read_by_an_administrator_with_a_reason_is_audited(owner):
    administrator = member(owner, Role.ADMINISTRATOR)
    youth = youth_of(OrganisationFactory(name="Autre association"))
    with pytest.raises(PermissionDenied):
        check(administrator, youth, "identity")  # nothing by default
    break_glass_read(administrator, youth, "justice", f"  {REASON}  ")
    line = last_line()
    assert (line.event, line.user, line.youth_id, line.category) == (
        AuditEvent.BREAK_GLASS,
        administrator,
        4242,
        "justice",
    )
    assert line.reason == REASON
    assert (line.organisation_id, line.organisation_name) == (owner.pk, owner.name)


@pytest.mark.parametrize("reason", ["", "   ", "pour voir", "quatorze lettr", " " * 20 + "court"])
def test_break_glass_read_needs_a_written_reason_of_15_characters(owner, reason):
    administrator = member(owner, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied, match="15 caractères"):
        break_glass_read(administrator, youth_of(owner), "health", reason)
    line = last_line()
    assert (line.event, line.user, line.category) == (AuditEvent.DENIED, administrator, "health")
    assert not AuditLog.objects.filter(event=AuditEvent.BREAK_GLASS).exists()


def test_fifteen_characters_are_enough(owner):
    administrator = member(owner, Role.ADMINISTRATOR)
    break_glass_read(administrator, youth_of(owner), "health", "x" * 15)
    assert last_line().event == AuditEvent.BREAK_GLASS


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.REFERENT, Role.COORDINATOR])
def test_break_glass_read_is_for_administrators_only(owner, role):
    user = member(owner, role)
    user.is_superuser = user.is_staff = True  # being a superuser is not enough
    user.save()
    with pytest.raises(PermissionDenied):
        break_glass_read(user, youth_of(owner), "notes", REASON)
    assert last_line().event == AuditEvent.DENIED


def test_an_ended_administrator_membership_no_longer_opens_break_glass(owner):
    administrator = member(
        owner,
        Role.ADMINISTRATOR,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        break_glass_read(administrator, youth_of(owner), "notes", REASON)
    assert not AuditLog.objects.filter(event=AuditEvent.BREAK_GLASS).exists()


def test_a_user_without_membership_is_refused_everything():
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        check(user, FakeYouth(pk=1), "identity")
    with pytest.raises(PermissionDenied):
        break_glass_read(user, FakeYouth(pk=1), "identity", REASON)
    assert AuditLog.objects.filter(user=user, event=AuditEvent.DENIED).count() == 2
