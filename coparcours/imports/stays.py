"""Importing stays: a youth hosted at one of the importing member's sites, from a day,
ended or still under way.

The youth is a record the member already holds (imported first, or opened in
Coparcours), named by its names and birth date as the file writes them. Each line is
checked as an admission and an exit are in the product (``housing.services.stays``): the
site's public, no date to come, an exit after the entry with its reason; then, over the
whole file, what one line cannot tell: two stays of one youth that overlap (with each
other or with a stay already recorded) and a site holding more youths than its places on
a day (docs/domain-rules.md, "Places and stays").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coparcours.core.tabular import FileErrors
from coparcours.housing import rules as housing_rules
from coparcours.housing.models import Site, Stay
from coparcours.housing.models.sites import CapacityChange
from coparcours.housing.models.stays import ExitReason
from coparcours.housing.services import stays as stay_services
from coparcours.imports.columns import Column, Row, choice, day, plain, text
from coparcours.organisations.models import ConsortiumKind, Organisation, periods_overlap
from coparcours.youths import rules as youth_rules
from coparcours.youths.models import Youth

#: An exit recorded by import: every reason but a transfer (a reorientation is recorded
#: as its own act, between two sites).
EXIT_REASONS = [label for value, label in ExitReason.choices if value != ExitReason.TRANSFER]

COLUMNS = [
    Column(
        "Nom", "last_name", text(150), "Le nom du jeune, comme dans son dossier.", True, "Diallo"
    ),
    Column(
        "Prénoms", "first_names", text(200), "Ses prénoms, comme dans son dossier.", True, "Mamadou"
    ),
    Column(
        "Date de naissance",
        "birth_date",
        day,
        "JJ/MM/AAAA, comme dans son dossier.",
        True,
        "14/03/2009",
    ),
    Column(
        "Site",
        "site",
        text(200),
        "Le nom d'un site de votre organisation.",
        True,
        "MECS Les Tilleuls",
    ),
    Column("Entrée", "start", day, "Le jour d'arrivée, JJ/MM/AAAA.", True, "02/09/2025"),
    Column(
        "Sortie",
        "end",
        day,
        "Le jour du départ, vide si le jeune est toujours hébergé.",
        example="",
    ),
    Column(
        "Motif de sortie",
        "exit_reason",
        choice(ExitReason),
        "Avec une sortie, l'une des valeurs : " + ", ".join(EXIT_REASONS) + ".",
        example="",
    ),
    Column("Précisions sur la sortie", "exit_details", text(1000), "Texte libre.", example=""),
]
HEADERS = {column.key: column.header for column in COLUMNS}


@dataclass
class PlannedStay:
    line: int
    youth: Youth
    site: Site
    start: datetime.date
    end: datetime.date | None
    exit_reason: str
    exit_details: str


@dataclass
class StayLines:
    stays: list[PlannedStay]
    duplicates: tuple = ()

    @property
    def count(self) -> int:
        return len(self.stays)


def check_lines(
    user: Any, organisation: Organisation, rows: list[Row], errors: FileErrors
) -> StayLines:
    """Every line checked alone, then the overlaps and the capacity over the file."""
    sites = _member_sites(organisation)
    youths = own_youths(organisation)
    planned = []
    for row in rows:
        stay = _line(row, organisation, sites, youths, errors)
        if stay is not None:
            planned.append(stay)
    _check_overlaps(planned, errors)
    _check_capacity(planned, errors)
    return StayLines(planned)


def _member_sites(organisation: Organisation) -> dict[str, Site]:
    """The sites of the GMEs the organisation belongs to, by their name as compared."""
    sites = Site.objects.filter(
        consortium__kind=ConsortiumKind.GME, consortium__members__organisation=organisation
    ).select_related("organisation", "consortium")
    return {plain(site.name): site for site in sites}


def own_youths(organisation: Organisation) -> dict[tuple[str, str, datetime.date], list[Youth]]:
    """The organisation's records with a birth date, by the names and date that name them."""
    found = defaultdict(list)
    for youth in Youth.objects.active().filter(
        owner_organisation=organisation, birth_date__isnull=False
    ):
        found[(youth.last_name_key, youth.first_name_key, youth.birth_date)].append(youth)
    return found


