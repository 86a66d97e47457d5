"""The weekly integration committee: its meetings, agenda, decisions and minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coparcours.cej import selectors
from coparcours.cej.forms import DecisionForm, MeetingForm
from coparcours.cej.services import committee
from coparcours.core.access import Category, acting_organisation, acting_organisation_id
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.pdf import pdf_response


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_for(request.user, acting_organisation_id(request))
    return render(request, "cej/meeting_list.html", {"meetings": meetings})


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_create(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.partnerships_for(request.user, acting_organisation_id(request))
    if not partnerships:
        raise PermissionDenied("Le comité d'intégration réunit le porteur et la mission locale.")
    form = MeetingForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = committee.create_meeting(
                request.user,
                acting_organisation(request),
                form.cleaned_data["partnership"],
                date=form.cleaned_data["date"],
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Comité créé : l'ordre du jour est prêt.")
            return redirect("cej:meeting", pk=meeting.pk)
    return render(
        request,
        "cej/form_page.html",
        {"form": form, "title": "Nouveau comité d'intégration", "cancel": "cej:meetings"},
    )


def _meeting_for(request: HttpRequest, pk: int):
    return get_object_or_404(
        selectors.meetings_for(request.user, acting_organisation_id(request)), pk=pk
    )


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pathway = get_object_or_404(
            selectors.visible_pathways(request.user), pk=form.cleaned_data["pathway"]
        )
        try:
            committee.record_decision(
                request.user,
                acting_organisation(request),
                meeting,
                pathway,
                kind=form.cleaned_data["kind"],
                decided_by=form.cleaned_data["decided_by"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Décision enregistrée pour {pathway.youth}.")
        return redirect("cej:meeting", pk=meeting.pk)
    return render(
        request,
        "cej/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": selectors.agenda(request.user, meeting),
            "kinds": DecisionForm.base_fields["kind"].choices,
        },
    )


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    return pdf_response(
        "cej/pdf/minutes.html",
        {
            "meeting": meeting,
            "rows": selectors.agenda(request.user, meeting, reason=selectors.AGENDA_IN_MINUTES),
        },
        filename=f"comite-{meeting.date:%Y-%m-%d}.pdf",
    )
