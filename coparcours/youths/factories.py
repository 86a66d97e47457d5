"""factory_boy factories for youths: shared by tests, the demo and the benchmarks."""

from __future__ import annotations

import datetime

import factory

from coparcours.core.access import Relation
from coparcours.organisations.factories import OrganisationFactory
from coparcours.youths.models import Assignment, Consent, Note, Youth
from coparcours.youths.models.consents import ConsentMethod
from coparcours.youths.models.records import Sex


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth

    owner_organisation = factory.SubFactory(OrganisationFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name", locale="fr_FR")
    sex = Sex.UNSPECIFIED
    birth_date = factory.Faker(
        "date_between", start_date=datetime.date(2003, 1, 1), end_date=datetime.date(2009, 12, 31)
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    youth = factory.SubFactory(YouthFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    relation = Relation.CO_ACCOMPANIMENT
    role = "Co-accompagnement"
    start_date = datetime.date(2024, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    youth = factory.SubFactory(YouthFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    categories = factory.LazyFunction(lambda: ["contact"])
    purpose = "Accompagnement partagé"
    method = ConsentMethod.ORAL_WITH_WITNESS
    witness = "Témoin"
    start_date = datetime.date(2024, 1, 1)
    author_organisation = factory.SelfAttribute("youth.owner_organisation")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    youth = factory.SubFactory(YouthFactory)
    category = "notes"
    title = factory.Faker("sentence", nb_words=4, locale="fr_FR")
    text = factory.Faker("paragraph", locale="fr_FR")
    occurred_on = datetime.date(2024, 6, 1)
    author_organisation = factory.SelfAttribute("youth.owner_organisation")
