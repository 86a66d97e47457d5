"""The import pages: the kinds of file the organisation may bring in and its past
imports; per kind, its template to download, a file checked in full, the likely
duplicates to decide, then the import confirmed (docs/bad-input.md, "Imports")."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from coparcours.core.access import acting_membership, acting_organisation, may
from coparcours.core.access.routes import requires
from coparcours.core.exports import XLSX
from coparcours.core.tabular import FileRefused
from coparcours.imports import selectors, services
from coparcours.imports.downloads import header, template_csv, template_xlsx
from coparcours.imports.forms import ConfirmForm, UploadForm
from coparcours.imports.models import ImportKind
from coparcours.imports.services import KINDS, Kind


@requires(services.KINDS[ImportKind.YOUTHS].capability)
def index(request: HttpRequest) -> HttpResponse:
    organisation = acting_organisation(request)
    membership = acting_membership(request)
    return render(
        request,
        "imports/index.html",
        {
            "kinds": [kind for kind in KINDS.values() if may(membership, kind.capability)],
            "batches": selectors.recent_batches(organisation),
        },
    )


def _page(kind: Kind):
    @requires(kind.capability)
    def page(request: HttpRequest) -> HttpResponse:
        organisation = acting_organisation(request)
        context = {"kind": kind, "headers": [header(column) for column in kind.columns]}
        if request.method != "POST":
            return render(request, "imports/kind.html", {**context, "form": UploadForm()})
        if "content" in request.POST:
            return _confirm(request, kind, organisation, context)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "imports/kind.html", {**context, "form": form}, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        found = services.examine(request.user, organisation, kind, upload.name, content)
        return _examined(request, context, found, content)

    page.__name__ = f"{kind.key}_page"
    return page


def _examined(request, context, found, content, decisions=None, status=200) -> HttpResponse:
    confirm = None
    if found.ready:
        confirm = ConfirmForm(
            duplicates=found.duplicates,
            initial={
                "content": base64.b64encode(content).decode(),
                "file_name": found.file_name,
            },
            data=decisions,
        )
    return render(
        request,
        "imports/kind.html",
        {**context, "form": UploadForm(), "found": found, "confirm": confirm},
        status=status if found.ready else 400,
    )


def _confirm(request, kind, organisation, context) -> HttpResponse:
    try:
        content = base64.b64decode(request.POST.get("content", ""), validate=True)
    except (binascii.Error, ValueError):
        messages.error(request, "Le fichier à importer n'a pas été reçu : déposez-le à nouveau.")
        return redirect(f"imports:{kind.key}")
    file_name = request.POST.get("file_name", "")
    decisions = ConfirmForm.decisions_of(request.POST)
    try:
        batch = services.import_file(
            request.user, organisation, kind, file_name, content, decisions
        )
    except FileRefused:
        found = services.examine(request.user, organisation, kind, file_name, content, decisions)
        return _examined(request, context, found, content, request.POST, status=400)
    created, skipped = batch.created_count, batch.skipped_count
    messages.success(
        request,
        f"Import n° {batch.pk} enregistré depuis « {batch.file_name} » : {created} "
        f"ligne{pluralize(created)} importée{pluralize(created)}"
        + (f", {skipped} écartée{pluralize(skipped)}." if skipped else "."),
    )
    return redirect("imports:index")


def _template(kind: Kind, extension: str):
    @requires(kind.capability)
    def download(request: HttpRequest) -> HttpResponse:
        name = f"modele-import-{kind.file_stem}.{extension}"
        if extension == "csv":
            response = HttpResponse(template_csv(kind.columns), content_type="text/csv")
        else:
            response = HttpResponse(template_xlsx(kind.label, kind.columns), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    download.__name__ = f"{kind.key}_template_{extension}"
    return download


PAGES = {key: _page(kind) for key, kind in KINDS.items()}
TEMPLATES = {
    (key, extension): _template(kind, extension)
    for key, kind in KINDS.items()
    for extension in ("csv", "xlsx")
}
