"""The partnership's "who does what" and the youth's shared action plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import selectors
from coparcours.cej.forms import ActionStatusForm, CharterForm, PlanActionForm, PlanForm
from coparcours.cej.models import ActionPlan, PlanAction
from coparcours.cej.services import plan
from coparcours.cej.views.common import (
    back_to_accompaniment,
    form_page,
    only_its_side,
    partner_organisations,
    people_of,
)
from coparcours.core.access import Category, SharedAct, acting_organisation, acting_organisation_id
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.pdf import pdf_response


def _partnership_for(request: HttpRequest, pk: int):
    return get_object_or_404(
        selectors.partnerships_for(request.user, acting_organisation_id(request)), pk=pk
    )


@requires(Capability.CEJ_COMMITTEE)
def charter(request: HttpRequest, pk: int) -> HttpResponse:
    """The partnership's "who does what", editable by the partners of the committee."""
    partnership = _partnership_for(request, pk)
    lines = plan.charter(partnership)
    form = CharterForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            plan.update_charter(
                request.user, acting_organisation(request), partnership, form.lines()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "« Qui fait quoi » enregistré.")
            return redirect("cej:charter", pk=partnership.pk)
    return render(
        request, "cej/charter.html", {"partnership": partnership, "lines": lines, "form": form}
    )


@requires(Capability.CEJ_COMMITTEE)
def charter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    return pdf_response(
        "cej/pdf/charter.html",
        {
            "partnership": partnership,
            "lines": plan.charter(partnership),
            "today": timezone.localdate(),
        },
        filename=f"qui-fait-quoi-{partnership.pk}.pdf",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.SHARED_PLAN)
    form = PlanForm(request.POST or None, initial={"diagnosis_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            plan.start_plan(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Plan d'action ouvert.")
            return back_to_accompaniment(pathway)
    return form_page(request, pathway, form, "Plan d'action : diagnostic partagé")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def plan_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    action_plan = get_object_or_404(ActionPlan, pathway=pathway)
    organisations = partner_organisations(pathway)
    form = PlanActionForm(
        request.POST or None, organisations=organisations, people=people_of(organisations)
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan.add_plan_action(
                request.user, acting_organisation(request), action_plan, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Action ajoutée au plan.")
            return back_to_accompaniment(pathway)
    return form_page(
        request,
        pathway,
        form,
        "Ajouter une action au plan",
        intro="Chaque action revient à une organisation et à une personne.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def plan_action_status(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    pathway, item = selectors.pathway_record_for(
        request.user, pk, PlanAction.objects.all(), action_id, within="plan__pathway"
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        plan.set_action_status(
            request.user, acting_organisation(request), item, form.cleaned_data["status"]
        )
        messages.success(request, f"Action « {item.action} » : {item.get_status_display()}.")
    return back_to_accompaniment(pathway)
