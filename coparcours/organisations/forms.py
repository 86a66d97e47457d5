"""Forms of the organisation's team (an invitation, its acceptance) and of setting up a
consortium (the consortium, a member, a member's departure, its first person)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from coparcours.organisations.invitations import invitable_roles
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    Organisation,
    OrganisationKind,
    Role,
)
from coparcours.organisations.setup import FUNDER_KIND, MEMBER_KINDS


class InvitationForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="L'invitation y est envoyée ; elle servira à se connecter.",
    )
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role, Role(role).label) for role in invitable_roles(organisation)
        ]


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Le même mot de passe, à nouveau",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne sont pas les mêmes.")
        return cleaned


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsortiumForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ConsortiumKind.choices)
    name = forms.CharField(label="Nom", max_length=200, help_text="Par exemple : GME MNA Nord.")
    funder = forms.ModelChoiceField(
        label="Financeur",
        queryset=Organisation.objects.filter(kind__in=FUNDER_KIND.values()).order_by("name"),
        required=False,
        help_text="Le Département pour un GME, la DREETS pour un partenariat CEJ-JR.",
    )
    new_funder = forms.CharField(
        label="… ou un financeur pas encore dans Coparcours",
        max_length=200,
        required=False,
        help_text="Son nom, par exemple « Département du Pas-de-Calais ».",
    )
    new_funder_departement = forms.CharField(
        label="Son département (numéro)",
        max_length=3,
        required=False,
        help_text="Par exemple 62 ; pour une DREETS, le département de son siège.",
    )
    start_date = forms.DateField(label="Début", widget=DATE)
    renewal_date = forms.DateField(label="Renouvellement", widget=DATE, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if bool(cleaned.get("funder")) == bool(cleaned.get("new_funder")):
            self.add_error("funder", "Choisissez un financeur, ou nommez-en un nouveau.")
        return cleaned


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation déjà dans Coparcours",
        queryset=Organisation.objects.none(),
        required=False,
    )
    name = forms.CharField(label="… ou nouvelle organisation : nom", max_length=200, required=False)
    kind = forms.ChoiceField(
        label="Type de la nouvelle organisation",
        choices=[
            (OrganisationKind.ASSOCIATION, OrganisationKind.ASSOCIATION.label),
            (OrganisationKind.MISSION_LOCALE, OrganisationKind.MISSION_LOCALE.label),
        ],
        required=False,
    )
    city = forms.CharField(label="Commune", max_length=100, required=False)
    departement_code = forms.CharField(label="Département (numéro)", max_length=3, required=False)
    joined_on = forms.DateField(label="Entrée dans le groupement", widget=DATE)

    def __init__(self, *args: Any, consortium: Consortium, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(kind__in=MEMBER_KINDS[consortium.kind])
            .exclude(consortium_memberships__consortium=consortium)
            .order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if bool(cleaned.get("organisation")) == bool(cleaned.get("name")):
            self.add_error(
                "organisation", "Choisissez une organisation, ou nommez-en une nouvelle."
            )
        elif cleaned.get("name") and not cleaned.get("kind"):
            self.add_error("kind", "Donnez le type de la nouvelle organisation.")
        return cleaned


class MemberEndForm(forms.Form):
    left_on = forms.DateField(label="Sortie le", widget=DATE)


class FirstPersonForm(InvitationForm):
    """The first person of an organisation the lead brought in (its director, coordinator
    or, for the funder, a reader of the figures)."""

    FIRST_ROLES = (Role.DIRECTOR, Role.COORDINATOR, Role.FUNDER_VIEWER)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["role"].choices = [
            (role, label) for role, label in self.fields["role"].choices if role in self.FIRST_ROLES
        ]
