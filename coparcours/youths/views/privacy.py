"""Web pages of the data-protection rights: export, erasure requests, audit search.

The data-protection officer has no casework rights (docs/decisions.md, section 12): these pages
find youths through :func:`coparcours.core.access.youths_for_duty`, not the caseload.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import (
    DUTY_REFUSALS,
    Category,
    Duty,
    acting_membership,
    check_duty,
    duty_organisations,
    holds_duty,
    youths_for_duty,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.audit import record
from coparcours.core.forms import apply_service_errors
from coparcours.core.models import AuditEvent
from coparcours.core.pdf import pdf_response
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.youths import selectors
from coparcours.youths.forms import DATE
from coparcours.youths.models import CopyRequest, ErasureRequest, RetentionRule, Youth
from coparcours.youths.models.copies import CopyStatus
from coparcours.youths.models.erasure import ErasureRequester, ErasureStatus
from coparcours.youths.models.retention import RetentionScope
from coparcours.youths.privacy.audit import organisation_audit
from coparcours.youths.privacy.copies import answer_copy_request
from coparcours.youths.privacy.erasure import decide_erasure_request, record_erasure_request
from coparcours.youths.privacy.export import YouthExport, build_export
from coparcours.youths.rules import answer_due

AUDIT_PAGE_SIZE = 50
#: The PDF lists the latest accesses; the JSON export holds them all.
PDF_ACCESS_LINES = 1000


class ErasureRequestForm(forms.Form):
    received_on = forms.DateField(label="Demande reçue le", widget=DATE)
    requester = forms.ChoiceField(label="Demandée par", choices=ErasureRequester.choices)
    reason = forms.CharField(
        label="Motif de la demande",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Les mots du jeune, et le motif d'effacement invoqué (RGPD art. 17).",
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approve", "Accepter et anonymiser le dossier"), ("refuse", "Refuser")],
        widget=forms.RadioSelect,
    )
    motive = forms.CharField(
        label="Motif de la décision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Communiqué au jeune ; un refus cite le motif légal de conservation.",
    )


class CopyAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Réponse",
        choices=[("handed_over", "La copie est remise au jeune"), ("refused", "Refuser")],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="Ce que lit le jeune",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Dans son espace, dans des mots simples : quand et comment la copie lui a "
        "été remise, ou pourquoi elle ne peut pas l'être.",
    )


class AuditSearchForm(forms.Form):
    person = forms.CharField(label="Personne (adresse électronique)", required=False)
    youth = forms.IntegerField(label="Dossier n°", required=False, min_value=1)
    event = forms.ChoiceField(
        label="Événement", required=False, choices=[("", "Tous"), *AuditEvent.choices]
    )
    start = forms.DateField(label="Du", required=False, widget=DATE)
    end = forms.DateField(label="Au", required=False, widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("La date de fin doit suivre la date de début.")
        return data


def _youth(request: HttpRequest, pk: int) -> Youth:
    """A youth on which the user holds a data-protection duty, or 404 (no hint it exists).

    Every duty is held by roles that may also read the access log, so that duty's youths
    are the widest set."""
    return get_object_or_404(
        youths_for_duty(request.user, Youth.objects.active(), Duty.ACCESS_LOG).select_related(
            "owner_organisation"
        ),
        pk=pk,
    )


@requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def privacy_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The record's data-protection page: export, access log and erasure requests."""
    youth = _youth(request, pk)
    check_duty(request.user, youth, Duty.ACCESS_LOG)
    return render(
        request,
        "youths/privacy/page.html",
        {
            "youth": youth,
            "erasure_requests": youth.erasure_requests.select_related("decided_by"),
            "copy_requests": youth.copy_requests.select_related("answered_by"),
            "may_answer_copy": holds_duty(request.user, youth, Duty.COPY_ANSWER),
            "may_export": holds_duty(request.user, youth, Duty.EXPORT),
            "may_request": holds_duty(request.user, youth, Duty.ERASURE_REQUEST),
            "may_decide": holds_duty(request.user, youth, Duty.ERASURE_DECISION),
        },
    )


