from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from coparcours.accounts.forms import (
    APITokenForm,
    EmailAuthenticationForm,
    OTPTokenForm,
    WorkPhoneForm,
)
from coparcours.accounts.models import APIToken
from coparcours.accounts.services import (
    confirm_device,
    confirmed_device,
    pending_device,
    reset_lockout,
    revoke_token,
)
from coparcours.core.access.routes import signed_in
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as in Django) and say so on the login page."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Vous êtes déconnecté·e.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set the new password; the account's lockout is lifted, as the lockout page promises."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        reset_lockout(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (the current one asked first); the session stays open."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est changé.")
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _with_next(view_name: str, next_url: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': next_url})}"


@signed_in
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator's code; users without one are sent to enrolment."""
    next_url = _safe_next(request)
    if request.user.is_verified():
        return redirect(next_url)
    device = confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("accounts:otp_setup", next_url))
    data = request.POST if request.method == "POST" else None
    form = OTPTokenForm(data, user=request.user, device=device)
    if form.is_valid():
        otp_login(request, device)
        return redirect(next_url)
    if form.is_bound:
        record(
            request.user, AuditEvent.LOGIN_FAILED, reason="Code de double authentification refusé."
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@signed_in
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator application (TOTP) by QR code or key, then confirm a code.

    Whoever already has an authenticator must verify the session with it first:
    otherwise a password alone would be enough to replace the second factor.
    """
    next_url = _safe_next(request)
    current = confirmed_device(request.user)
    if current is not None and not request.user.is_verified():
        return redirect(_with_next("accounts:otp_verify", next_url))
    device = pending_device(request.user)
    data = request.POST if request.method == "POST" else None
    form = OTPTokenForm(data, user=request.user, device=device)
    if form.is_valid():
        confirm_device(device)
        otp_login(request, device)
        messages.success(request, "La double authentification est activée sur votre compte.")
        return redirect(next_url)
    # Inline SVG drawn with presentation attributes only: no style, so the CSP holds.
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, light="#fff", title="Code QR à scanner"
    )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": b32encode(device.bin_key).decode(),
            "replacing": current is not None,
            "next": next_url,
        },
    )


@signed_in
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List and create the user's personal API tokens; a new token is shown only once."""
    form = APITokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if form.is_valid():
        _token, new_token = APIToken.issue(
            request.user, form.cleaned_data["name"], form.cleaned_data["expires_at"]
        )
        form = APITokenForm()
    tokens = APIToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@signed_in
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (anyone else's is a 404)."""
    token = get_object_or_404(APIToken, pk=pk, user=request.user)
    revoke_token(token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:api_tokens")


@signed_in
def work_phone(request: HttpRequest) -> HttpResponse:
    """The user's professional number, which the youths they accompany see in their space."""
    form = WorkPhoneForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            "Votre numéro est enregistré : les jeunes que vous accompagnez le voient dans "
            "leur espace."
            if request.user.work_phone
            else "Votre numéro est retiré : les jeunes voient celui de l'accueil de votre "
            "organisation.",
        )
        return redirect("accounts:work_phone")
    return render(request, "accounts/work_phone.html", {"form": form})
