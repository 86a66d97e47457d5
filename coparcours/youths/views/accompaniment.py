"""Pages of the co-accompaniment and the consents: organisations accompanying a youth, and
the consents (with their printable form) opening categories to them."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Category,
    acting_organisation,
    acting_organisation_id,
    check,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.pdf import pdf_response
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.organisations.models import Organisation
from coparcours.youths import selectors, services
from coparcours.youths.forms import (
    AssignmentForm,
    ConsentForm,
    EndForm,
)
from coparcours.youths.models import Assignment, Consent
from coparcours.youths.refusals import Refused


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    youth = selectors.youth_for(request.user, pk)
    services.require_owner(request.user, youth)
    form = AssignmentForm(request.POST or None, exclude_organisation_id=youth.owner_organisation_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_assignment(
                request.user,
                youth,
                data["organisation"],
                data["role"],
                data["start_date"],
                data["end_date"],
                data["relation"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{data['organisation']} accompagne désormais ce jeune.")
            return redirect("youths:detail", pk=youth.pk)
    return render(
        request,
        "youths/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": "Ajouter un co-accompagnement",
        },
    )


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def assignment_end(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    """End a co-accompaniment on its last day, after saying what the partner loses."""
    youth = selectors.youth_for(request.user, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("organisation"), pk=assignment_id, youth=youth
    )
    services.require_owner(request.user, youth, obj=assignment)
    # today as the last day (the field shows the day before the stored, excluded, end)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = EndForm(request.POST or None, initial={"end_date": tomorrow})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_assignment(request.user, assignment, form.cleaned_data["end_date"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Co-accompagnement par {assignment.organisation} terminé.")
            return redirect("youths:detail", pk=youth.pk)
    partner = assignment.organisation
    return confirmation_page(
        request,
        Confirmation(
            title=f"Terminer le co-accompagnement par {partner} ?",
            context=f"{youth} — dossier n° {youth.pk}",
            consequences=[
                f"Après le dernier jour indiqué, {partner} ne voit plus ce dossier ni les "
                "informations que vous lui partagiez, consentements compris.",
                f"Ce que {partner} a écrit reste dans le dossier, sous son nom.",
                "Pour le reprendre, il faudra ajouter de nouveau le partenaire.",
            ],
            confirm="Terminer le co-accompagnement",
            parent=str(youth),
            cancel_url=reverse("youths:detail", args=[youth.pk]),
            form=form,
        ),
    )


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    youth = selectors.youth_for(request.user, pk)
    partners = Organisation.objects.filter(
        pk__in=services.accompanying_organisations(youth)
    ).exclude(pk=acting_organisation_id(request))
    form = ConsentForm(request.POST or None, request.FILES or None, organisations=partners)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_consent_recorder(  # before any signed form is stored
                request.user,
                youth,
                acting_organisation(request),
                data["organisation"],
                data["categories"],
            )
            with transaction.atomic():
                upload = data.pop("signed_form_file")
                signed_form = (
                    services.upload_document(
                        request.user,
                        youth,
                        acting_organisation(request),
                        category=Category.ADMIN_DOCUMENTS,
                        title="Formulaire de consentement signé",
                        upload=upload,
                    )
                    if upload
                    else None
                )
                services.record_consent(
                    request.user,
                    youth,
                    acting_organisation(request),
                    signed_form=signed_form,
                    **data,
                )
        except Refused as refusal:
            form.add_error(None, str(refusal))
            status = 403
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le consentement est enregistré et prend effet.")
            return redirect("youths:detail", pk=youth.pk)
    return render(
        request,
        "youths/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": "Enregistrer un consentement",
            "multipart": True,
        },
        status=status,
    )


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def consent_withdraw(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    """Withdraw a consent, after a confirmation saying what the partner stops seeing."""
    youth = selectors.youth_for(request.user, pk)
    consent = get_object_or_404(
        Consent.objects.select_related("organisation"), pk=consent_id, youth=youth
    )
    if request.method == "POST":
        services.withdraw_consent(request.user, consent)
        messages.success(request, "Consentement retiré : le partage cesse immédiatement.")
        return redirect("youths:detail", pk=youth.pk)
    services.withdrawal_grant(request.user, consent)
    record = reverse("youths:detail", args=[youth.pk])
    return confirmation_page(
        request,
        Confirmation(
            title=f"Retirer le partage avec {consent.organisation} ?",
            context=f"{youth} — dossier n° {youth.pk}",
            consequences=[
                f"{consent.organisation} ne verra plus, dès maintenant : "
                f"{', '.join(consent.category_labels)}.",
                "Le retrait est inscrit au journal d'audit ; il ne peut pas être annulé.",
                "Pour partager de nouveau, il faudra recueillir un nouveau consentement.",
            ],
            confirm="Retirer le partage",
            parent=str(youth),
            cancel_url=f"{record}#consents-title",
        ),
    )


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def consent_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A plain-French consent form to print and sign, prefilled from the query string."""
    youth = selectors.youth_for(request.user, pk)
    check(request.user, youth, Category.IDENTITY, Action.READ)
    recipient = Organisation.objects.filter(pk=request.GET.get("organisation") or None).first()
    chosen = [c for c in request.GET.getlist("categories") if c in Category.values]
    return pdf_response(
        "pdf/consent_form.html",
        {
            "youth": youth,
            "acting": acting_organisation(request) or youth.owner_organisation,
            "recipient": recipient,
            "categories": [(c.value, c.label) for c in Category if c != Category.IDENTITY],
            "chosen": chosen,
            "purpose": request.GET.get("purpose", ""),
            "start": timezone.localdate(),
            "end": None,
            "minor": youth.is_minor(),
            "today": timezone.localdate(),
        },
        filename=f"consentement-{youth.pk}.pdf",
    )
