"""Validators for French organisation identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

# INSEE official geographic code: 01-19, 2A, 2B, 21-95, then 971-974 and 976 overseas
# (20 disappeared in 1976; 975, Saint-Pierre-et-Miquelon, is a collectivity, not a département).
DEPARTEMENT_CODE = re.compile(r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-46])$")


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
    """Départements are 01–95 (2A and 2B for Corsica, no 20) and 971–974, 976 overseas."""
    if not DEPARTEMENT_CODE.match(value):
        raise ValidationError(
            "Code de département invalide (exemples : 59, 2A, 974).", code="invalid_departement"
        )
