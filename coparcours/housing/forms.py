from __future__ import annotations

from django import forms

from coparcours.housing.models import (
    ExitReason,
    MajorityDecision,
    PlacementRequest,
    Site,
    TransferReason,
)
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestForm(forms.ModelForm):
    class Meta:
        model = PlacementRequest
        fields = [
            "reference",
            "last_name",
            "first_names",
            "birth_date",
            "age",
            "sex",
            "needs",
            "urgency",
            "requested_date",
        ]
        widgets = {
            "birth_date": DATE,
            "requested_date": DATE,
            "needs": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "last_name": "Laissez vide pour une demande sous pseudonyme.",
            "age": "Si la date de naissance est inconnue.",
            "needs": "Scolarité, langue, besoins d'accompagnement ; pas de donnée de santé.",
        }


class AvailabilityForm(forms.Form):
    start = forms.DateField(label="Date d'entrée", widget=DATE)
    age = forms.IntegerField(label="Âge", min_value=0, max_value=21)
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices)


class ProposalForm(forms.Form):
    site = forms.ModelChoiceField(label="Site proposé", queryset=Site.objects.none())
    entry_date = forms.DateField(label="Date d'entrée prévue", widget=DATE)

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites if sites is not None else Site.objects.none()


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Motif du refus", widget=forms.Textarea(attrs={"rows": 3})
    )


class AdmitForm(forms.Form):
    entry_date = forms.DateField(label="Date d'arrivée", widget=DATE)


class TransferForm(forms.Form):
    to_site = forms.ModelChoiceField(label="Nouveau site", queryset=Site.objects.none())
    on = forms.DateField(label="Date de la réorientation", widget=DATE)
    reason = forms.ChoiceField(label="Motif", choices=TransferReason.choices)
    details = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_site"].queryset = sites if sites is not None else Site.objects.none()


class ExitForm(forms.Form):
    on = forms.DateField(label="Date de sortie", widget=DATE)
    reason = forms.ChoiceField(
        label="Motif de sortie",
        choices=[(v, label) for v, label in ExitReason.choices if v != ExitReason.TRANSFER],
    )
    details = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AfterEighteenForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=MajorityDecision.choices)
    start_date = forms.DateField(label="À partir du", widget=DATE)
    end_date = forms.DateField(label="Jusqu'au (exclu)", required=False, widget=DATE)
    funder_agreement_on = forms.DateField(
        label="Accord du Département le",
        required=False,
        widget=DATE,
        help_text="Obligatoire pour un contrat jeune majeur.",
    )


class CoAccompanimentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Association co-accompagnante", queryset=Organisation.objects.none()
    )
    role = forms.CharField(label="Rôle auprès du jeune", max_length=200)
    start = forms.DateField(label="À partir du", widget=DATE)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
