"""Quality and governance evaluation campaigns: the coordination's grid, each member's
self-assessment and the improvement plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.housing.selectors.roles import coordinated_consortia
from coparcours.organisations.models import Organisation
from coparcours.reporting import charts, selectors, services
from coparcours.reporting.forms.evaluation import ActionForm, CampaignForm, ScoreForm
from coparcours.reporting.indicators.surveys import campaign_table
from coparcours.reporting.models import Campaign


def _campaigns(request: HttpRequest):
    return Campaign.objects.filter(consortium__in=selectors.steered(request.user, selectors.GME))


@requires(Capability.QUALITY)
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaigns of the GMEs the user steers; the coordination opens new ones."""
    steered = selectors.steered(request.user, selectors.GME)
    if not steered.exists():
        raise PermissionDenied("Les évaluations ne sont pas accessibles à votre rôle.")
    coordinated = coordinated_consortia(request.user)
    form = None
    if coordinated.exists():
        form = CampaignForm(request.POST or None, consortia=coordinated)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.open_campaign(
                    request.user,
                    data["consortium"],
                    data["kind"],
                    data["title"],
                    data["due_on"],
                    data["criteria"].splitlines(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Campagne ouverte : les membres peuvent s'évaluer.")
                return redirect("reporting:campaign", pk=campaign.pk)
    elif request.method == "POST":
        raise PermissionDenied("Seule la coordination du groupement ouvre une campagne.")
    return render(
        request,
        "reporting/campaigns.html",
        {"campaigns": _campaigns(request).select_related("consortium"), "form": form},
    )


@requires(Capability.QUALITY)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Results compared across members, the member's own scoring, the improvement plan."""
    campaign = get_object_or_404(_campaigns(request), pk=pk)
    own = services.scoring_organisations(request.user, campaign)
    coordinates = coordinated_consortia(request.user).filter(pk=campaign.consortium_id).exists()
    planners = (
        Organisation.objects.filter(consortium_memberships__consortium=campaign.consortium)
        if coordinates
        else Organisation.objects.filter(pk__in=[o.pk for o in own])
    )
    score_form = ScoreForm(
        request.POST if "score" in request.POST else None,
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in own]),
        criteria=campaign.criteria.all(),
    )
    action_form = ActionForm(
        request.POST if "action" in request.POST else None, organisations=planners
    )
    form = score_form if "score" in request.POST else action_form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form is score_form:
                services.score(
                    request.user,
                    data["criterion"],
                    data["organisation"],
                    data["score"],
                    data["evidence"],
                    data["comment"],
                )
            else:
                services.plan_action(
                    request.user,
                    campaign,
                    data["organisation"],
                    data["action"],
                    data["owner"],
                    data["due_on"],
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Enregistré.")
            return redirect("reporting:campaign", pk=campaign.pk)
    table = campaign_table(campaign)
    return render(
        request,
        "reporting/campaign.html",
        {
            "campaign": campaign,
            "table": table,
            "chart": charts.table_chart(table, table.charted, [0]),
            "score_form": score_form if own else None,
            "action_form": action_form if planners.exists() else None,
            "actions": campaign.actions.select_related("organisation"),
        },
    )
