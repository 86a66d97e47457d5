"""Importing youths: identity, contact and ASE status, one record per line, owned by the
importing organisation.

Each line goes through the record's own rules (``youths.services.validate_youth``) and the
duplicate check that comes before any record is opened (``youths.opening``): a line that
probably names someone already known, in Coparcours or earlier in the file, is a line
for the person to decide (create a new record, or leave the line out), never a silent
merge. The search is audited once for the whole file, with its counts only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from coparcours.core.access import Category
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.core.tabular import FileErrors
from coparcours.imports.columns import (
    Column,
    Row,
    choice,
    choices_accepted,
    day,
    email,
    phone,
    text,
    yes_no,
)
from coparcours.organisations.models import Organisation
from coparcours.youths import opening, rules, selectors
from coparcours.youths import services as youth_services
from coparcours.youths.models import Youth
from coparcours.youths.models.records import AgeAssessment, Sex, Situation

COLUMNS = [
    Column("Nom", "last_name", text(150), "Le nom de famille.", True, "Diallo"),
    Column("Prénoms", "first_names", text(200), "Tous les prénoms.", True, "Mamadou"),
    Column("Sexe", "sex", choice(Sex), choices_accepted(Sex), example="Masculin"),
    Column("Date de naissance", "birth_date", day, "JJ/MM/AAAA.", example="14/03/2009"),
    Column(
        "Date de naissance déclarée",
        "birth_date_is_declared",
        yes_no,
        "« oui » quand la date est déclarée, sans pièce d'état civil.",
        example="oui",
    ),
    Column("Nationalité", "nationality", text(100), "En toutes lettres.", example="guinéenne"),
    Column(
        "Langues parlées",
        "languages",
        text(200),
        "Séparées par des virgules.",
        example="peul, français",
    ),
    Column(
        "Besoin d'un interprète", "needs_interpreter", yes_no, "« oui » ou « non ».", example="non"
    ),
    Column(
        "Situation",
        "situation",
        choice(Situation),
        choices_accepted(Situation),
        example="Scolarisé·e",
    ),
    Column(
        "MNA",
        "is_unaccompanied_minor",
        yes_no,
        "« oui » pour un mineur non accompagné.",
        example="oui",
    ),
    Column(
        "Évaluation de l'âge",
        "age_assessment",
        choice(AgeAssessment),
        choices_accepted(AgeAssessment),
        example="Minorité reconnue",
    ),
    Column("Date de l'évaluation", "age_assessment_date", day, "JJ/MM/AAAA.", example="02/09/2025"),
    Column(
        "Service de l'ASE",
        "ase_service",
        text(200),
        "Le service qui a confié le jeune.",
        example="ASE du Nord — UTPAS Lille",
    ),
    Column(
        "Tuteur ou représentant légal",
        "guardian",
        text(200),
        "Nom ou service.",
        example="Président du Département du Nord",
    ),
    Column(
        "Téléphone",
        "phone",
        phone,
        "Dix chiffres, ou avec l'indicatif du pays.",
        example="06 12 34 56 78",
    ),
    Column("Courriel", "email", email, "Une adresse électronique.", example=""),
    Column("Adresse", "address", text(300), "Adresse postale.", example=""),
    Column(
        "Référent (courriel)",
        "referent",
        email,
        "L'adresse de connexion d'un référent de votre organisation.",
        example="",
    ),
]
HEADERS = {column.key: column.header for column in COLUMNS}
#: Where an error of the record's rules is shown: the column of its field.
FIELD_HEADERS = {**HEADERS, "__all__": None}


@dataclass
class Duplicate:
    """A line that probably names someone already known: records the importer's
    organisations accompany, a count of others, and earlier lines of the same file."""

    line: int
    name: str
    birth_date: datetime.date | None
    visible: list[Youth]
    elsewhere: int
    earlier_lines: list[int]


@dataclass
class YouthLines:
    """The records to open, by line, and the lines to decide."""

    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records)


def check_lines(
    user: Any, organisation: Organisation, rows: list[Row], errors: FileErrors
) -> YouthLines:
    """Every line checked against the record's rules; when none fails, each one's likely
    duplicates (one audit line for the search)."""
    opening.require_opener(user, organisation)
    referents = {
        person.email.lower(): person for person in selectors.caseload_referents(organisation.pk)
    }
    lines = YouthLines()
    for row in rows:
        fields = _fields(row, referents, errors)
        youth = Youth(owner_organisation=organisation, **fields)
        try:
            youth_services.validate_youth(youth)
        except ValidationError as problem:
            for name, messages in problem.message_dict.items():
                for message in messages:
                    errors.add(row.line, FIELD_HEADERS.get(name), message)
            continue
        lines.records[row.line] = fields
    if not errors:
        lines.duplicates = _duplicates(user, lines.records)
        _audit_search(user, organisation, lines)
    return lines


def _fields(row: Row, referents: dict[str, Any], errors: FileErrors) -> dict[str, Any]:
    fields = {
        key: value for key, value in row.values.items() if value is not None and key != "referent"
    }
    if row["referent"]:
        person = referents.get(row["referent"])
        if person is None:
            errors.add(
                row.line,
                HEADERS["referent"],
                f"« {row['referent']} » n'est pas un référent de votre organisation.",
            )
        fields["referent"] = person
    return fields


def _duplicates(user: Any, records: dict[int, dict[str, Any]]) -> list[Duplicate]:
    seen: dict[tuple[str, str], list[tuple[int, datetime.date | None]]] = defaultdict(list)
    found = []
    for line, fields in records.items():
        birth = fields.get("birth_date")
        key = (
            rules.search_key(fields["last_name"]),
            rules.search_key(fields["first_names"]).split(" ")[0],
        )
        earlier = [
            other
            for other_key in (key, key[::-1])
            for other, other_birth in seen.get(other_key, [])
            if _close(birth, other_birth)
        ]
        seen[key].append((line, birth))
        known = selectors.duplicate_check(user, fields["last_name"], fields["first_names"], birth)
        if known.found or earlier:
            found.append(
                Duplicate(
                    line,
                    f"{fields['last_name']} {fields['first_names']}",
                    birth,
                    known.visible,
                    known.elsewhere,
                    sorted(earlier),
                )
            )
    return found


def _close(one: datetime.date | None, other: datetime.date | None) -> bool:
    if one is None or other is None:
        return True
    return abs((one - other).days) <= rules.DUPLICATE_BIRTH_TOLERANCE_DAYS


def _audit_search(user: Any, organisation: Organisation, lines: YouthLines) -> None:
    """One line for the file's duplicate search: its counts, never the names searched
    (the reasons are those of ``youths.opening``)."""
    visible = sum(len(duplicate.visible) for duplicate in lines.duplicates)
    elsewhere = sum(duplicate.elsewhere for duplicate in lines.duplicates)
    record(
        user,
        AuditEvent.LIST,
        organisation=organisation,
        category=Category.IDENTITY,
        reason=f"Recherche de doublons avant l'import de {lines.count} dossiers : "
        f"{len(lines.duplicates)} lignes à décider (dossiers semblables visibles : {visible}, "
        f"ailleurs : {elsewhere})",
    )


def save_lines(
    user: Any, organisation: Organisation, lines: YouthLines, skipped: set[int], reason: str
) -> int:
    """Open a record for each line not left out; each one's access log says it was
    imported. Returns how many were opened."""
    created = 0
    for line, fields in lines.records.items():
        if line in skipped:
            continue
        youth_services.create_youth(user, organisation, reason=reason, **fields)
        created += 1
    return created
