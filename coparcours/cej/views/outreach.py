"""Outreach: a youth spotted by a referent of the porteur opens a pathway."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coparcours.cej import selectors
from coparcours.cej.forms import OutreachForm
from coparcours.cej.services.outreach import record_outreach
from coparcours.core.access import Category, acting_organisation, acting_organisation_id
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.organisations.models import Organisation, OrganisationKind
from coparcours.youths.views.duplicates import duplicate_gate


@requires(Capability.CEJ_OUTREACH, categories=[Category.IDENTITY, Category.CONTACT])
def outreach(request: HttpRequest) -> HttpResponse:
    """Record a youth spotted: opens the pathway (stage identified)."""
    partnerships = selectors.partnerships_for(
        request.user, acting_organisation_id(request), as_porteur=True
    )
    if not partnerships:
        raise PermissionDenied(
            "Seul le porteur d'un partenariat CEJ-JR repère et ouvre un parcours."
        )
    missions = Organisation.objects.filter(
        kind=OrganisationKind.MISSION_LOCALE, consortium_memberships__consortium__in=partnerships
    ).distinct()
    form = OutreachForm(request.POST or None, partnerships=partnerships, missions_locales=missions)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        gate = duplicate_gate(request, form)
        duplicates = gate.found
        if gate.passed:
            try:
                pathway = record_outreach(
                    request.user,
                    acting_organisation(request),
                    data["partnership"],
                    youth_fields={
                        "last_name": data["last_name"],
                        "first_names": data["first_names"],
                        "birth_date": data["birth_date"],
                    },
                    mission_locale=data["mission_locale"],
                    identified_on=data["identified_on"],
                    spotted_where=data["spotted_where"],
                    spotted_by=data["spotted_by"],
                    spotted_how=data["spotted_how"],
                    registration=data["registration"],
                    registered_on=data["registered_on"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Parcours CEJ-JR ouvert pour {pathway.youth}.")
                return redirect("cej:detail", pk=pathway.pk)
    return render(
        request,
        "cej/outreach.html",
        {
            "form": form,
            "duplicates": duplicates,
        },
    )
