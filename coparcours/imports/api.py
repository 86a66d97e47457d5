"""Imports over the REST API, as on the import pages: the whole file checked, nothing saved
while an error remains or a likely duplicate is undecided, the same file once."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires
from coparcours.core.api_files import FileErrorItem, FileInvalid, refused_items
from coparcours.core.tabular import FileRefused
from coparcours.imports import services
from coparcours.imports.models import ImportKind

router = Router(tags=["Imports"])

DECISIONS_HELP = (
    'Pour chaque ligne semblable à un dossier existant : {"12": "create"} pour créer un '
    'nouveau dossier, {"12": "skip"} pour écarter la ligne (objet JSON).'
)


class ImportOut(Schema):
    id: int
    kind: str
    file_name: str
    line_count: int
    created_count: int
    skipped_count: int


class DuplicateOut(Schema):
    line: int
    visible_duplicates: list[int]
    duplicates_elsewhere: int
    earlier_lines: list[int]


class ExaminationOut(Schema):
    """What the file would bring, nothing saved."""

    ready: bool
    line_count: int
    to_create: int
    duplicates: list[DuplicateOut]
    errors: list[FileErrorItem]


def _decisions(text: str) -> dict[int, str]:
    try:
        given = json.loads(text or "{}")
    except json.JSONDecodeError:
        given = None
    if not isinstance(given, dict):
        raise ValidationError({"decisions": DECISIONS_HELP})
    return {int(line): value for line, value in given.items() if str(line).isdigit()}


def _import(request, kind_key, file, organisation_id, decisions, dry_run):
    kind = services.KINDS[kind_key]
    organisation = api_acting_organisation(request, organisation_id)
    content = file.read()
    chosen = _decisions(decisions)
    if dry_run:
        found = services.examine(request.auth, organisation, kind, file.name or "", content, chosen)
        return Status(200, _examination(found))
    try:
        batch = services.import_file(
            request.auth, organisation, kind, file.name or "", content, chosen
        )
    except FileRefused as refused:
        return Status(422, {"detail": refused_items(refused.file_errors)})
    return Status(201, batch)


def _examination(found: services.Examination) -> dict:
    errors = refused_items(found.errors)
    if found.already is not None:
        errors.append(
            {
                "loc": ["body", "file"],
                "type": "file",
                "msg": f"Ce fichier a déjà été importé (import n° {found.already.pk}).",
            }
        )
    return {
        "ready": found.ready and not found.undecided,
        "line_count": found.line_count,
        "to_create": found.lines.count if found.lines is not None else 0,
        "duplicates": [
            {
                "line": duplicate.line,
                "visible_duplicates": [youth.pk for youth in duplicate.visible],
                "duplicates_elsewhere": duplicate.elsewhere,
                "earlier_lines": duplicate.earlier_lines,
            }
            for duplicate in found.duplicates
        ],
        "errors": errors,
    }


RESPONSES = {200: ExaminationOut, 201: ImportOut, 422: FileInvalid}


@router.post("/youths", response=RESPONSES, summary="Importer des dossiers de jeunes")
@api_requires(Capability.IMPORT_YOUTHS, acting=True)
def import_youths(
    request: HttpRequest,
    file: File[UploadedFile],
    organisation_id: Form[int | None] = None,
    decisions: Form[str] = "{}",
    dry_run: Form[bool] = False,
):
    """Youths (identity, contact, ASE status) from the page's CSV or XLSX template, owned
    by the acting organisation. ``dry_run`` checks without saving and lists the lines to
    decide; without it, all lines are saved or none (422, each error with its line and
    column)."""
    return _import(request, ImportKind.YOUTHS, file, organisation_id, decisions, dry_run)


@router.post("/stays", response=RESPONSES, summary="Importer des séjours")
@api_requires(Capability.IMPORT_STAYS, acting=True)
def import_stays(
    request: HttpRequest,
    file: File[UploadedFile],
    organisation_id: Form[int | None] = None,
    dry_run: Form[bool] = False,
):
    """Stays at the acting member's sites, of youths it already holds; all or none."""
    return _import(request, ImportKind.STAYS, file, organisation_id, "{}", dry_run)


@router.post("/pathways", response=RESPONSES, summary="Importer des parcours CEJ-JR")
@api_requires(Capability.IMPORT_PATHWAYS, acting=True)
def import_pathways(
    request: HttpRequest,
    file: File[UploadedFile],
    organisation_id: Form[int | None] = None,
    dry_run: Form[bool] = False,
):
    """CEJ-JR pathways of the acting porteur's youths, at their stage; all or none."""
    return _import(request, ImportKind.PATHWAYS, file, organisation_id, "{}", dry_run)
