"""Setting up a GME or a CEJ-JR partnership, by its lead: the consortium, its members,
their departures, the first person of each organisation brought in (``setup``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coparcours.core.access import Capability, acting_organisation
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.organisations import invitations, setup
from coparcours.organisations.forms import (
    ConsortiumForm,
    FirstPersonForm,
    MemberEndForm,
    MemberForm,
)
from coparcours.organisations.models import ConsortiumMember, Organisation
from coparcours.organisations.setup import FUNDER_KIND
from coparcours.organisations.views.team import refusal_text


@requires(Capability.CONSORTIUM_SETUP)
def consortia(request: HttpRequest) -> HttpResponse:
    lead = acting_organisation(request)
    form = ConsortiumForm(
        request.POST or None, initial={"new_funder_departement": lead.departement_code}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                funder = data["funder"] or setup.create_organisation(
                    request.user,
                    kind=FUNDER_KIND[data["kind"]],
                    name=data["new_funder"],
                    departement_code=data["new_funder_departement"],
                )
                consortium = setup.create_consortium(
                    request.user,
                    lead,
                    kind=data["kind"],
                    name=data["name"],
                    funder=funder,
                    start_date=data["start_date"],
                    renewal_date=data["renewal_date"],
                )
        except ValidationError as problem:
            apply_service_errors(form, problem)
        else:
            messages.success(request, f"« {consortium} » est créé : ajoutez ses membres.")
            return redirect("organisations:consortium", consortium.pk)
    return render(
        request,
        "organisations/consortia.html",
        {"form": form, "consortia": setup.consortia_led_by(lead)},
        status=400 if form.errors else 200,
    )


def _led(request: HttpRequest, pk: int):
    return get_object_or_404(setup.consortia_led_by(acting_organisation(request)), pk=pk)


@requires(Capability.CONSORTIUM_SETUP)
def consortium(request: HttpRequest, pk: int) -> HttpResponse:
    led = _led(request, pk)
    form = MemberForm(
        request.POST or None,
        consortium=led,
        initial={"departement_code": acting_organisation(request).departement_code},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                organisation = data["organisation"] or setup.create_organisation(
                    request.user,
                    kind=data["kind"],
                    name=data["name"],
                    city=data["city"],
                    departement_code=data["departement_code"],
                )
                setup.add_member(
                    request.user, acting_organisation(request), led, organisation, data["joined_on"]
                )
        except ValidationError as problem:
            apply_service_errors(form, problem)
        else:
            messages.success(request, f"{organisation} est membre de « {led} ».")
            return redirect("organisations:consortium", led.pk)
    members = list(led.members.select_related("organisation"))
    alone = setup.without_people([m.organisation for m in members] + [led.funder])
    return render(
        request,
        "organisations/consortium.html",
        {
            "consortium": led,
            "members": members,
            "form": form,
            "funder_alone": led.funder_id in alone,
            "alone": alone,
        },
        status=400 if form.errors else 200,
    )


@requires(Capability.CONSORTIUM_SETUP)
def member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    led = _led(request, pk)
    member = get_object_or_404(
        ConsortiumMember, pk=member_pk, consortium=led, left_on=None, is_lead=False
    )
    form = MemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            setup.end_member(
                request.user, acting_organisation(request), member, form.cleaned_data["left_on"]
            )
        except ValidationError as problem:
            apply_service_errors(form, problem)
        else:
            messages.success(request, f"{member.organisation} quitte « {led} ».")
            return redirect("organisations:consortium", led.pk)
    return confirmation_page(
        request,
        Confirmation(
            title=f"{member.organisation} quitte « {led} »",
            consequences=[
                "À partir de ce jour, ses personnes n'agissent plus dans le groupement : ni "
                "nouveau séjour ni nouveau parcours, plus de tableau de bord du groupement.",
                "Ce qui a été fait avant reste, avec ses chiffres et ses factures.",
            ],
            confirm="Confirmer la sortie",
            cancel_url=reverse("organisations:consortium", args=[led.pk]),
            parent=str(led),
            form=form,
        ),
    )


@requires(Capability.CONSORTIUM_SETUP)
def first_person(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    led = _led(request, pk)
    allowed = [m.organisation_id for m in led.members.all()] + [led.funder_id]
    organisation = get_object_or_404(Organisation, pk=organisation_pk, pk__in=allowed)
    if organisation.pk not in setup.without_people([organisation]):
        raise PermissionDenied(
            f"{organisation} a déjà son équipe : c'est elle qui invite ses collègues."
        )
    form = FirstPersonForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(request.user, organisation, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as problem:
            form.add_error(None, refusal_text(problem))
        else:
            messages.success(
                request, f"Invitation envoyée à {invitation.email} pour {organisation}."
            )
            return redirect("organisations:consortium", led.pk)
    return render(
        request,
        "organisations/first_person.html",
        {"consortium": led, "organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )
