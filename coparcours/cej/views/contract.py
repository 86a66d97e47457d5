"""The CEJ contract's signature, its exceptional extension, and the exit from the pathway."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from coparcours.cej.forms import ContractExtensionForm, ContractForm, ExitForm
from coparcours.cej.services import contract
from coparcours.cej.views.common import pathway_form_act
from coparcours.core.access import Category
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return pathway_form_act(
        request,
        pk,
        ContractForm,
        contract.sign_contract,
        "Contrat CEJ enregistré.",
        "Signature du contrat CEJ",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contract_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend a contract in force, with its reason, within the dated maximum duration."""
    return pathway_form_act(
        request,
        pk,
        ContractExtensionForm,
        contract.extend_contract,
        "Prolongation du contrat CEJ enregistrée.",
        "Prolongation du contrat CEJ",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def exit_record(request: HttpRequest, pk: int) -> HttpResponse:
    return pathway_form_act(
        request,
        pk,
        ExitForm,
        contract.record_exit,
        "Sortie du parcours enregistrée.",
        "Sortie du parcours",
    )
