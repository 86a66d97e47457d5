"""Accepting an invitation from the link sent by e-mail: a new person chooses their
password; a person who already has an account signs in with it, then accepts. The second
factor, where the role requires one, is set up at the first page (accounts' middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coparcours.core.access.routes import public
from coparcours.core.audit import logged_path
from coparcours.organisations import invitations
from coparcours.organisations.forms import AcceptInvitationForm

#: The address the audit log keeps for these pages: the link itself is a secret.
LOGGED_PATH = "/organisation/invitation/…/"


@public("An invitation's link is its own proof: a secret sent once, valid 7 days, once.")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    with logged_path(LOGGED_PATH):
        invitation = invitations.pending_invitation(token)
        if invitation is None:
            return render(request, "organisations/invitation_invalid.html", status=404)
        account = invitations.existing_account(invitation)
        form = None if account else AcceptInvitationForm(request.POST or None)
        if request.method == "POST" and (form is None or form.is_valid()):
            person = _accept(request, invitation, form)
            if person is not None:
                if not request.user.is_authenticated:
                    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    f"Bienvenue : vous êtes {invitation.get_role_display().lower()} à "
                    f"{invitation.organisation}.",
                )
                return redirect("home")
        return render(
            request,
            "organisations/invitation.html",
            {"invitation": invitation, "form": form, "account": account},
            status=400 if form is not None and form.errors else 200,
        )


def _accept(request: HttpRequest, invitation, form: AcceptInvitationForm | None):
    """The account that joined, or ``None`` with the reason on the form or the page."""
    try:
        return invitations.accept(
            invitation,
            user=request.user if request.user.is_authenticated else None,
            password=form.cleaned_data["password1"] if form else "",
        )
    except ValidationError as problem:
        if form is not None:
            form.add_error("password1", problem)
        else:
            messages.error(request, " ".join(problem.messages))
    except PermissionDenied as problem:
        messages.error(request, str(problem))
    return None
