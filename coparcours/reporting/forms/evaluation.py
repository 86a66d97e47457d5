"""Forms of the evaluation campaigns."""

from __future__ import annotations

from django import forms

from coparcours.reporting.forms.dashboards import DATE
from coparcours.reporting.models import CampaignKind


class CampaignForm(forms.Form):
    consortium = forms.ModelChoiceField(label="Groupement", queryset=None)
    kind = forms.ChoiceField(label="Type", choices=CampaignKind.choices)
    title = forms.CharField(label="Intitulé", max_length=200)
    due_on = forms.DateField(label="Auto-évaluations attendues le", widget=DATE)
    criteria = forms.CharField(
        label="Grille de critères (un par ligne)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, consortia, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consortium"].queryset = consortia
        self.fields["consortium"].empty_label = None


class ScoreForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Membre", queryset=None)
    criterion = forms.ModelChoiceField(label="Critère", queryset=None)
    score = forms.TypedChoiceField(
        label="Note", coerce=int, choices=[(n, str(n)) for n in range(1, 5)]
    )
    evidence = forms.CharField(label="Éléments de preuve", widget=forms.Textarea)
    comment = forms.CharField(label="Commentaire", widget=forms.Textarea, required=False)

    def __init__(self, *args, organisations, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["criterion"].queryset = criteria
        self.fields["organisation"].empty_label = None


class ActionForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Membre", queryset=None)
    action = forms.CharField(label="Action d'amélioration", max_length=300)
    owner = forms.CharField(label="Pilote", max_length=200)
    due_on = forms.DateField(label="Échéance", widget=DATE)

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
