"""Places proposed to a member by the coordination: accept, decline, record the
admission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coparcours.core.access import Category
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing.forms import AdmitForm, DeclineForm
from coparcours.housing.models.requests import Proposal
from coparcours.housing.selectors import requests as request_selectors
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.housing.views.common import form_page, staff_ids, submit


@requires(Capability.HOUSING_MEMBER)
def proposals(request: HttpRequest) -> HttpResponse:
    """Places proposed by the coordination to my organisation, waiting for an answer."""
    if not staff_ids(request):
        raise PermissionDenied("Réservé aux équipes des associations membres.")
    return render(
        request,
        "housing/proposals.html",
        {"proposals": request_selectors.proposals_to_answer(request.user)},
    )


def _proposal_for(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(request_selectors.proposals_for(request.user), pk=pk)


@requires(Capability.HOUSING_MEMBER)
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    try:
        request_services.answer_proposal(request.user, proposal, accept=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Proposition acceptée : l'admission peut être enregistrée.")
    return redirect("housing:proposal_admit", pk=proposal.pk)


@requires(Capability.HOUSING_MEMBER)
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    form = DeclineForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: request_services.answer_proposal(
            request.user, proposal, accept=False, reason=data["decline_reason"]
        ),
        "Proposition refusée : la coordination est informée.",
    ):
        return redirect("housing:proposals")
    return form_page(
        request, form, f"Refuser la proposition — {proposal.site.name}", "housing:proposals"
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def proposal_admit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    form = AdmitForm(request.POST or None, initial={"entry_date": proposal.entry_date})
    stay = submit(
        request,
        form,
        lambda data: stay_services.admit(request.user, proposal, data["entry_date"]),
        "Admission enregistrée : le séjour est ouvert.",
    )
    if stay:
        return redirect("housing:stay", pk=stay.pk)
    return form_page(
        request,
        form,
        f"Admission à {proposal.site.name}",
        "housing:proposals",
        proposal=proposal,
    )
