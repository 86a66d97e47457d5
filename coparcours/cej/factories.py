"""factory_boy factories for CEJ-JR pathways: shared by tests, the demo and the benchmarks."""

from __future__ import annotations

import datetime

import factory

from coparcours.cej.models import Contact, PartnershipSettings, Pathway
from coparcours.cej.models.eligibility import ContactSource
from coparcours.cej.rules import Channel, Stage
from coparcours.organisations.factories import ConsortiumFactory
from coparcours.organisations.models import ConsortiumKind
from coparcours.youths.factories import YouthFactory


class PartnershipSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipSettings
        django_get_or_create = ("partnership",)

    partnership = factory.SubFactory(ConsortiumFactory, kind=ConsortiumKind.CEJ_JR)
    departement_code = "59"
    minimum_weekly_hours = 15


class PathwayFactory(factory.django.DjangoModelFactory):
    """A pathway row only: services.outreach.record_outreach also adds the assignment and checks."""

    class Meta:
        model = Pathway

    youth = factory.SubFactory(YouthFactory)
    author_organisation = factory.SelfAttribute("youth.owner_organisation")
    identified_on = datetime.date(2025, 9, 1)
    stage = Stage.IDENTIFIED
    stage_since = factory.SelfAttribute("identified_on")
    spotted_where = "Gare Lille-Flandres"
    spotted_by = "Équipe de prévention spécialisée"
    spotted_how = "street"
    registration = "registered"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    youth = factory.SubFactory(YouthFactory)
    author_organisation = factory.SelfAttribute("youth.owner_organisation")
    occurred_on = datetime.date(2025, 1, 10)
    channel = Channel.INTERVIEW
    answered = True
    intends_to_continue = True
    source = ContactSource.TYPED
