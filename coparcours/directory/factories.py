"""Factories and the Nord directory shared by tests, the demo and the benchmarks."""

from __future__ import annotations

import datetime
from pathlib import Path

import factory

from coparcours.directory.models import ReferenceValue, Service, Structure
from coparcours.directory.services.exchange import import_file, sync_reference_values
from coparcours.directory.services.schemes import load_schemes
from coparcours.organisations.models import Organisation

NORD_SAMPLE = Path(__file__).parent / "fixtures" / "nord-sample.json"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    source = "essai"
    di_id = factory.Sequence(lambda n: f"essai--structure-{n}")
    nom = factory.Sequence(lambda n: f"Structure d'essai {n}")
    date_maj = datetime.date(2025, 1, 15)
    code_postal = "59000"
    commune = "Lille"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    source = "essai"
    di_id = factory.Sequence(lambda n: f"essai--service-{n}")
    nom = factory.Sequence(lambda n: f"Service d'essai {n}")
    description = "Un service d'essai pour les jeunes."
    date_maj = datetime.date(2025, 1, 15)
    code_postal = "59000"
    commune = "Lille"
    courriel = "accueil@structure.exemple.fr"

    @factory.post_generation
    def codes(self, create: bool, extracted: list[tuple[str, str]] | None, **kwargs) -> None:
        """``codes=[(value list, code), ...]`` such as ("thematique", "sante--sante-mentale")."""
        if create and extracted:
            self.codes.set(
                [ReferenceValue.objects.get(value_list=vl, code=code) for vl, code in extracted]
            )


def load_nord_directory(links: dict[str, Organisation]) -> None:
    """The Nord sample in the data·inclusion schema, its schemes, and the structures that use
    Coparcours (``links``: data·inclusion id → organisation). Idempotent."""
    sync_reference_values()
    import_file(NORD_SAMPLE.read_bytes(), NORD_SAMPLE.name)
    for di_id, organisation in links.items():
        Structure.objects.filter(di_id=di_id, organisation__isnull=True).update(
            organisation=organisation
        )
    load_schemes()
