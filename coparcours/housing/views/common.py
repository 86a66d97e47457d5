"""Helpers shared by the housing pages: the GME the user coordinates, the user's member
teams, the form page and the submission of a form to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coparcours.core.forms import apply_service_errors
from coparcours.housing.selectors import roles
from coparcours.housing.services import coordination as coordination_services
from coparcours.organisations.models import Consortium


def coordinated_consortium(request: HttpRequest) -> Consortium:
    """The first GME (by name) whose coordination the user works in, else a refusal."""
    consortium = roles.coordinated_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied(coordination_services.NOT_COORDINATION)
    return consortium


def staff_ids(request: HttpRequest) -> set[int]:
    """The user's GME members whose proposals, stays, sites and loans they handle."""
    return roles.staff_organisation_ids(request.user)


def form_page(request: HttpRequest, form: Form, title: str, back: str, **extra) -> HttpResponse:
    """The housing's page of one form, with its title and the page to go back to."""
    return render(
        request, "housing/form_page.html", {"form": form, "title": title, "back": back, **extra}
    )


def submit(
    request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], Any], success: str
) -> Any:
    """Run a service on a valid form; its refusals become form errors (nothing saved)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, success)
    return result