def _line(
    row: Row,
    organisation: Organisation,
    sites: dict[str, Site],
    youths: dict[tuple[str, str, datetime.date], list[Youth]],
    errors: FileErrors,
) -> PlannedStay | None:
    youth = find_youth(row, youths, errors)
    site = _site(row, organisation, sites, errors)
    dates_ok = _dates(row, errors)
    if youth is None or site is None or not dates_ok:
        return None
    refusal = housing_rules.site_accepts(
        site.min_age,
        site.max_age,
        site.accepted_sex,
        youth_rules.age_on(youth.birth_date, row["start"]),
        youth.sex,
    )
    if refusal:
        errors.add(row.line, HEADERS["site"], refusal)
        return None
    return PlannedStay(
        row.line,
        youth,
        site,
        row["start"],
        row["end"],
        row["exit_reason"] or "",
        row["exit_details"] or "",
    )


def find_youth(
    row: Row, youths: dict[tuple[str, str, datetime.date], list[Youth]], errors: FileErrors
) -> Youth | None:
    """The one record a line names (names and birth date), or its error."""
    if not (row["last_name"] and row["first_names"] and row["birth_date"]):
        return None
    key = (
        youth_rules.search_key(row["last_name"]),
        youth_rules.search_key(row["first_names"]).split(" ")[0],
        row["birth_date"],
    )
    found = youths.get(key, [])
    if len(found) == 1:
        return found[0]
    if found:
        errors.add(
            row.line,
            HEADERS["last_name"],
            f"{len(found)} dossiers de votre organisation portent ce nom et cette date de "
            "naissance : fusionnez-les avant d'importer cette ligne.",
        )
    else:
        errors.add(
            row.line,
            HEADERS["last_name"],
            "aucun dossier de votre organisation à ce nom et cette date de naissance : "
            "importez d'abord le jeune (fichier des jeunes) ou ouvrez son dossier.",
        )
    return None


def _site(
    row: Row, organisation: Organisation, sites: dict[str, Site], errors: FileErrors
) -> Site | None:
    if not row["site"]:
        return None
    site = sites.get(plain(row["site"]))
    if site is None or site.organisation_id != organisation.pk:
        errors.add(
            row.line,
            HEADERS["site"],
            f"« {row['site'][:60]} » n'est pas un site de votre organisation dans le groupement.",
        )
        return None
    if row["start"] and site.operator_on(row["start"]) != organisation:
        errors.add(
            row.line,
            HEADERS["site"],
            f"le {row['start']:%d/%m/%Y}, ce site est prêté à un autre membre, qui y héberge.",
        )
        return None
    return site


def _dates(row: Row, errors: FileErrors) -> bool:
    today = timezone.localdate()
    problems = 0
    if row["start"] and row["start"] > today:
        errors.add(
            row.line, HEADERS["start"], "une entrée s'enregistre à l'arrivée : pas de date future."
        )
        problems += 1
    if row["end"]:
        if row["start"] and row["end"] <= row["start"]:
            errors.add(row.line, HEADERS["end"], "la sortie doit suivre l'entrée.")
            problems += 1
        if row["end"] > today:
            errors.add(
                row.line,
                HEADERS["end"],
                "une sortie s'enregistre quand elle a lieu : pas de date future.",
            )
            problems += 1
        if not row["exit_reason"] or row["exit_reason"] == ExitReason.TRANSFER:
            errors.add(
                row.line,
                HEADERS["exit_reason"],
                "avec une sortie, donnez son motif (une réorientation se fait à part).",
            )
            problems += 1
    elif row["exit_reason"]:
        errors.add(row.line, HEADERS["end"], "un motif de sortie sans jour de sortie.")
        problems += 1
    return problems == 0 and row["start"] is not None


