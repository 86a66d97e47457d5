"""Directory pages: search of the services, schemes, data·inclusion import and export."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coparcours.core.access import visible_youths
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.directory import selectors
from coparcours.directory.forms.services import ImportForm, SearchForm
from coparcours.directory.models import Service, Structure
from coparcours.directory.services import exchange
from coparcours.youths.models import Youth

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> tuple[SearchForm, dict]:
    form = SearchForm(request.GET)
    return form, (form.cleaned_data if form.is_valid() else {})


@requires(Capability.DIRECTORY)
def search(request: HttpRequest) -> HttpResponse:
    """Services of the territory by theme, public, commune, département and free text."""
    form, filters = _filters(request)
    try:
        found = selectors.search_services(
            text=filters.get("q", ""),
            theme=filters.get("thematique", ""),
            public=filters.get("public", ""),
            commune=filters.get("commune", ""),
            departement=filters.get("departement", ""),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        found = Service.objects.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "themes": selectors.theme_choices(),
            "publics": selectors.public_choices(),
            "youths": visible_youths(request.user, Youth.objects.active())[:500],
        },
    )


@requires(Capability.DIRECTORY)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(selectors.with_details(Service.objects.all()), pk=pk)
    return render(
        request,
        "directory/service_detail.html",
        {"service": service, "schemes": service.structure.schemes.all()},
    )


@requires(Capability.DIRECTORY)
def scheme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/schemes.html", {"schemes": selectors.schemes()})


@requires(Capability.DIRECTORY_IMPORT)
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload a data·inclusion file: all validated first, nothing saved on any error."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = exchange.import_file(upload.read(), upload.name)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"Import terminé : {report}")
            return redirect("directory:search")
    return render(request, "directory/import.html", {"form": form, "errors": errors})


@requires(Capability.DIRECTORY)
def export(request: HttpRequest) -> HttpResponse:
    """The whole directory in the data·inclusion schema (JSON)."""
    document = exchange.export_document(
        Structure.objects.prefetch_related("codes").order_by("pk"),
        selectors.with_details(Service.objects.order_by("pk")),
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="annuaire-data-inclusion.json"'
    return response
