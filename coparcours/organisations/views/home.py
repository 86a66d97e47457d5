from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coparcours.core.access import acting_membership
from coparcours.core.access.capabilities import memberships_that_may
from coparcours.core.access.routes import CapabilityRefused, signed_in
from coparcours.organisations.home import panels_for
from coparcours.organisations.middleware import SESSION_KEY
from coparcours.organisations.models import Membership, Role
from coparcours.organisations.selectors import consortia_of
from coparcours.organisations.todo import pending_for

# What each role finds first on its home page (docs/conventions.md, "Screens by role").
HOME_TEMPLATES = {
    Role.REFERENT: "organisations/home/referent.html",
    Role.COUNSELLOR: "organisations/home/counsellor.html",
    Role.COORDINATOR: "organisations/home/coordinator.html",
    Role.FINANCE_OFFICER: "organisations/home/finance_officer.html",
    Role.DIRECTOR: "organisations/home/director.html",
    Role.QUALITY_DIRECTOR: "organisations/home/director.html",
    Role.FUNDER_VIEWER: "organisations/home/funder_viewer.html",
    Role.ADMINISTRATOR: "organisations/home/administrator.html",
    Role.DATA_PROTECTION_OFFICER: "organisations/home/data_protection_officer.html",
}


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    if membership is None:
        return render(request, "organisations/home/no_membership.html")
    return render(
        request,
        HOME_TEMPLATES[membership.role],
        {
            "consortia": consortia_of(membership.organisation),
            "todo": pending_for(request),
            "panels": panels_for(request),
        },
    )


@signed_in
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Work for another of one's organisations (or roles); only active memberships count."""
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        wanted = None
    membership = next((m for m in request.memberships if m.pk == wanted), None)
    if membership is None:
        messages.error(request, "Ce rattachement n'existe pas ou n'est plus actif.")
    else:
        request.session[SESSION_KEY] = membership.pk
        Membership.objects.filter(pk=membership.pk).update(last_chosen_at=timezone.now())
        messages.success(
            request,
            f"Vous travaillez maintenant pour {membership.organisation} "
            f"({membership.get_role_display()}).",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "home"
    return redirect(target)


def permission_denied(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    """The 403 page, in French: the reason, and where the person's other memberships would
    grant the page, a button to switch to one of them and come back."""
    others = []
    if isinstance(exception, CapabilityRefused):
        current = getattr(request, "membership", None)
        others = [
            m
            for m in memberships_that_may(getattr(request, "memberships", []), exception.capability)
            if m != current
        ]
    return render(
        request,
        "403.html",
        {"exception": str(exception), "switch_to": others, "back_to": request.get_full_path()},
        status=403,
    )
