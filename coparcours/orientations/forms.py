"""The public orientation form, and the porteur's or the coordination's acts on an
orientation (docs/bad-input.md)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from coparcours.cej.models.pathway import Registration
from coparcours.core.phones import validate_phone
from coparcours.organisations.models import Organisation
from coparcours.orientations.models import CLOSED, AgreementMethod, OrientationStatus
from coparcours.youths.forms import not_duplicate_confirmation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: The honeypot's name: a field people never see, that robots fill.
HONEYPOT = "site_web"


class OrientationForm(forms.Form):
    """What a partner without an account says of the youth it orients."""

    partner_structure = forms.CharField(label="Votre structure", max_length=200)
    partner_name = forms.CharField(label="Vos nom et prénom", max_length=200)
    partner_email = forms.EmailField(
        label="Votre courriel",
        help_text="Vous y recevrez les suites données, sans détail sur le jeune.",
    )
    partner_phone = forms.CharField(
        label="Votre téléphone", max_length=30, required=False, validators=[validate_phone]
    )
    youth_first_names = forms.CharField(label="Prénom du jeune", max_length=200)
    youth_last_name = forms.CharField(label="Nom du jeune", max_length=150, required=False)
    youth_birth_date = forms.DateField(
        label="Date de naissance", required=False, widget=DATE, help_text="Ou son âge, ci-dessous."
    )
    youth_age = forms.IntegerField(label="Âge", min_value=14, max_value=30, required=False)
    youth_commune = forms.CharField(label="Commune où il ou elle vit", max_length=200)
    youth_contact = forms.CharField(
        label="Comment le ou la joindre",
        max_length=300,
        help_text="Téléphone, lieu et moment où le rencontrer, personne relais…",
    )
    situation = forms.CharField(
        label="Ce que vous savez de sa situation",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce qui aide à le ou la contacter et à préparer le premier échange.",
    )
    agreement = forms.BooleanField(
        label="Le jeune est d'accord pour être contacté par le partenariat.",
        error_messages={
            "required": "L'accord du jeune est obligatoire : sans lui, ne l'orientez pas ici."
        },
    )
    agreement_method = forms.ChoiceField(
        label="Comment il ou elle a donné son accord",
        choices=[("", "Sélectionner…"), *AgreementMethod.choices],
        error_messages={"required": "Indiquez comment le jeune a donné son accord."},
    )
    jeton = forms.CharField(widget=forms.HiddenInput, required=False)
    site_web = forms.CharField(
        label="Site web (ne pas remplir)",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_youth_birth_date(self) -> datetime.date | None:
        born = self.cleaned_data.get("youth_birth_date")
        if born and born >= timezone.localdate():
            raise ValidationError("La date de naissance doit être passée.")
        return born

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("youth_birth_date") and data.get("youth_age") is None:
            self.add_error("youth_age", "Indiquez la date de naissance du jeune ou son âge.")
        return data

    def orientation_fields(self) -> dict:
        """The orientation's fields, as the service records them."""
        data = self.cleaned_data
        names = [name for name in self.fields if name not in {"agreement", "jeton", HONEYPOT}]
        return {name: data[name] for name in names if data.get(name) is not None}


class TakeUpForm(forms.Form):
    """The porteur's take-up of an orientation: the youth's record, pre-filled."""

    last_name = forms.CharField(label="Nom", max_length=150)
    first_names = forms.CharField(label="Prénoms", max_length=200)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DATE)
    mission_locale = forms.ModelChoiceField(
        label="Mission locale", queryset=Organisation.objects.none(), empty_label="Sélectionner…"
    )
    registration = forms.ChoiceField(
        label="Inscription à la mission locale (historique I-Milo)", choices=Registration.choices
    )
    confirm_not_duplicate = not_duplicate_confirmation()

    def __init__(self, *args, missions_locales=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission_locale"].queryset = missions_locales


class OutcomeForm(forms.Form):
    """The orientation's outcome, told to the partner."""

    outcome = forms.ChoiceField(
        label="Issue",
        choices=[("", "Sélectionner…")]
        + [(status.value, status.label) for status in OrientationStatus if status in CLOSED],
        error_messages={"required": "Choisissez l'issue de l'orientation."},
    )
