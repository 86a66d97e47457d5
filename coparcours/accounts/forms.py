from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from coparcours.accounts.models import APIToken


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Après plusieurs essais "
            "infructueux, le compte est bloqué temporairement."
        ),
        "inactive": "Ce compte est désactivé.",
    }


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label="Code à 6 chiffres",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise ValidationError("Le code ne contient que des chiffres.")
        if self.device is None or not self.device.verify_token(token):
            raise ValidationError(
                "Code incorrect ou expiré : saisissez le code affiché maintenant."
            )
        return token


class APITokenForm(forms.ModelForm):
    class Meta:
        model = APIToken
        fields = ["name", "expires_at"]
        labels = {"name": "Nom du jeton (usage)", "expires_at": "Date d'expiration (facultative)"}
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
