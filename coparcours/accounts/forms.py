from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from coparcours.accounts.models import APIToken, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
        error_messages={
            "required": "Saisissez votre adresse électronique.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.",
        },
    )

    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Après plusieurs essais "
            "infructueux, le compte est bloqué temporairement."
        ),
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = "Saisissez votre mot de passe."


class OTPTokenForm(forms.Form):
    """A six-digit code checked against one authenticator (RFC 6238 TOTP).

    django-otp throttles a device after a wrong code (each failure doubles the wait) and
    refuses a code already used, so a code cannot be guessed nor replayed.
    """

    token = forms.CharField(
        label="Code à 6 chiffres",
        error_messages={"required": "Saisissez le code affiché par votre application."},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )

    def __init__(self, *args, user: User, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if len(token) != 6 or not token.isdigit():
            raise ValidationError("Le code compte exactement 6 chiffres.")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                "Trop de codes incorrects : patientez quelques secondes avant de réessayer."
            )
        if verify_token(self.user, self.device.persistent_id, token) is None:
            raise ValidationError(
                "Code incorrect ou expiré : saisissez le code affiché maintenant."
            )
        return token


class APITokenForm(forms.ModelForm):
    class Meta:
        model = APIToken
        fields = ["name", "expires_at"]
        labels = {"name": "Nom du jeton (usage)", "expires_at": "Date d'expiration (facultative)"}
        error_messages = {
            "name": {"required": "Donnez un nom au jeton, par exemple le logiciel qui l'utilise."},
            "expires_at": {"invalid": "Saisissez une date et une heure valides."},
        }
        widgets = {
            "expires_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def clean_expires_at(self) -> datetime.datetime | None:
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= timezone.now():
            raise ValidationError("La date d'expiration doit être dans le futur.")
        return expires_at


class WorkPhoneForm(forms.ModelForm):
    """How the youths one accompanies reach one: a professional number, shown in their
    space."""

    class Meta:
        model = User
        fields = ["work_phone"]
        widgets = {"work_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}
