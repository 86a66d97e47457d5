"""Organisations, consortia and memberships: identifiers, the single lead, no overlap."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from coparcours.accounts.factories import UserFactory
from coparcours.organisations import services
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
    valid_siret,
)
from coparcours.organisations.models import (
    ConsortiumMember,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    periods_overlap,
)
from coparcours.organisations.validators import validate_departement_code, validate_siret
from tests.organisations.memberships import end_membership, give_membership

SIRET_MESSAGE = "Numéro SIRET invalide"
DEPARTEMENT_MESSAGE = "Code de département invalide"


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- SIRET ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # a real, published SIRET (INSEE example)
        "35600000000048",  # La Poste's head office, the documented Luhn exception
        valid_siret(42),
    ],
)
def test_valid_siret_is_accepted(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000075",  # one digit off: the Luhn key fails
        "7328293200007",  # 13 digits
        "732829320000741",  # 15 digits
        "7328293200007A",  # not a number
        "35600000000049",  # La Poste prefix but not the exception
    ],
)
def test_invalid_siret_is_refused_in_french(siret):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert SIRET_MESSAGE in messages_of(error.value)


@pytest.mark.django_db
def test_organisation_full_clean_refuses_a_wrong_siret_and_nothing_is_saved():
    organisation = Organisation(
        kind=OrganisationKind.ASSOCIATION,
        name="Association au SIRET faux",
        siret="73282932000075",
        departement_code="59",
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert SIRET_MESSAGE in " ".join(error.value.message_dict["siret"])
    assert not Organisation.objects.filter(name="Association au SIRET faux").exists()


@pytest.mark.django_db
def test_every_demo_organisation_passes_validation(demo):
    organisations = list(Organisation.objects.all())
    assert len(organisations) == 7
    for organisation in organisations:
        organisation.full_clean()


@pytest.mark.django_db
def test_siret_is_unique_in_validation_and_in_the_database():
    OrganisationFactory(name="Première", siret="73282932000074")
    twin = Organisation(
        kind=OrganisationKind.PARTNER,
        name="Seconde",
        siret="73282932000074",
        departement_code="59",
    )
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "Une organisation avec ce SIRET existe déjà." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db
def test_organisations_without_siret_may_coexist():
    OrganisationFactory(name="Sans SIRET 1", siret="")
    second = Organisation(
        kind=OrganisationKind.PARTNER, name="Sans SIRET 2", siret="", departement_code="62"
    )
    second.full_clean()
    second.save()
    assert Organisation.objects.filter(siret="").count() == 2


# --- Départements --------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["01", "09", "19", "21", "59", "62", "95", "2A", "2B", "971", "974", "976"]
)
def test_departement_codes_of_the_official_geographic_code_are_accepted(code):
    validate_departement_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "00",
        "1",
        "20",  # Corsica has been 2A and 2B since 1976
        "96",
        "99",
        "2C",
        "2a",
        "975",  # Saint-Pierre-et-Miquelon is an overseas collectivity, not a département
        "977",
        "059",
        "",
    ],
)
def test_other_departement_codes_are_refused_in_french(code):
    with pytest.raises(ValidationError) as error:
        validate_departement_code(code)
    assert DEPARTEMENT_MESSAGE in messages_of(error.value)


# --- Consortium: exactly one lead ----------------------------------------------------


@pytest.mark.django_db
def test_database_refuses_a_second_lead():
    consortium = ConsortiumFactory()
    ConsortiumMemberFactory(consortium=consortium, is_lead=True)
    second = ConsortiumMemberFactory.build(
        consortium=consortium, organisation=OrganisationFactory(), is_lead=True
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "Un groupement n'a qu'un seul mandataire." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert consortium.members.filter(is_lead=True).count() == 1


@pytest.mark.django_db
def test_leads_of_different_consortia_do_not_collide():
    organisation = OrganisationFactory()
    ConsortiumMemberFactory(organisation=organisation, is_lead=True)
    ConsortiumMemberFactory(organisation=organisation, is_lead=True)
    assert ConsortiumMember.objects.filter(organisation=organisation, is_lead=True).count() == 2


@pytest.mark.django_db
def test_database_refuses_the_same_organisation_twice_in_a_consortium():
    member = ConsortiumMemberFactory()
    twin = ConsortiumMember(consortium=member.consortium, organisation=member.organisation)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "Cette organisation est déjà membre du groupement." in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_lead_count_rule_wants_exactly_one():
    assert services.lead_count_error(1) is None
    assert "Désignez le mandataire" in services.lead_count_error(0)
    assert "Un seul membre peut être mandataire" in services.lead_count_error(2)
    assert "Un seul membre peut être mandataire" in services.lead_count_error(3)


# --- Memberships: no overlap, ended never deleted --------------------------------------


def author():
    """The administrator who gives and ends the memberships (audited as their author)."""
    return UserFactory(email="administrateur@exemple.fr")


@pytest.mark.django_db
def test_a_membership_overlapping_an_open_one_is_refused_in_french_and_nothing_saved():
    user = UserFactory()
    organisation = OrganisationFactory()
    give_membership(user, organisation, Role.REFERENT, datetime.date(2024, 1, 1), by=author())
    with pytest.raises(ValidationError) as error:
        give_membership(user, organisation, Role.REFERENT, datetime.date(2024, 6, 1), by=author())
    assert "déjà ce rôle dans cette organisation" in messages_of(error.value)
    assert Membership.objects.filter(user=user).count() == 1


def d(iso: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(iso) if iso else None


@pytest.mark.parametrize(
    ("existing", "new", "overlaps"),
    [
        # [start, end) periods, an end of None is open
        (("2024-01-01", "2024-07-01"), ("2024-06-01", None), True),
        (("2024-01-01", "2024-07-01"), ("2023-01-01", "2024-01-02"), True),
        (("2024-01-01", None), ("2020-01-01", None), True),
        (("2024-01-01", None), ("2030-01-01", "2031-01-01"), True),
        # half-open: ending on the day the next starts does not overlap
        (("2024-01-01", "2024-07-01"), ("2024-07-01", None), False),
        (("2024-07-01", None), ("2024-01-01", "2024-07-01"), False),
    ],
)
@pytest.mark.django_db
def test_membership_overlap_follows_half_open_periods(existing, new, overlaps):
    user = UserFactory()
    organisation = OrganisationFactory()
    existing, new = [d(day) for day in existing], [d(day) for day in new]
    give_membership(user, organisation, Role.COUNSELLOR, *existing, by=author())
    if overlaps:
        with pytest.raises(ValidationError) as error:
            give_membership(user, organisation, Role.COUNSELLOR, *new, by=author())
        assert "sur cette période" in messages_of(error.value)
        assert Membership.objects.filter(user=user).count() == 1
    else:
        give_membership(user, organisation, Role.COUNSELLOR, *new, by=author())
        assert Membership.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_another_role_or_organisation_is_not_a_duplicate():
    user = UserFactory()
    organisation = OrganisationFactory()
    give_membership(user, organisation, Role.REFERENT, by=author())
    give_membership(user, organisation, Role.DIRECTOR, by=author())
    give_membership(user, OrganisationFactory(), Role.REFERENT, by=author())
    assert Membership.objects.filter(user=user).count() == 3


@pytest.mark.django_db
def test_database_refuses_two_open_memberships_with_the_same_role():
    membership = MembershipFactory()
    twin = Membership(
        user=membership.user,
        organisation=membership.organisation,
        role=membership.role,
        start_date=datetime.date(2025, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db
def test_membership_end_must_follow_its_start():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        give_membership(
            user,
            OrganisationFactory(),
            Role.REFERENT,
            datetime.date(2024, 1, 1),
            datetime.date(2024, 1, 1),
            by=author(),
        )
    assert "La fin du rattachement doit suivre son début." in messages_of(error.value)
    assert not Membership.objects.filter(user=user).exists()
    membership = MembershipFactory(start_date=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(end_date=datetime.date(2023, 1, 1))


@pytest.mark.django_db
def test_ended_membership_stays_in_history_and_is_no_longer_active():
    membership = MembershipFactory(start_date=datetime.date(2024, 1, 1))
    end_membership(membership, datetime.date(2025, 1, 1), by=author())
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 1, 1)
    assert membership.is_active(datetime.date(2024, 12, 31))
    assert not membership.is_active(datetime.date(2025, 1, 1))
    assert not Membership.objects.active(datetime.date(2025, 1, 1)).filter(pk=membership.pk)
    assert Membership.objects.active(datetime.date(2024, 12, 31)).filter(pk=membership.pk)
    # A new open membership with the same role may follow the ended one.
    give_membership(
        membership.user,
        membership.organisation,
        membership.role,
        datetime.date(2025, 1, 1),
        by=author(),
    )


@pytest.mark.django_db
def test_ending_a_membership_before_its_start_is_refused():
    membership = MembershipFactory(start_date=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        end_membership(membership, datetime.date(2023, 6, 1), by=author())
    membership.refresh_from_db()
    assert membership.end_date is None


days = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2020, 3, 1))


@st.composite
def periods(draw):
    start = draw(days)
    end = draw(st.none() | days.filter(lambda day: day > start))
    return start, end


def _days_of(start: datetime.date, end: datetime.date | None) -> set[datetime.date]:
    last = end or datetime.date(2020, 3, 2)  # beyond every drawn day: open stands for "later"
    return {start + datetime.timedelta(n) for n in range((last - start).days)}


@given(periods(), periods())
def test_periods_overlap_exactly_when_they_share_a_day(a, b):
    assert periods_overlap(*a, *b) == bool(_days_of(*a) & _days_of(*b))
    assert periods_overlap(*a, *b) == periods_overlap(*b, *a)
