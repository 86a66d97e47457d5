"""Contacts between the youth and the mission locale, typed or imported from a CSV."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.cej import rules
from coparcours.cej.models import Contact, Pathway
from coparcours.cej.models.eligibility import ContactSource
from coparcours.cej.services.common import EE, local_today, normalised_key, require_not_future
from coparcours.cej.services.eligibility import record_eligibility_check
from coparcours.core.access import Action, check, member_organisation
from coparcours.organisations.models import Organisation


@transaction.atomic
def add_contact(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    occurred_on: datetime.date,
    channel: str,
    answered: bool,
    intends_to_continue: bool,
    source: str = ContactSource.TYPED,
    refresh_entry_check: bool = True,
) -> Contact:
    """Record a contact between the youth and the mission locale; the rule classifies it."""
    organisation = member_organisation(user, organisation)
    require_not_future(occurred_on, "occurred_on", "Un contact")
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    contact = Contact(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        occurred_on=occurred_on,
        channel=channel,
        answered=answered,
        intends_to_continue=intends_to_continue,
        source=source,
        recorded_by=user,
    )
    contact.full_clean()
    contact.save()
    if refresh_entry_check and occurred_on <= pathway.identified_on:
        record_eligibility_check(user, pathway, pathway.identified_on, at_entry=True)
    return contact


#: Columns of the CSV extract (README, "CEJ-JR pathway"). Separator ";" or ",".
CSV_COLUMNS = ("date", "canal", "reponse", "intention")


CHANNEL_WORDS = {
    "appel": rules.Channel.CALL,
    "telephone": rules.Channel.CALL,
    "entretien": rules.Channel.INTERVIEW,
    "sms": rules.Channel.SMS,
    "courriel": rules.Channel.EMAIL,
    "email": rules.Channel.EMAIL,
    "mail": rules.Channel.EMAIL,
    "courrier": rules.Channel.LETTER,
    "lettre": rules.Channel.LETTER,
}


YES = {"oui", "o", "1", "vrai", "yes"}


NO = {"non", "n", "0", "faux", "no", ""}


@dataclass(frozen=True)
class ContactRow:
    line: int
    occurred_on: datetime.date
    channel: str
    answered: bool
    intends_to_continue: bool


def parse_contacts_csv(text: str) -> list[ContactRow]:
    """Validate a whole CSV extract of the mission locale's system before anything is written.

    Every error names its line and column in French; any error refuses the whole file.
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError("Le fichier est vide.")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    header = _checked_header(reader)
    errors: list[str] = []
    today = local_today()
    rows: list[ContactRow] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                f"Ligne {line} : {len(values)} valeurs au lieu de {len(header)} attendues."
            )
            continue
        cell = {name: value.strip() for name, value in zip(header, values, strict=True)}
        row = _parse_row(line, cell, today, errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("Le fichier ne contient aucun contact.")
    return rows


def _delimiter(text: str) -> str:
    """The extract's separator: ";" unless its first line holds more commas."""
    first_line = text.splitlines()[0]
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _checked_header(reader) -> list[str]:
    """The header's column names, normalised; refuses the file on an unknown or missing one."""
    header = [normalised_key(name) for name in next(reader)]
    errors: list[str] = []
    unknown = [name for name in header if name not in CSV_COLUMNS]
    missing = [name for name in CSV_COLUMNS if name not in header]
    expected = ", ".join(CSV_COLUMNS)
    for name in unknown:
        errors.append(f"Ligne 1 : colonne inconnue « {name} » (colonnes attendues : {expected}).")
    for name in missing:
        errors.append(f"Ligne 1 : colonne « {name} » manquante (colonnes attendues : {expected}).")
    if errors:
        raise ValidationError(errors)
    return header


def _parse_row(
    line: int, cell: dict[str, str], today: datetime.date, errors: list[str]
) -> ContactRow | None:
    """One line's contact, or None once its errors are added to ``errors``."""
    day = _row_date(line, cell, today, errors)
    channel = CHANNEL_WORDS.get(normalised_key(cell["canal"]))
    if channel is None:
        errors.append(
            f"Ligne {line}, colonne « canal » : « {cell['canal']} » inconnu (appel, "
            "entretien, sms, courriel ou courrier)."
        )
    flags = _row_flags(line, cell, errors)
    if day and day <= today and channel and len(flags) == 2:
        return ContactRow(line, day, channel, flags["reponse"], flags["intention"])
    return None


def _row_date(
    line: int, cell: dict[str, str], today: datetime.date, errors: list[str]
) -> datetime.date | None:
    """The line's date as read (None if it is not one); an error if unreadable or future."""
    day = _parse_date(cell["date"])
    if day is None:
        errors.append(
            f"Ligne {line}, colonne « date » : « {cell['date']} » n'est pas une date "
            "(attendu JJ/MM/AAAA ou AAAA-MM-JJ)."
        )
    elif day > today:
        errors.append(f"Ligne {line}, colonne « date » : le {day:%d/%m/%Y} est dans le futur.")
    return day


def _row_flags(line: int, cell: dict[str, str], errors: list[str]) -> dict[str, bool]:
    """The line's yes/no answers (``reponse``, ``intention``) that read as yes or no."""
    flags = {}
    for name in ("reponse", "intention"):
        value = normalised_key(cell[name])
        if value in YES:
            flags[name] = True
        elif value in NO:
            flags[name] = False
        else:
            errors.append(
                f"Ligne {line}, colonne « {name} » : « {cell[name]} » n'est ni oui ni non."
            )
    return flags


def _parse_date(value: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def import_contacts(
    user: Any, organisation: Organisation, pathway: Pathway, text: str
) -> list[Contact]:
    """Import a CSV extract in one transaction: all contacts, or none on the first error."""
    rows = parse_contacts_csv(text)
    contacts = [
        add_contact(
            user,
            organisation,
            pathway,
            occurred_on=row.occurred_on,
            channel=row.channel,
            answered=row.answered,
            intends_to_continue=row.intends_to_continue,
            source=ContactSource.IMPORTED,
            refresh_entry_check=False,
        )
        for row in rows
    ]
    record_eligibility_check(user, pathway, pathway.identified_on, at_entry=True)
    return contacts
