"""Validators for French organisation identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

DEPARTEMENT_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")


def validate_siret(value: str) -> None:
    """A SIRET has 14 digits and a valid Luhn checksum (INSEE; La Poste's exception included)."""
    try:
        siret.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "Numéro SIRET invalide : il doit compter 14 chiffres et sa clé de contrôle "
            "doit être correcte.",
            code="invalid_siret",
        ) from error


def validate_departement_code(value: str) -> None:
    """Départements are 01–95 (2A, 2B for Corsica) and 971–976 overseas."""
    if not DEPARTEMENT_CODE.match(value):
        raise ValidationError(
            "Code de département invalide (exemples : 59, 2A, 974).", code="invalid_departement"
        )