def _export(request: HttpRequest, pk: int) -> YouthExport:
    """A record the user knows, else 404 as for an unknown id; the policy explains a
    refusal (and logs it) to those who know the youth."""
    youth = selectors.youth_known_to(request.user, pk)
    return build_export(request.user, youth)


@requires(Capability.DATA_PROTECTION, categories=Category.values)
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the youth that the user may read (RGPD art. 15), as JSON."""
    export = _export(request, pk)
    response = HttpResponse(
        json.dumps(export.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="export-jeune-{pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.DATA_PROTECTION, categories=Category.values)
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same export, readable, in plain French, to hand to the youth."""
    export = _export(request, pk)
    return pdf_response(
        "pdf/youth_export.html",
        {
            "export": export,
            "youth": export.youth,
            "access_lines": export.access_log[-PDF_ACCESS_LINES:],
            "access_lines_cut": len(export.access_log) > PDF_ACCESS_LINES,
            "retention_months": RetentionRule.objects.months_by_category(
                RetentionScope.LAST_CONTACT, timezone.localdate()
            ).get(Category.IDENTITY),
            "today": timezone.localdate(),
        },
        filename=f"export-jeune-{pk}.pdf",
    )


@requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def erasure_request_add(request: HttpRequest, pk: int) -> HttpResponse:
    youth = _youth(request, pk)
    if request.method != "POST":
        check_duty(request.user, youth, Duty.ERASURE_REQUEST)
    form = ErasureRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record_erasure_request(request.user, youth, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                "La demande d'effacement est enregistrée : la direction ou le délégué à la "
                "protection des données va la trancher.",
            )
            return redirect("youths:privacy", pk=youth.pk)
    return render(
        request,
        "youths/privacy/form.html",
        {"youth": youth, "form": form, "title": "Enregistrer une demande d'effacement"},
    )


@requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def erasure_decide(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    youth = _youth(request, pk)
    erasure = get_object_or_404(ErasureRequest, pk=request_id, youth=youth)
    if request.method != "POST":
        check_duty(request.user, youth, Duty.ERASURE_DECISION, obj=erasure)
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            decide_erasure_request(
                request.user, erasure, approve=approve, motive=form.cleaned_data["motive"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if approve:
                messages.success(
                    request, f"Demande acceptée : le dossier n° {youth.pk} est anonymisé."
                )
                return redirect("youths:erasure_list")
            messages.success(request, "Demande refusée : le motif est enregistré.")
            return redirect("youths:privacy", pk=youth.pk)
    return confirmation_page(
        request,
        Confirmation(
            title="Décider d'une demande d'effacement",
            context=f"{youth} — dossier n° {youth.pk}",
            facts=[
                ("Reçue le", f"{erasure.received_on:%d/%m/%Y}"),
                ("Demandée par", erasure.get_requester_display()),
                ("Motif", erasure.reason),
                ("État", erasure.get_status_display()),
            ],
            consequences=[
                "Si vous acceptez, le dossier est anonymisé aussitôt, pour toutes les "
                "organisations : nom remplacé par un pseudonyme, identité, coordonnées, "
                "notes et documents effacés, versions passées comprises. C'est irréversible.",
                "Seules restent les données des statistiques (sexe, année de naissance, "
                "dates d'accompagnement).",
                "Si vous refusez, le dossier ne change pas ; votre motif est conservé pour "
                "être communiqué au jeune.",
            ],
            confirm="Enregistrer la décision",
            parent="Protection des données",
            cancel_url=reverse("youths:privacy", args=[youth.pk]),
            form=form,
        ),
    )


@requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def copy_answer(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """Answer the youth's request for a copy of their data (RGPD art. 15-3): the copy
    handed over, or refused, in words the youth reads in their space."""
    youth = _youth(request, pk)
    copy_request = get_object_or_404(CopyRequest, pk=request_id, youth=youth)
    if request.method != "POST":
        check_duty(request.user, youth, Duty.COPY_ANSWER, obj=copy_request)
    form = CopyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer_copy_request(
                request.user,
                copy_request,
                handed_over=form.cleaned_data["outcome"] == "handed_over",
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, "La réponse est enregistrée : le jeune la lira dans son espace."
            )
            return redirect("youths:privacy", pk=youth.pk)
    return confirmation_page(
        request,
        Confirmation(
            title="Répondre à une demande de copie",
            context=f"{youth} — dossier n° {youth.pk}",
            facts=[
                ("Reçue le", f"{copy_request.received_on:%d/%m/%Y}"),
                ("Demandée par", "le jeune, depuis son espace"),
                ("Réponse due le", f"{answer_due(copy_request.received_on):%d/%m/%Y}"),
                ("État", copy_request.get_status_display()),
            ],
            consequences=[
                "Préparez la copie avec « Exporter le dossier (PDF lisible) » sur la page de "
                "protection des données du jeune : elle contient ce que votre organisation "
                "détient sur lui.",
                "Remettez-la au jeune en main propre, ou par un moyen sûr, après avoir vérifié "
                "que c'est bien lui.",
                "Votre réponse est définitive : le jeune la lit dans son espace ; une autre "
                "demande de sa part en ouvrira une nouvelle.",
            ],
            confirm="Enregistrer la réponse",
            parent="Protection des données",
            cancel_url=reverse("youths:privacy", args=[youth.pk]),
            form=form,
        ),
    )


@requires(Capability.ERASURE_REQUESTS, categories=[Category.IDENTITY])
def erasure_list(request: HttpRequest) -> HttpResponse:
    """The erasure requests of the records the user's organisations own, and the youths'
    requests for a copy the user answers."""
    if not duty_organisations(request.user, Duty.ERASURE_REQUEST):
        raise PermissionDenied(DUTY_REFUSALS[Duty.ERASURE_REQUEST])
    youths = youths_for_duty(request.user, Youth.objects.all(), Duty.ERASURE_REQUEST)
    requests = ErasureRequest.objects.filter(youth__in=youths).select_related(
        "youth", "author_organisation"
    )
    answering = duty_organisations(request.user, Duty.COPY_ANSWER)
    copies = CopyRequest.objects.filter(
        status=CopyStatus.PENDING,
        youth__in=youths_for_duty(request.user, Youth.objects.all(), Duty.COPY_ANSWER),
    ).select_related("youth")
    record(request.user, AuditEvent.LIST, reason="Demandes d'effacement et de copie")
    return render(
        request,
        "youths/privacy/erasure_list.html",
        {
            "pending": requests.filter(status=ErasureStatus.PENDING),
            "decided": requests.exclude(status=ErasureStatus.PENDING).order_by("-decided_at")[:50],
            "may_answer_copies": bool(answering),
            "copies": copies.order_by("received_on", "pk") if answering else [],
        },
    )


@requires(Capability.AUDIT_SEARCH)
def audit_search(request: HttpRequest) -> HttpResponse:
    """The audit lines of the organisation the user works for (administrator or DPO)."""
    membership = acting_membership(request)
    form = AuditSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        lines = organisation_audit(
            membership.organisation_id,
            person=data.get("person", "").strip(),
            youth_id=data.get("youth"),
            event=data.get("event", ""),
            start=data.get("start"),
            end=data.get("end"),
        )
        page = Paginator(lines, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        record(
            request.user,
            AuditEvent.READ,
            organisation=membership.organisation,
            reason="Recherche dans le journal d'audit de l'organisation",
        )
    return render(
        request,
        "youths/privacy/audit_search.html",
        {"form": form, "page": page, "organisation": membership.organisation},
    )
