"""The organisation's team, kept by its coordinators and directors without the
administration: who works there in which role, the invitations sent, a membership ended
(docs/access.md, capability ``team``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coparcours.core.access import Capability, acting_organisation
from coparcours.core.access.routes import requires
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.organisations import invitations
from coparcours.organisations.forms import InvitationForm
from coparcours.organisations.models import Invitation, Membership


@requires(Capability.TEAM)
def team(request: HttpRequest) -> HttpResponse:
    organisation = acting_organisation(request)
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(request.user, organisation, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as problem:
            form.add_error(None, refusal_text(problem))
        else:
            messages.success(
                request,
                f"Invitation envoyée à {invitation.email} ({invitation.get_role_display()}), "
                f"valable {invitations.INVITATION_DAYS} jours.",
            )
            return redirect("organisations:team")
    return render(
        request,
        "organisations/team.html",
        {
            "form": form,
            "memberships": Membership.objects.active()
            .filter(organisation=organisation)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "role"),
            "invitations": Invitation.objects.pending()
            .filter(organisation=organisation)
            .select_related("invited_by"),
        },
        status=400 if form.errors else 200,
    )


def refusal_text(problem: Exception) -> str:
    """A service's refusal in French, for a form or a message (a rule's or the policy's)."""
    if isinstance(problem, ValidationError):
        return " ".join(problem.messages)
    return str(problem)


def _pending(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.pending(), pk=pk, organisation=acting_organisation(request)
    )


@requires(Capability.TEAM)
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _pending(request, pk)
    if request.method != "POST":
        return redirect("organisations:team")
    invitations.resend(request.user, invitation)
    messages.success(request, f"Invitation renvoyée à {invitation.email}.")
    return redirect("organisations:team")


@requires(Capability.TEAM)
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _pending(request, pk)
    if request.method == "POST":
        invitations.cancel(request.user, invitation)
        messages.success(request, f"Invitation de {invitation.email} annulée.")
        return redirect("organisations:team")
    return confirmation_page(
        request,
        Confirmation(
            title=f"Annuler l'invitation de {invitation.email}",
            facts=[
                ("Rôle", invitation.get_role_display()),
                ("Envoyée le", f"{invitation.created_at:%d/%m/%Y}"),
            ],
            consequences=[
                "Le lien envoyé ne fonctionnera plus.",
                "Vous pourrez inviter cette personne à nouveau plus tard.",
            ],
            confirm="Annuler l'invitation",
            cancel_url=reverse("organisations:team"),
            parent="Équipe",
        ),
    )


@requires(Capability.TEAM)
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.active().select_related("user"),
        pk=pk,
        organisation=acting_organisation(request),
    )
    if request.method == "POST":
        try:
            invitations.end_membership(request.user, membership)
        except (ValidationError, PermissionDenied) as problem:
            messages.error(request, refusal_text(problem))
        else:
            messages.success(
                request, f"{membership.user} n'est plus {membership.get_role_display().lower()}."
            )
        return redirect("organisations:team")
    return confirmation_page(
        request,
        Confirmation(
            title=f"Mettre fin au rôle de {membership.user}",
            facts=[
                ("Rôle", membership.get_role_display()),
                ("Depuis le", f"{membership.start_date:%d/%m/%Y}"),
            ],
            consequences=[
                "Dès aujourd'hui, cette personne n'a plus accès aux pages ni aux dossiers de "
                "l'organisation dans ce rôle.",
                "Ce qu'elle a écrit et le journal de ses accès restent.",
                "Les jeunes dont elle était référente gardent leur dossier : donnez-leur un "
                "autre référent.",
            ],
            confirm="Mettre fin au rôle",
            cancel_url=reverse("organisations:team"),
            parent="Équipe",
        ),
    )
