"""Interviews and syntheses, and the mission locale's counsellor of the youth."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from coparcours.cej import selectors
from coparcours.cej.forms import CounsellorForm, InterviewForm
from coparcours.cej.services import interviews
from coparcours.cej.views.common import back_to_accompaniment, form_page, only_its_side, people_of
from coparcours.core.access import Category, SharedAct, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def counsellor_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Who receives the Monday follow-up of this youth: a counsellor of the mission locale."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.COUNSELLOR)
    form = CounsellorForm(
        request.POST or None,
        people=people_of([pathway.mission_locale_id]),
        initial={"counsellor": pathway.counsellor_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            interviews.set_counsellor(
                request.user, acting_organisation(request), pathway, form.cleaned_data["counsellor"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Conseiller·ère enregistré·e.")
            return back_to_accompaniment(pathway)
    return form_page(request, pathway, form, "Conseiller·ère de la mission locale")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.INTERVIEWS)
    form = InterviewForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            interviews.record_interview(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Entretien enregistré.")
            return back_to_accompaniment(pathway)
    return form_page(request, pathway, form, "Entretien ou synthèse")
