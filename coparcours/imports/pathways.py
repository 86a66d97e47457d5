"""Importing CEJ-JR pathways: a porteur's youths already under way, at their stage, with
their dates and their referent.

The youth is a record the porteur already holds (imported first, or opened in
Coparcours), named by its names and birth date. Each line is checked as the product
checks outreach and the stage moves (``cej.services``): the youth's age within the CEJ's
(Code du travail L.5131-6), dates in order and none to come, the contract's start and
planned duration (the dated setting), the exit's outcome, one open pathway per youth.
A pathway is then recorded with its stage history (identified, then its stage), the
mission locale accompanying the youth from the outreach, its reviews scheduled from the
remobilisation, and the eligibility answer at entry, as the product records it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.cej.models.pathway import ExitOutcome, OutreachMethod, Registration
from coparcours.cej.rules import Stage
from coparcours.cej.services import imported
from coparcours.cej.services.partnerships import missions_locales_of
from coparcours.core.tabular import FileErrors
from coparcours.imports import stays
from coparcours.imports.columns import (
    Column,
    Row,
    choice,
    choices_accepted,
    day,
    email,
    plain,
    text,
)
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    Membership,
    Organisation,
    Role,
)
from coparcours.youths import selectors as youth_selectors
from coparcours.youths.models import Youth

COLUMNS = [
    *stays.COLUMNS[:3],
    Column("Repéré le", "identified_on", day, "JJ/MM/AAAA.", True, "12/01/2026"),
    Column(
        "Lieu du repérage",
        "spotted_where",
        text(200),
        "Où le jeune a été repéré.",
        True,
        "Accueil de jour",
    ),
    Column(
        "Partenaire du repérage",
        "spotted_by",
        text(200),
        "Qui l'a repéré.",
        True,
        "Prévention spécialisée",
    ),
    Column(
        "Mode de repérage",
        "spotted_how",
        choice(OutreachMethod),
        choices_accepted(OutreachMethod),
        True,
        "Maraude, aller-vers",
    ),
    Column(
        "Inscription à la mission locale",
        "registration",
        choice(Registration),
        choices_accepted(Registration),
        True,
        "Jamais inscrit·e",
    ),
    Column("Inscrit le", "registered_on", day, "JJ/MM/AAAA, s'il a été inscrit.", example=""),
    Column(
        "Mission locale",
        "mission_locale",
        text(200),
        "Vide si le partenariat n'en a qu'une.",
        example="",
    ),
    Column("Étape", "stage", choice(Stage), choices_accepted(Stage), True, "Remobilisation"),
    Column(
        "À cette étape depuis",
        "stage_since",
        day,
        "JJ/MM/AAAA ; pour une sortie, son jour.",
        True,
        "02/02/2026",
    ),
    Column(
        "Début du contrat", "contract_start", day, "JJ/MM/AAAA, pour un contrat signé.", example=""
    ),
    Column(
        "Durée prévue (mois)",
        "contract_months",
        text(2),
        "Pour un contrat : 12 en général.",
        example="",
    ),
    Column("Issue", "exit_outcome", choice(ExitOutcome), choices_accepted(ExitOutcome), example=""),
    Column(
        "Référent (courriel)",
        "referent",
        email,
        "Un référent du porteur.",
        True,
        "prenom.nom@porteur.fr",
    ),
    Column(
        "Conseiller (courriel)",
        "counsellor",
        email,
        "Un conseiller de la mission locale.",
        example="",
    ),
]
HEADERS = {column.key: column.header for column in COLUMNS}


@dataclass
class PathwayLines:
    pathways: list[imported.ImportedPathway]
    duplicates: tuple = ()

    @property
    def count(self) -> int:
        return len(self.pathways)


@dataclass
class _Context:
    partnership: Consortium
    missions: dict[str, Organisation]
    referents: dict[str, Any]
    counsellors: dict[str, tuple[Any, int]]
    youths: dict[tuple[str, str, datetime.date], list[Youth]]
    open_pathways: set[int]


def check_lines(
    user: Any, organisation: Organisation, rows: list[Row], errors: FileErrors
) -> PathwayLines:
    """Every line checked alone, then one open pathway per youth over the file."""
    partnership = _partnership(organisation, errors)
    if partnership is None:
        return PathwayLines([])
    context = _context(organisation, partnership)
    planned = []
    for row in rows:
        pathway = _line(row, context, errors)
        if pathway is not None:
            planned.append(pathway)
    open_lines: dict[int, int] = {}
    for pathway in planned:
        if pathway.stage == Stage.EXIT:
            continue
        earlier = open_lines.setdefault(pathway.youth.pk, pathway.line)
        if earlier != pathway.line:
            errors.add(
                pathway.line,
                HEADERS["stage"],
                f"un second parcours en cours pour le jeune de la ligne {earlier}.",
            )
    return PathwayLines(planned)


def _partnership(organisation: Organisation, errors: FileErrors) -> Consortium | None:
    led = list(
        Consortium.objects.filter(
            kind=ConsortiumKind.CEJ_JR,
            members__organisation=organisation,
            members__is_lead=True,
            members__left_on__isnull=True,
        ).distinct()
    )
    if len(led) != 1:
        errors.add(
            None,
            None,
            "Votre organisation doit porter un et un seul partenariat CEJ-JR pour importer des "
            f"parcours ({len(led)} ici).",
        )
        return None
    return led[0]


def _context(organisation: Organisation, partnership: Consortium) -> _Context:
    missions = {plain(mission.name): mission for mission in missions_locales_of(partnership)}
    counsellors = {}
    for membership in (
        Membership.objects.active()
        .filter(organisation__in=missions.values(), role=Role.COUNSELLOR)
        .select_related("user")
    ):
        counsellors[membership.user.email.lower()] = (membership.user, membership.organisation_id)
    return _Context(
        partnership,
        missions,
        {p.email.lower(): p for p in youth_selectors.caseload_referents(organisation.pk)},
        counsellors,
        stays.own_youths(organisation),
        set(
            Pathway.objects.open()
            .filter(youth__owner_organisation=organisation)
            .values_list("youth_id", flat=True)
        ),
    )


def _line(row: Row, context: _Context, errors: FileErrors) -> imported.ImportedPathway | None:
    youth = stays.find_youth(row, context.youths, errors)
    mission = _mission(row, context, errors)
    referent = context.referents.get(row["referent"] or "")
    if row["referent"] and referent is None:
        errors.add(
            row.line,
            HEADERS["referent"],
            f"« {row['referent']} » n'est pas un référent du porteur.",
        )
    counsellor = _counsellor(row, context, mission, errors)
    if youth is None or mission is None or (row["referent"] and referent is None):
        return None
    if row["stage"] != Stage.EXIT and youth.pk in context.open_pathways:
        errors.add(row.line, HEADERS["stage"], "ce jeune a déjà un parcours CEJ-JR en cours.")
        return None
    pathway = imported.ImportedPathway(
        line=row.line,
        youth=youth,
        partnership=context.partnership,
        mission_locale=mission,
        referent=referent,
        counsellor=counsellor,
        **{key: row[key] for key in imported.ImportedPathway.FROM_FILE},
        contract_months=_months(row, errors),
    )
    try:
        imported.check_pathway(pathway, timezone.localdate())
    except ValidationError as problem:
        for name, messages in problem.message_dict.items():
            for message in messages:
                errors.add(row.line, HEADERS.get(name), message)
        return None
    return pathway


def _mission(row: Row, context: _Context, errors: FileErrors) -> Organisation | None:
    if not row["mission_locale"]:
        if len(context.missions) == 1:
            return next(iter(context.missions.values()))
        errors.add(
            row.line,
            HEADERS["mission_locale"],
            "le partenariat a plusieurs missions locales : nommez-la.",
        )
        return None
    mission = context.missions.get(plain(row["mission_locale"]))
    if mission is None:
        errors.add(
            row.line,
            HEADERS["mission_locale"],
            "cette mission locale n'est pas membre du partenariat.",
        )
    return mission


def _counsellor(
    row: Row, context: _Context, mission: Organisation | None, errors: FileErrors
) -> Any:
    if not row["counsellor"]:
        return None
    found = context.counsellors.get(row["counsellor"])
    if found is None or (mission is not None and found[1] != mission.pk):
        errors.add(
            row.line,
            HEADERS["counsellor"],
            f"« {row['counsellor']} » n'est pas un conseiller de la mission locale du parcours.",
        )
        return None
    return found[0]


def _months(row: Row, errors: FileErrors) -> int | None:
    value = row["contract_months"]
    if not value:
        return None
    if not value.isdigit():
        errors.add(
            row.line, HEADERS["contract_months"], f"« {value} » n'est pas un nombre de mois."
        )
        return None
    return int(value)


def save_lines(
    user: Any, organisation: Organisation, lines: PathwayLines, skipped: set[int], reason: str
) -> int:
    for pathway in lines.pathways:
        imported.record_imported_pathway(user, organisation, pathway, reason=reason)
    return len(lines.pathways)
