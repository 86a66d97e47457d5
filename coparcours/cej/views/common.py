"""Helpers shared by the CEJ-JR pages: the form page and a pathway's act through a form,
the acts of the pathway's sides, the way back to the co-accompaniment, the partners and
their people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.cej import selectors
from coparcours.cej.models import Pathway
from coparcours.cej.services import plan
from coparcours.core.access import (
    SharedAct,
    acting_organisation,
    acting_organisation_id,
    may_act,
    require_act,
)
from coparcours.core.forms import apply_service_errors
from coparcours.organisations.models import Organisation


def form_page(request, pathway, form, title, *, multipart=False, intro=""):
    """A pathway's form on the shared form page, with its title and an optional intro."""
    return render(
        request,
        "cej/form_page.html",
        {"pathway": pathway, "form": form, "title": title, "multipart": multipart, "intro": intro},
    )


def pathway_form_act(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    act: Callable[..., Any],
    done: str,
    title: str,
    intro: str = "",
) -> HttpResponse:
    """A pathway's act through its form: the service ``act(user, organisation, pathway,
    **cleaned_data)`` on a valid form, its refusals shown on the form (nothing saved), then
    back to the pathway with ``done`` said; ``intro`` above the form."""
    pathway = selectors.pathway_for(request.user, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(request.user, acting_organisation(request), pathway, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(request, pathway, form, title, intro=intro)


def acts(request: HttpRequest, pathway: Pathway) -> dict[str, bool]:
    """Which acts of the pathway's sides the page's organisation holds (links, forms)."""
    organisation_id = acting_organisation_id(request)
    return {act: may_act(organisation_id, pathway, act) for act in SharedAct}


def only_its_side(request: HttpRequest, pathway: Pathway, act: str) -> None:
    """An act one side of the pathway holds (core.access.sides) is refused to the other
    before its form, as the service refuses the act."""
    require_act(acting_organisation_id(request), pathway, act)


def back_to_accompaniment(pathway) -> HttpResponse:
    """Back to the pathway's co-accompaniment page once a form is saved."""
    return redirect("cej:accompaniment", pk=pathway.pk)


def partner_organisations(pathway) -> QuerySet[Organisation]:
    """The partner organisations of the pathway (porteur and mission locale)."""
    return Organisation.objects.filter(pk__in=plan.partners_of(pathway))


def people_of(organisations) -> QuerySet[User]:
    """The people with a membership in force today in one of these organisations."""
    today = timezone.localdate()
    return (
        User.objects.filter(
            memberships__organisation__in=organisations,
            memberships__start_date__lte=today,
        )
        .exclude(memberships__end_date__lte=today)
        .distinct()
        .order_by("last_name", "first_name")
    )
