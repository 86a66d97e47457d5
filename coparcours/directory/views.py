"""Directory pages: search, schemes, import and export, orientation and referrals."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coparcours.core.access import (
    Action,
    Category,
    acting_organisation_id,
    acting_organisation_towards,
    check,
    guard,
    visible_youths,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.core.forms import apply_service_errors
from coparcours.directory import selectors, services
from coparcours.directory.forms import AnswerForm, ImportForm, ReferralForm, SearchForm
from coparcours.directory.models import Referral, Service, Structure
from coparcours.youths.models import Youth
from coparcours.youths.selectors import youth_for

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
            report = services.import_file(upload.read(), upload.name)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"Import terminé : {report}")
            return redirect("directory:search")
    return render(request, "directory/import.html", {"form": form, "errors": errors})


@requires(Capability.DIRECTORY)
def export(request: HttpRequest) -> HttpResponse:
    """The whole directory in the data·inclusion schema (JSON)."""
    document = services.export_document(
        Structure.objects.prefetch_related("codes").order_by("pk"),
        selectors.with_details(Service.objects.order_by("pk")),
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="annuaire-data-inclusion.json"'
    return response


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def orientation_choose(request: HttpRequest) -> HttpResponse:
    """The youth chosen on the directory page (a select), then their orientation."""
    try:
        youth_id = int(request.GET.get("jeune", ""))
    except ValueError:
        return redirect("directory:search")
    return redirect("directory:orientation", youth_id)


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def orientation(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Schemes and services that fit a youth, from what the user may see of the record."""
    youth = youth_for(request.user, youth_id)
    check(request.user, youth, Category.IDENTITY, Action.READ)
    theme = request.GET.get("thematique", "")
    error = ""
    try:
        result = selectors.orientation(request.user, youth, theme=theme)
    except ValidationError as refused:
        error = " ".join(refused.messages)
        result = selectors.orientation(request.user, youth)
    return render(
        request,
        "directory/orientation.html",
        {
            "youth": youth,
            "result": result,
            "theme": theme,
            "themes": selectors.theme_choices(),
            "error": error,
            "referrals": selectors.referrals_for_youth(request.user, youth),
        },
    )


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def referral_create(request: HttpRequest, youth_id: int, service_id: int) -> HttpResponse:
    youth = youth_for(request.user, youth_id)
    guard(request.user, youth, Category.IDENTITY, Action.WRITE)  # sending is audited
    service = get_object_or_404(Service.objects.select_related("structure"), pk=service_id)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.send_referral(
                request.user,
                youth,
                acting_organisation_towards(request, youth),
                service=service,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Orientation envoyée à la structure.")
            return redirect("directory:referral", referral.pk)
    return render(
        request, "directory/referral_form.html", {"youth": youth, "service": service, "form": form}
    )


def _own_referral(request: HttpRequest, pk: int) -> Referral:
    referral = get_object_or_404(
        Referral.objects.select_related("service__structure", "author_organisation"), pk=pk
    )
    youth = youth_for(request.user, referral.youth_id)
    if referral not in selectors.referrals_for_youth(request.user, youth):
        raise Http404
    check(request.user, youth, referral.category, Action.READ, obj=referral)
    return referral


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _own_referral(request, pk)
    link = request.build_absolute_uri(
        reverse("directory:answer", args=[services.referral_token(referral)])
    )
    return render(request, "directory/referral_detail.html", {"referral": referral, "link": link})


@requires(Capability.DIRECTORY)
def received(request: HttpRequest) -> HttpResponse:
    """Referrals addressed to my organisation's services (a structure using Coparcours)."""
    organisation_id = acting_organisation_id(request)
    return render(
        request,
        "directory/received.html",
        {"referrals": selectors.received_referrals(organisation_id), "form": AnswerForm()},
    )


@requires(Capability.DIRECTORY)
@require_POST
def answer_in_app(request: HttpRequest, pk: int) -> HttpResponse:
    organisation_id = acting_organisation_id(request)
    referral = get_object_or_404(selectors.received_referrals(organisation_id), pk=pk)
    form = AnswerForm(request.POST)
    form.fields["answered_by"].required = False
    if form.is_valid():
        try:
            services.answer_as_member(
                request.user,
                referral,
                accepted=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["refusal_reason"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Réponse enregistrée.")
    else:
        messages.error(request, "Choisissez votre réponse.")
    return redirect("directory:received")


@public("A partner structure answers an orientation through the single-use link sent to it.")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A structure not using Coparcours answers through its expiring, tokenised link."""
    try:
        referral = services.referral_from_token(token)
    except ValidationError as error:
        return render(
            request, "directory/answer_invalid.html", {"message": error.messages[0]}, status=410
        )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.answer_referral(
                referral,
                accepted=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["refusal_reason"],
                comment=form.cleaned_data["comment"],
                answered_by=form.cleaned_data["answered_by"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("directory:answer", token)
    services.record_answer_page_read(referral)
    response = render(request, "directory/answer.html", {"referral": referral, "form": form})
    response["Cache-Control"] = "private, no-store"
    return response
