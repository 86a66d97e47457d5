from __future__ import annotations

from decimal import Decimal

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


class MissedActionForm(forms.Form):
    occurred_on = forms.DateField(label="Date du manquement", widget=DATE)
    description = forms.CharField(
        label="Action manquée",
        max_length=300,
        help_text="Sans motif légitime (R.5131-17) : rendez-vous, atelier, démarche…",
    )


class SanctionDecisionForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label="Décision de la mission locale",
        choices=[("1", "Confirmer la sanction proposée"), ("0", "Abandonner la sanction")],
        coerce=lambda value: value == "1",
    )
    youth_observations = forms.CharField(
        label="Observations du jeune",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Le jeune doit avoir pu présenter ses observations avant toute sanction.",
    )
    decided_on = forms.DateField(label="Décidée le", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class PaceaRequestForm(forms.Form):
    requested_on = forms.DateField(label="Demandée le", widget=DATE)
    requested_by = forms.CharField(
        label="Demandée par", max_length=200, help_text="Nom et organisation."
    )
    amount = forms.DecimalField(
        label="Montant (€)", max_digits=7, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()


class PaceaDecisionForm(forms.Form):
    granted = forms.TypedChoiceField(
        label="Décision",
        choices=[("1", "Accordée"), ("0", "Refusée")],
        coerce=lambda value: value == "1",
    )
    decided_on = forms.DateField(label="Décidée le", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
