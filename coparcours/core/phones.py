"""Telephone numbers: checked as the field writes them (a French number by default, or one
with its country code), kept in the international form an SMS provider needs (E.164), and
shown back in the form people read (national for France)."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError

#: The country of a number written without its code.
DEFAULT_REGION = "FR"

INVALID = (
    "Ce numéro de téléphone n'est pas valable : écrivez-le avec ses dix chiffres "
    "(06 12 34 56 78) ou avec l'indicatif du pays (+32 470 12 34 56)."
)


def _parsed(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def international(value: str) -> str:
    """The number in the international form (``+33612345678``); a number that cannot be
    dialled is refused with a French message."""
    number = _parsed(value)
    if number is None:
        raise ValidationError(INVALID, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def international_or_none(value: str) -> str | None:
    """The international form, or ``None`` for a number that cannot be dialled."""
    number = _parsed(value)
    return (
        None
        if number is None
        else phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    )


def validate_phone(value: str) -> None:
    """A model field's validator: the number can be dialled."""
    international(value)


def readable(value: str) -> str:
    """The number as people read it: ``06 12 34 56 78`` in France, with its country code
    elsewhere; a number that cannot be read back is shown as written."""
    number = _parsed(value)
    if number is None:
        return value
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
