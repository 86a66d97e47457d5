from __future__ import annotations

from django import forms
from django.utils import timezone

from coparcours.cej.models import (
    DecisionKind,
    ExitOutcome,
    OutreachMethod,
    OverallAssessment,
    Registration,
)
from coparcours.cej.rules import Channel, TaxSituation
from coparcours.organisations.models import Consortium, Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutreachForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partenariat CEJ-JR", queryset=Consortium.objects.none(), empty_label=None
    )
    mission_locale = forms.ModelChoiceField(
        label="Mission locale",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="Laisser vide si le partenariat n'en compte qu'une.",
    )
    last_name = forms.CharField(label="Nom", max_length=150)
    first_names = forms.CharField(label="Prénoms", max_length=200)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DATE)
    identified_on = forms.DateField(label="Date du repérage", widget=DATE)
    spotted_where = forms.CharField(label="Lieu du repérage", max_length=200)
    spotted_by = forms.CharField(label="Partenaire qui a repéré le jeune", max_length=200)
    spotted_how = forms.ChoiceField(label="Mode de repérage", choices=OutreachMethod.choices)
    registration = forms.ChoiceField(
        label="Inscription à la mission locale (historique I-Milo)",
        choices=Registration.choices,
    )
    registered_on = forms.DateField(
        label="Date d'inscription", required=False, widget=DATE, help_text="Si elle est connue."
    )
    confirm_not_duplicate = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne, je crée le dossier.",
        required=False,
    )

    def __init__(self, *args, partnerships=None, missions_locales=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["mission_locale"].queryset = missions_locales
        self.fields["identified_on"].initial = timezone.localdate()


class ContactForm(forms.Form):
    occurred_on = forms.DateField(label="Date du contact", widget=DATE)
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices)
    answered = forms.BooleanField(label="Le jeune a répondu", required=False)
    intends_to_continue = forms.BooleanField(
        label="Le jeune a exprimé l'intention de poursuivre un parcours d'insertion",
        required=False,
    )


class ContactImportForm(forms.Form):
    file = forms.FileField(
        label="Extraction CSV des contacts",
        help_text=(
            "Colonnes : date (JJ/MM/AAAA ou AAAA-MM-JJ) ; canal (appel, entretien, sms, "
            "courriel, courrier) ; reponse (oui/non) ; intention (oui/non). Séparateur « ; » "
            "ou « , ». Le fichier entier est vérifié avant tout enregistrement."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 1 Mo.")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("Encodage du fichier non reconnu (UTF-8 attendu).")


class AssessmentForm(forms.Form):
    assessment = forms.ChoiceField(label="Appréciation globale", choices=OverallAssessment.choices)
    justification = forms.CharField(
        label="Justification",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Au-delà du seul critère de délai : situation, ruptures, besoins.",
    )


class MeetingForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partenariat CEJ-JR", queryset=Consortium.objects.none(), empty_label=None
    )
    date = forms.DateField(label="Date du comité", widget=DATE)
    participants = forms.CharField(label="Participants", max_length=500, required=False)

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["date"].initial = timezone.localdate()


class DecisionForm(forms.Form):
    pathway = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Décision", choices=DecisionKind.choices)
    decided_by = forms.CharField(
        label="Décidée par", max_length=300, help_text="Noms et organisations des décideurs."
    )
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CollectForm(forms.Form):
    on = forms.DateField(label="Recueillie le", widget=DATE)
    document = forms.ModelChoiceField(
        label="Document du dossier", queryset=None, required=False, empty_label="(aucun)"
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["on"].initial = timezone.localdate()


class ContractForm(forms.Form):
    start = forms.DateField(label="Début du contrat", widget=DATE)
    months = forms.IntegerField(label="Durée prévue (mois)", min_value=1, max_value=24)
    tax_situation = forms.ChoiceField(
        label="Situation fiscale du foyer", choices=TaxSituation.choices
    )


class ExitForm(forms.Form):
    on = forms.DateField(label="Date de sortie", widget=DATE)
    outcome = forms.ChoiceField(label="Issue", choices=ExitOutcome.choices)
