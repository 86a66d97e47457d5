"""factory_boy factories for the housing: shared by tests, the demo and the benchmarks."""

from __future__ import annotations

import datetime

import factory

from coparcours.housing.models import (
    CapacityChange,
    PlacementRequest,
    SeriousIncident,
    Site,
    Stay,
    Wave,
)
from coparcours.housing.models.incidents import IncidentKind
from coparcours.housing.models.requests import Urgency
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.factories import ConsortiumFactory, OrganisationFactory
from coparcours.youths.factories import YouthFactory


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("consortium", "name")

    consortium = factory.SubFactory(ConsortiumFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n:04d}")
    kind = SiteKind.MECS
    address = factory.Faker("street_address", locale="fr_FR")
    postal_code = "59000"
    city = "Lille"
    min_age = 11
    max_age = 17


class WaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wave

    consortium = factory.SubFactory(ConsortiumFactory)
    name = factory.Sequence(lambda n: f"Vague {n}")
    decided_on = datetime.date(2018, 11, 15)
    planned_places = 10
    planned_start = datetime.date(2018, 11, 15)
    planned_end = datetime.date(2019, 5, 31)


class CapacityChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityChange

    site = factory.SubFactory(SiteFactory)
    places = 10
    planned_on = datetime.date(2018, 11, 15)
    opened_on = factory.SelfAttribute("planned_on")


class PlacementRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementRequest

    consortium = factory.SubFactory(ConsortiumFactory)
    funder = factory.SelfAttribute("consortium.funder")
    reference = factory.Sequence(lambda n: f"ASE-{n:05d}")
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name", locale="fr_FR")
    age = 15
    sex = "M"
    urgency = Urgency.NORMAL
    requested_date = factory.LazyFunction(datetime.date.today)


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    youth = factory.SubFactory(YouthFactory)
    site = factory.SubFactory(SiteFactory)
    author_organisation = factory.SelfAttribute("site.organisation")
    start_date = datetime.date(2024, 1, 1)


class SeriousIncidentFactory(factory.django.DjangoModelFactory):
    """An incident already reported (statistics and benchmarks: the services check the
    dates and who reports)."""

    class Meta:
        model = SeriousIncident

    site = factory.SubFactory(SiteFactory)
    consortium = factory.SelfAttribute("site.consortium")
    organisation = factory.SelfAttribute("site.organisation")
    kind = IncidentKind.VIOLENCE
    occurred_on = datetime.date(2025, 3, 10)
    facts = "Altercation entre deux jeunes au repas."
    measures = "Entretien avec chacun, rappel du règlement."
