"""The CEJ contract's signature, its exceptional extension, and the exit from the pathway."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from coparcours.cej import selectors
from coparcours.cej.forms import ContractExtensionForm, ContractForm, ExitForm
from coparcours.cej.services import contract
from coparcours.cej.views.common import form_page
from coparcours.core.access import Category, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract.sign_contract(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contrat CEJ enregistré.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(request, pathway, form, "Signature du contrat CEJ")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contract_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend a contract in force, with its reason, within the dated maximum duration."""
    pathway = selectors.pathway_for(request.user, pk)
    form = ContractExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract.extend_contract(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Prolongation du contrat CEJ enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(request, pathway, form, "Prolongation du contrat CEJ")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def exit_record(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract.record_exit(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Sortie du parcours enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(request, pathway, form, "Sortie du parcours")