def _check_overlaps(planned: list[PlannedStay], errors: FileErrors) -> None:
    """A youth never has two stays at once: none with a stay already recorded, none with
    another line of the file."""
    recorded = defaultdict(list)
    for stay in Stay.objects.filter(youth__in=[p.youth for p in planned]).select_related("site"):
        recorded[stay.youth_id].append(stay)
    by_youth = defaultdict(list)
    for stay in planned:
        for other in recorded[stay.youth.pk]:
            if periods_overlap(stay.start, stay.end, other.start_date, other.end_date):
                errors.add(
                    stay.line,
                    HEADERS["start"],
                    f"ce jeune a déjà un séjour à {other.site.name} à ces dates "
                    f"(entrée le {other.start_date:%d/%m/%Y}).",
                )
        for other in by_youth[stay.youth.pk]:
            if periods_overlap(stay.start, stay.end, other.start, other.end):
                errors.add(
                    stay.line,
                    HEADERS["start"],
                    f"ce séjour chevauche celui de la ligne {other.line} pour le même jeune.",
                )
        by_youth[stay.youth.pk].append(stay)


def _check_capacity(planned: list[PlannedStay], errors: FileErrors) -> None:
    """On every day a youth enters a site while an imported stay runs there (occupancy
    only grows on an entry day), the site holds no more youths than the places opened;
    the line blamed is the imported stay entered last, once."""
    by_site = defaultdict(list)
    for stay in planned:
        by_site[stay.site.pk].append(stay)
    recorded = defaultdict(list)
    for start, end, site_id in Stay.objects.filter(site_id__in=by_site).values_list(
        "start_date", "end_date", "site_id"
    ):
        recorded[site_id].append((start, end))
    changes = defaultdict(list)
    for opened_on, places, site_id in CapacityChange.objects.filter(
        site_id__in=by_site, opened_on__isnull=False
    ).values_list("opened_on", "places", "site_id"):
        changes[site_id].append((opened_on, places))
    for site_id, stays in by_site.items():
        _check_site(stays, recorded[site_id], changes[site_id], errors)


def _check_site(
    stays: list[PlannedStay],
    recorded: list[tuple[datetime.date, datetime.date | None]],
    changes: list[tuple[datetime.date, int]],
    errors: FileErrors,
) -> None:
    periods = recorded + [(stay.start, stay.end) for stay in stays]
    blamed: set[int] = set()
    for on in sorted({start for start, _ in periods}):
        running = [stay for stay in stays if _runs(stay.start, stay.end, on)]
        if not running:
            continue
        capacity = sum(places for opened_on, places in changes if opened_on <= on)
        hosted = sum(1 for start, end in periods if _runs(start, end, on))
        last = max(running, key=lambda stay: (stay.start, stay.line))
        if hosted > capacity and last.line not in blamed:
            blamed.add(last.line)
            plural = "s" if capacity > 1 else ""
            errors.add(
                last.line,
                HEADERS["site"],
                f"le {on:%d/%m/%Y}, {last.site.name} hébergerait {hosted} jeunes pour "
                f"{capacity} place{plural} ouverte{plural}.",
            )


def _runs(start: datetime.date, end: datetime.date | None, on: datetime.date) -> bool:
    return start <= on and (end is None or on < end)


def save_lines(
    user: Any, organisation: Organisation, lines: StayLines, skipped: set[int], reason: str
) -> int:
    """Record each stay as the admission and the exit would have; each one's access log
    says it was imported."""
    for stay in lines.stays:
        stay_services.record_past_stay(
            user,
            stay.youth,
            stay.site,
            stay.start,
            stay.end,
            exit_reason=stay.exit_reason,
            exit_details=stay.exit_details,
            reason=reason,
        )
    return len(lines.stays)
