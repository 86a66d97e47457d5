"""The partnership's settings, set by its porteur: the département (its eligibility
derogations), the weekly minimum of activity hours (15 to 20, CEJ), the committee's day."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coparcours.cej.forms import PartnershipSettingsForm
from coparcours.cej.services import partnerships
from coparcours.core.access import acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.organisations.models import Consortium, ConsortiumKind


@requires(Capability.CEJ_SETTINGS)
def partnership_settings(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(
        Consortium,
        pk=pk,
        kind=ConsortiumKind.CEJ_JR,
        members__organisation=acting_organisation(request),
        members__is_lead=True,
    )
    current = partnerships.settings_of(partnership)
    form = PartnershipSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            partnerships.save_settings(
                request.user,
                acting_organisation(request),
                partnership,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Paramètres du partenariat enregistrés.")
            return redirect("cej:partnership_settings", pk=partnership.pk)
    return render(
        request,
        "cej/partnership_settings.html",
        {"partnership": partnership, "form": form, "saved": current.pk is not None},
        status=400 if form.errors else 200,
    )
