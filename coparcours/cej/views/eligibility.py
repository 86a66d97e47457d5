"""Eligibility: a check at today's date, the overall assessment, the certificate at entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import selectors
from coparcours.cej.forms import AssessmentForm
from coparcours.cej.services import eligibility
from coparcours.cej.views.common import form_page
from coparcours.core.access import Category, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.pdf import pdf_response


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def eligibility_check(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    eligibility.check_eligibility(
        request.user, acting_organisation(request), pathway, timezone.localdate()
    )
    messages.success(request, "Éligibilité vérifiée à la date du jour.")
    return redirect("cej:detail", pk=pathway.pk)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    latest = pathway.checks.first()
    if latest is None:
        raise PermissionDenied("Aucune vérification d'éligibilité à apprécier.")
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            eligibility.add_overall_assessment(
                request.user,
                acting_organisation(request),
                latest,
                form.cleaned_data["assessment"],
                form.cleaned_data["justification"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Appréciation globale enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(
        request,
        pathway,
        form,
        "Appréciation globale de la situation",
        intro=f"Sur la vérification du {latest.checked_on:%d/%m/%Y} : {latest.label}.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The eligibility certificate generated from the check at entry."""
    pathway = selectors.pathway_for(request.user, pk)
    page = selectors.pathway_page(request.user, pathway)
    if page.entry_check is None:
        raise PermissionDenied("Aucune vérification d'éligibilité à l'entrée.")
    return pdf_response(
        "cej/pdf/certificate.html",
        {"pathway": pathway, "entry": page.entry_check, "today": timezone.localdate()},
        filename=f"attestation-eligibilite-{pathway.pk}.pdf",
    )
