"""Default dated settings from the regulation (docs/domain-rules.md, "Figures are dated
settings"), editable in the admin.

Loaded by migration 0002 and again by the demo (a flush after a transactional test empties
every table, migration data included). Idempotent: existing rows are kept as they are.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

ALLOWANCE = [
    # start, adult non-taxable, adult first bracket, minor (D.5131-19; openfisca-france)
    ("2022-03-01", "500.00", "300.00", "200.00"),
    ("2022-07-01", "520.00", "312.00", "208.00"),
    ("2023-04-01", "528.00", "316.80", "211.20"),
    ("2024-04-01", "552.29", "331.37", "220.92"),
    ("2025-04-01", "561.68", "337.00", "224.68"),
]

DOSSIER = [
    ("Justificatif d'identité", "Carte d'identité, passeport ou titre de séjour.", False),
    (
        "Titre de séjour ou attestation de demande d'asile",
        "Pour les majeurs ressortissants d'un pays hors Union européenne ; "
        "les mineurs n'en ont pas besoin.",
        True,
    ),
    ("Relevé d'identité bancaire", "Pour le versement de l'allocation.", False),
    ("Avis d'imposition du foyer", "Fixe le montant de l'allocation (D.5131-19).", False),
    ("Justificatif de domicile ou attestation d'hébergement", "", False),
    (
        "Attestation d'éligibilité CEJ-JR",
        "Éditée par Coparcours à partir de la vérification.",
        False,
    ),
]


def load_regulation_defaults(apps) -> None:
    """Create the missing default rows, through an app registry (a migration's or Django's)."""
    day = datetime.date.fromisoformat
    apps.get_model("cej", "VeilleDuration").objects.get_or_create(
        start_date=day("2022-04-22"),
        defaults={
            "months": 5,
            "source": "Circulaire DGEFP/MAJE/DIPLP/DIHAL/2022/117 du 22 avril 2022",
        },
    )
    apps.get_model("cej", "ContractDuration").objects.get_or_create(
        start_date=day("2022-03-01"),
        defaults={
            "planned_months": 12,
            "max_total_months": 18,
            "source": "Code du travail R.5131-16 II (décret 2022-199)",
        },
    )
    scale = apps.get_model("cej", "AllowanceScale")
    for start, non_taxable, first, minor in ALLOWANCE:
        scale.objects.get_or_create(
            start_date=day(start),
            defaults={
                "adult_non_taxable": Decimal(non_taxable),
                "adult_first_bracket": Decimal(first),
                "minor": Decimal(minor),
                "source": "Code du travail D.5131-19",
            },
        )
    sanctions, created = apps.get_model("cej", "SanctionScale").objects.get_or_create(
        start_date=day("2022-03-01"),
        defaults={"source": "Code du travail R.5131-17 et R.5131-18 (version de mars 2022)"},
    )
    if created:
        step = apps.get_model("cej", "SanctionStep")
        step.objects.create(
            scale=sanctions, breach_number=1, effect="reduction", reduction_percent=25
        )
        step.objects.create(scale=sanctions, breach_number=2, effect="month_withdrawn")
        step.objects.create(scale=sanctions, breach_number=3, effect="end_of_contract")
    kind = apps.get_model("cej", "DossierItemKind")
    for position, (label, help_text, non_eu) in enumerate(DOSSIER):
        kind.objects.get_or_create(
            label=label,
            defaults={"help_text": help_text, "only_non_eu_adults": non_eu, "position": position},
        )
