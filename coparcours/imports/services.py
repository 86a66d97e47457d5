"""Bringing an organisation's file in: the whole file checked first, then saved in one
transaction, or nothing (docs/bad-input.md, "Imports").

:func:`examine` reads the file against its template and checks every line, without
writing anything but the audit line of the duplicate search; :func:`import_file` examines
again (what the database holds may have changed since) and saves when no error remains
and every likely duplicate was decided. The same file is imported once per organisation
and kind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from coparcours.core.access import Capability, member_organisation
from coparcours.core.tabular import FileErrors, FileRefused, read_table
from coparcours.imports import pathways, stays, youths
from coparcours.imports.columns import Column, Row, read_rows
from coparcours.imports.models import ImportBatch, ImportKind
from coparcours.organisations.models import Organisation

#: A file larger than this is refused before it is read (about 5,000 lines of youths).
MAX_FILE_BYTES = 1_000_000
CREATE, SKIP = "create", "skip"


@dataclass(frozen=True)
class Kind:
    """One kind of file: its template, who may import it, and its checks and saving."""

    key: str
    capability: str
    columns: Sequence[Column]
    check_lines: Callable[[Any, Organisation, list[Row], FileErrors], Any]
    save_lines: Callable[[Any, Organisation, Any, set[int], str], int]
    file_stem: str

    @property
    def label(self) -> str:
        return ImportKind(self.key).label


KINDS: Mapping[str, Kind] = {
    ImportKind.YOUTHS: Kind(
        ImportKind.YOUTHS,
        Capability.IMPORT_YOUTHS,
        youths.COLUMNS,
        youths.check_lines,
        youths.save_lines,
        "jeunes",
    ),
    ImportKind.STAYS: Kind(
        ImportKind.STAYS,
        Capability.IMPORT_STAYS,
        stays.COLUMNS,
        stays.check_lines,
        stays.save_lines,
        "sejours",
    ),
    ImportKind.PATHWAYS: Kind(
        ImportKind.PATHWAYS,
        Capability.IMPORT_PATHWAYS,
        pathways.COLUMNS,
        pathways.check_lines,
        pathways.save_lines,
        "parcours-cej-jr",
    ),
}


@dataclass
class Examination:
    """What a file would bring: its errors, or its lines and the duplicates to decide."""

    kind: Kind
    file_name: str
    sha256: str
    line_count: int
    errors: FileErrors
    lines: Any = None
    already: ImportBatch | None = None
    undecided: list[int] = field(default_factory=list)

    @property
    def duplicates(self) -> Sequence[Any]:
        return self.lines.duplicates if self.lines is not None else ()

    @property
    def ready(self) -> bool:
        return not self.errors and self.already is None


def examine(
    user: Any,
    organisation: Organisation,
    kind: Kind,
    file_name: str,
    content: bytes,
    decisions: Mapping[int, str] | None = None,
) -> Examination:
    """The whole file checked: the template's header, every cell, every line against the
    product's rules, the duplicates; nothing is written but the search's audit line."""
    organisation = member_organisation(user, organisation)
    file_name = os.path.basename(file_name)[:255] or "fichier"
    if len(content) > MAX_FILE_BYTES:
        errors = FileErrors()
        errors.add(
            None, None, f"Le fichier dépasse {MAX_FILE_BYTES // 1_000_000} Mo : découpez-le."
        )
        return Examination(kind, file_name, "", 0, errors)
    table = read_table(file_name, content)
    found = Examination(kind, file_name, table.sha256, len(table.rows) + 1, table.errors)
    found.already = ImportBatch.objects.filter(
        organisation=organisation, kind=kind.key, sha256=table.sha256
    ).first()
    if table.errors or found.already:
        return found
    rows = read_rows(table, kind.columns, found.errors)
    if rows:
        # the lines whose cells read well are checked against the rules too, so that one
        # round of corrections fixes them all
        readable = [row for row in rows if not row.failed]
        found.lines = kind.check_lines(user, organisation, readable, found.errors)
        decided = decisions or {}
        found.undecided = [
            duplicate.line
            for duplicate in found.duplicates
            if decided.get(duplicate.line) not in {CREATE, SKIP}
        ]
    return found


@transaction.atomic
def import_file(
    user: Any,
    organisation: Organisation,
    kind: Kind,
    file_name: str,
    content: bytes,
    decisions: Mapping[int, str],
) -> ImportBatch:
    """Save the file's lines, all or none: refused (``FileRefused``, with every error's line
    and column) while an error remains, a likely duplicate is undecided, or the same file
    was already imported."""
    found = examine(user, organisation, kind, file_name, content, decisions)
    errors = found.errors
    if found.already is not None:
        errors.add(
            None,
            None,
            f"Ce fichier a déjà été importé le {found.already.created_at:%d/%m/%Y} : "
            "rien n'a été enregistré une seconde fois.",
        )
    for line in found.undecided:
        errors.add(
            line,
            None,
            "ce jeune ressemble à un dossier existant ou à une autre ligne : choisissez de créer "
            "un nouveau dossier ou d'écarter la ligne.",
        )
    if errors:
        raise FileRefused(errors)
    skipped = {line for line, decision in decisions.items() if decision == SKIP}
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                organisation=organisation,
                kind=kind.key,
                file_name=found.file_name,
                sha256=found.sha256,
                line_count=found.line_count,
                created_count=0,
                skipped_count=len(skipped & {d.line for d in found.duplicates}),
                imported_by=user,
            )
    except IntegrityError:
        errors.add(
            None,
            None,
            "Ce fichier vient d'être importé : rien n'a été enregistré une seconde fois.",
        )
        raise FileRefused(errors) from None
    reason = (
        f"Importé depuis le fichier « {found.file_name} » (import n° {batch.pk}) "
        f"par {user.get_full_name() or user.email}"
    )
    batch.created_count = kind.save_lines(user, organisation, found.lines, skipped, reason)
    batch.save(update_fields=["created_count", "updated_at"])
    return batch
