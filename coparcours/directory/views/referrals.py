"""Orientation of a youth towards a service, and the referrals sent, received and answered
(in the app or through the structure's single-use link)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coparcours.core.access import (
    Action,
    Category,
    acting_organisation_id,
    acting_organisation_towards,
    check,
    guard,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.core.forms import apply_service_errors
from coparcours.directory import selectors
from coparcours.directory.forms.referrals import AnswerForm, ReferralForm
from coparcours.directory.models import Referral, Service
from coparcours.directory.services.referrals import (
    answer_as_member,
    answer_referral,
    record_answer_page_read,
    referral_from_token,
    referral_token,
    send_referral,
)
from coparcours.youths.selectors import youth_for


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def orientation_choose(request: HttpRequest) -> HttpResponse:
    """The youth chosen on the directory page (a select), then their orientation."""
    try:
        youth_id = int(request.GET.get("jeune", ""))
    except ValueError:
        return redirect("directory:search")
    return redirect("directory:orientation", youth_id)


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def orientation(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Schemes and services that fit a youth, from what the user may see of the record."""
    youth = youth_for(request.user, youth_id)
    check(request.user, youth, Category.IDENTITY, Action.READ)
    theme = request.GET.get("thematique", "")
    error = ""
    try:
        result = selectors.orientation(request.user, youth, theme=theme)
    except ValidationError as refused:
        error = " ".join(refused.messages)
        result = selectors.orientation(request.user, youth)
    return render(
        request,
        "directory/orientation.html",
        {
            "youth": youth,
            "result": result,
            "theme": theme,
            "themes": selectors.theme_choices(),
            "error": error,
            "referrals": selectors.referrals_for_youth(request.user, youth),
        },
    )


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def referral_create(request: HttpRequest, youth_id: int, service_id: int) -> HttpResponse:
    youth = youth_for(request.user, youth_id)
    guard(request.user, youth, Category.IDENTITY, Action.WRITE)  # sending is audited
    service = get_object_or_404(Service.objects.select_related("structure"), pk=service_id)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = send_referral(
                request.user,
                youth,
                acting_organisation_towards(request, youth),
                service=service,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Orientation envoyée à la structure.")
            return redirect("directory:referral", referral.pk)
    return render(
        request, "directory/referral_form.html", {"youth": youth, "service": service, "form": form}
    )


def _own_referral(request: HttpRequest, pk: int) -> Referral:
    referral = get_object_or_404(
        Referral.objects.select_related("service__structure", "author_organisation"), pk=pk
    )
    youth = youth_for(request.user, referral.youth_id)
    if referral not in selectors.referrals_for_youth(request.user, youth):
        raise Http404
    check(request.user, youth, referral.category, Action.READ, obj=referral)
    return referral


@requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _own_referral(request, pk)
    link = request.build_absolute_uri(reverse("directory:answer", args=[referral_token(referral)]))
    return render(request, "directory/referral_detail.html", {"referral": referral, "link": link})


@requires(Capability.DIRECTORY)
def received(request: HttpRequest) -> HttpResponse:
    """Referrals addressed to my organisation's services (a structure using Coparcours)."""
    organisation_id = acting_organisation_id(request)
    return render(
        request,
        "directory/received.html",
        {"referrals": selectors.received_referrals(organisation_id), "form": AnswerForm()},
    )


@requires(Capability.DIRECTORY)
@require_POST
def answer_in_app(request: HttpRequest, pk: int) -> HttpResponse:
    organisation_id = acting_organisation_id(request)
    referral = get_object_or_404(selectors.received_referrals(organisation_id), pk=pk)
    form = AnswerForm(request.POST)
    form.fields["answered_by"].required = False
    if form.is_valid():
        try:
            answer_as_member(
                request.user,
                referral,
                accepted=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["refusal_reason"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Réponse enregistrée.")
    else:
        messages.error(request, "Choisissez votre réponse.")
    return redirect("directory:received")


@public("A partner structure answers an orientation through the single-use link sent to it.")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A structure not using Coparcours answers through its expiring, tokenised link."""
    try:
        referral = referral_from_token(token)
    except ValidationError as error:
        return render(
            request, "directory/answer_invalid.html", {"message": error.messages[0]}, status=410
        )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = answer_referral(
                referral,
                accepted=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["refusal_reason"],
                comment=form.cleaned_data["comment"],
                answered_by=form.cleaned_data["answered_by"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("directory:answer", token)
    record_answer_page_read(referral)
    response = render(request, "directory/answer.html", {"referral": referral, "form": form})
    response["Cache-Control"] = "private, no-store"
    return response
