"""Missed actions and their sanctions, the one-off PACEA allowance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from coparcours.cej import selectors
from coparcours.cej.forms import (
    MissedActionForm,
    PaceaDecisionForm,
    PaceaRequestForm,
    SanctionDecisionForm,
)
from coparcours.cej.models import MissedAction, PaceaAllowanceRequest
from coparcours.cej.services import allowances
from coparcours.cej.views.common import form_page, only_its_side, pathway_form_act
from coparcours.core.access import Category, SharedAct, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.formats import euros
from coparcours.core.forms import apply_service_errors


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def missed_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The counsellor records a missed action; the dated scale proposes the sanction."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.SANCTION)
    form = MissedActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            missed = allowances.propose_sanction(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Manquement n° {missed.breach_number} enregistré : "
                f"{missed.get_proposed_effect_display().lower()} proposée.",
            )
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(
        request,
        pathway,
        form,
        "Constater un manquement",
        intro="La sanction est proposée selon le barème en vigueur à la date du manquement ; "
        "la mission locale décide après les observations du jeune.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def missed_action_decide(request: HttpRequest, pk: int, missed_id: int) -> HttpResponse:
    pathway, missed = selectors.pathway_record_for(
        request.user, pk, MissedAction.objects.all(), missed_id
    )
    only_its_side(request, pathway, SharedAct.SANCTION)
    form = SanctionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allowances.decide_sanction(
                request.user, acting_organisation(request), missed, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Décision sur le manquement enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(
        request,
        pathway,
        form,
        f"Décision sur le manquement n° {missed.breach_number}",
        intro=f"{missed.description} (le {missed.occurred_on:%d/%m/%Y}) — sanction proposée : "
        f"{missed.get_proposed_effect_display().lower()}"
        + (f" de {missed.reduction_percent} %" if missed.reduction_percent else "")
        + ".",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pacea_add(request: HttpRequest, pk: int) -> HttpResponse:
    return pathway_form_act(
        request,
        pk,
        PaceaRequestForm,
        allowances.request_pacea_allowance,
        "Demande d'allocation ponctuelle PACEA enregistrée.",
        "Demande d'allocation ponctuelle PACEA",
        intro="Pendant la remobilisation seulement : le PACEA ne court jamais en même temps "
        "que le CEJ.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pacea_decide(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    pathway, pacea = selectors.pathway_record_for(
        request.user, pk, PaceaAllowanceRequest.objects.all(), request_id
    )
    only_its_side(request, pathway, SharedAct.PACEA_DECISION)
    form = PaceaDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allowances.decide_pacea_allowance(
                request.user, acting_organisation(request), pacea, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Décision sur l'allocation ponctuelle enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(
        request,
        pathway,
        form,
        "Décision sur l'allocation ponctuelle PACEA",
        intro=f"{euros(pacea.amount)} demandés le {pacea.requested_on:%d/%m/%Y} "
        f"par {pacea.requested_by}.",
    )
