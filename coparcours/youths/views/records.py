"""Pages of a youth's record: the caseload, opening a record, reading and editing it by
category, notes, documents and the record's access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coparcours.core.access import (
    Action,
    Category,
    Duty,
    acting_organisation,
    acting_organisation_id,
    check,
    check_duty,
    guard,
    holds_duty,
    writable_categories,
    youths_for_duty,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.models import AuditLog
from coparcours.youths import access_log as access_log_lines
from coparcours.youths import opening, record_panels, selectors, services
from coparcours.youths.forms import (
    CaseloadFilterForm,
    DocumentForm,
    NoteForm,
    YouthCreateForm,
    category_form_class,
)
from coparcours.youths.models import Document, Youth
from coparcours.youths.models.records import FIELD_CATEGORIES
from coparcours.youths.views.duplicates import duplicate_gate

PAGE_SIZE = 25


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def caseload(request: HttpRequest) -> HttpResponse:
    """My youths, my organisation's, or those shared with us; filtered and paginated."""
    acting_id = acting_organisation_id(request)
    form = CaseloadFilterForm(
        request.GET or {"vue": selectors.CaseloadScope.ORGANISATION},
        referents=selectors.caseload_referents(acting_id),
        organisations=selectors.caseload_organisations(request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    youths = selectors.caseload(
        request.user,
        acting_organisation_id=acting_id,
        scope=filters.get("vue") or selectors.CaseloadScope.ORGANISATION,
        referent_id=getattr(filters.get("referent"), "pk", None),
        organisation_id=getattr(filters.get("organisation"), "pk", None),
        text=filters.get("q", ""),
        stage=filters.get("stage", ""),
    ).only(*selectors.CASELOAD_ROW_FIELDS)
    page = Paginator(youths, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "youths/caseload.html", {"page": page, "form": form})


@requires(Capability.YOUTH_CREATE, categories=[Category.IDENTITY, Category.CONTACT])
def youth_create(request: HttpRequest) -> HttpResponse:
    """Only a person who may open a record gets the form and its duplicate check."""
    opening.require_opener(request.user, acting_organisation(request))
    form = YouthCreateForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_not_duplicate"}
        gate = duplicate_gate(request, form)
        duplicates = gate.found
        if gate.passed:
            try:
                youth = services.create_youth(request.user, acting_organisation(request), **data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Le dossier de {youth} est créé.")
                return redirect("youths:detail", pk=youth.pk)
    return render(request, "youths/create.html", {"form": form, "duplicates": duplicates})


@requires(Capability.YOUTH_RECORDS, categories=Category.values)
def youth_detail(request: HttpRequest, pk: int) -> HttpResponse:
    youth = selectors.youth_for(request.user, pk)
    assignments, consents = selectors.accompaniments_and_consents(youth)
    sections = selectors.record_view(request.user, youth)
    writable = writable_categories(request.user, youth)
    is_owner = acting_organisation_id(request) == youth.owner_organisation_id
    return render(
        request,
        "youths/detail.html",
        {
            "youth": youth,
            "sections": sections,
            "assignments": assignments,
            "consents": consents,
            "withdrawable": services.withdrawable_consents(request.user, youth, consents),
            "timeline": selectors.timeline(youth, sections, assignments, consents),
            "is_owner": is_owner,
            "editable_categories": [c for c in FIELD_CATEGORIES if c in writable],
            "writable": writable,
            "writes_any": bool(writable),
            "may_end_assignments": is_owner and Category.IDENTITY in writable,
            "reads_access_log": holds_duty(request.user, youth, Duty.ACCESS_LOG),
            "linked": record_panels.panels_for(request, youth),
        },
    )


@requires(Capability.YOUTH_RECORDS, categories=Category.values)
def youth_edit(request: HttpRequest, pk: int, category: str) -> HttpResponse:
    youth = selectors.youth_for(request.user, pk)
    if category not in FIELD_CATEGORIES:
        raise Http404
    guard(
        request.user,
        youth,
        category,
        Action.WRITE,
        author_organisation_id=youth.owner_organisation_id,
    )  # the save is audited by the service
    form_class = category_form_class(category)
    form = form_class(request.POST or None, instance=youth)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        youth.refresh_from_db()
        try:
            services.update_youth(request.user, youth, category, changes)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect("youths:detail", pk=youth.pk)
    return render(
        request,
        "youths/edit.html",
        {"youth": youth, "form": form, "category_label": Category(category).label},
    )


@requires(Capability.YOUTH_RECORDS, categories=Category.values)
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    youth = selectors.youth_for(request.user, pk)
    form = NoteForm(request.POST or None, initial={"category": request.GET.get("categorie")})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_note(
                request.user, youth, acting_organisation(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Note enregistrée.")
            return redirect("youths:detail", pk=youth.pk)
    return render(
        request,
        "youths/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": "Ajouter une note",
        },
    )


@requires(Capability.YOUTH_RECORDS, categories=Category.values)
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    youth = selectors.youth_for(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_document(
                request.user,
                youth,
                acting_organisation(request),
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Document déposé.")
            return redirect("youths:detail", pk=youth.pk)
    return render(
        request,
        "youths/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": "Déposer un document",
            "multipart": True,
        },
    )


@requires(Capability.YOUTH_RECORDS, categories=Category.values)
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    """Documents are served only here, after the access check (never from a public URL)."""
    youth = selectors.youth_for(request.user, pk)
    document = get_object_or_404(Document.objects.exclude(file=""), pk=document_id, youth=youth)
    check(
        request.user,
        youth,
        document.category,
        Action.READ,
        author_organisation_id=document.author_organisation_id,
        obj=document,
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who accessed this record, when and which category (transparency for the youth), for
    the referents, the direction and the data-protection officer (CNIL 2021-028)."""
    youth = get_object_or_404(
        youths_for_duty(request.user, Youth.objects.active(), Duty.ACCESS_LOG), pk=pk
    )
    check_duty(request.user, youth, Duty.ACCESS_LOG)
    page = Paginator(AuditLog.objects.filter(youth_id=youth.pk), 50).get_page(
        request.GET.get("page")
    )
    lines = access_log_lines.lines_for_reader(request.user, youth, page.object_list)
    return render(request, "youths/access_log.html", {"youth": youth, "page": page, "lines": lines})
