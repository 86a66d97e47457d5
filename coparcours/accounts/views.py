from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from coparcours.accounts.forms import APITokenForm, EmailAuthenticationForm, OTPTokenForm
from coparcours.accounts.models import APIToken
from coparcours.accounts.services import (
    confirm_device,
    confirmed_device,
    pending_device,
    requires_two_factor,
    revoke_token,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"oidc_enabled": settings.OIDC_ENABLED}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(reverse_lazy("home"))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator's code; users without one are sent to enrolment."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse_lazy('accounts:otp_setup')}?next={_safe_next(request)}")
    form = OTPTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _safe_next(request), "required": requires_two_factor(request.user)},
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator application (TOTP) by QR code or key, then confirm a code."""
    device = pending_device(request.user)
    form = OTPTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        confirm_device(device)
        otp_login(request, device)
        messages.success(request, "La double authentification est activée sur votre compte.")
        return redirect(_safe_next(request))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Code QR")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _safe_next(request),
        },
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke the user's personal API tokens."""
    form = APITokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
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


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(APIToken, pk=pk, user=request.user)
    revoke_token(token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:api_tokens")
