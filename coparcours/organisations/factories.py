"""factory_boy factories for organisations: shared by tests, the demo and the benchmarks."""

from __future__ import annotations

import datetime

import factory
from stdnum import luhn

from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    ConsortiumMember,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)


def valid_siret(n: int) -> str:
    """A valid, fictitious SIRET derived from a sequence number (unique below 10 million).

    INSEE: the SIREN's 9th digit is its Luhn key, and the 14-digit SIRET (SIREN + NIC) has a
    Luhn key of its own (python-stdnum ``stdnum.fr.siret`` checks both).
    """
    siren = f"9{n % 10**7:07d}"
    siren += luhn.calc_check_digit(siren)
    establishment = siren + "0001"
    return establishment + luhn.calc_check_digit(establishment)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    kind = OrganisationKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Association {n:04d}")
    siret = factory.Sequence(valid_siret)
    address = factory.Faker("street_address", locale="fr_FR")
    postal_code = "59000"
    city = "Lille"
    departement_code = "59"


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consortium
        django_get_or_create = ("name",)

    kind = ConsortiumKind.GME
    name = factory.Sequence(lambda n: f"Groupement {n:04d}")
    funder = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.DEPARTEMENT,
        name=factory.Sequence(lambda n: f"Département {n:04d}"),
    )
    start_date = datetime.date(2018, 11, 15)


class ConsortiumMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMember

    consortium = factory.SubFactory(ConsortiumFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_lead = False
    joined_on = factory.SelfAttribute("consortium.start_date")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("coparcours.accounts.factories.UserFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REFERENT
    start_date = datetime.date(2020, 1, 1)
