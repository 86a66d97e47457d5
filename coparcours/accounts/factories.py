"""factory_boy factories for accounts."""

from __future__ import annotations

import factory

from coparcours.accounts.models import User

DEFAULT_PASSWORD = "Demo-Coparcours-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)
