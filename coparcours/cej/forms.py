from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.models.committee import DecisionKind
from coparcours.cej.models.eligibility import OverallAssessment
from coparcours.cej.models.hours import ActivityKind
from coparcours.cej.models.interviews import InterviewKind
from coparcours.cej.models.partnership import PartnershipSettings
from coparcours.cej.models.pathway import ExitOutcome, OutreachMethod, Registration
from coparcours.cej.models.plan import ActionStatus, Dimension, PartnerSide
from coparcours.cej.models.reviews import Rater
from coparcours.cej.models.sessions import SessionKind
from coparcours.cej.rules import RATING_DESCRIPTORS, Channel, TaxSituation
from coparcours.core.access import Category
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.forms import not_duplicate_confirmation

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
    confirm_not_duplicate = not_duplicate_confirmation()

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


class ContractExtensionForm(forms.Form):
    months = forms.IntegerField(label="Prolongation (mois)", min_value=1, max_value=12)
    reason = forms.CharField(
        label="Motif",
        max_length=300,
        help_text="Une prolongation est exceptionnelle et justifiée (R.5131-16 II) : "
        "formation en cours, démarche à terminer…",
    )
    decided_on = forms.DateField(label="Décidée le", widget=DATE, initial=timezone.localdate)


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


# --- Co-accompaniment ------------------------------------------------------------------


class CharterForm(forms.Form):
    """One "who" and one "what" per dimension of the partnership's charter."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            label = line.get_dimension_display()
            self.fields[f"lead_{line.dimension}"] = forms.ChoiceField(
                label=f"{label} : qui", choices=PartnerSide.choices, initial=line.lead
            )
            self.fields[f"what_{line.dimension}"] = forms.CharField(
                label=f"{label} : ce que fait chacun",
                max_length=500,
                required=False,
                initial=line.what,
            )

    def lines(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            name.removeprefix("lead_"): (data[name], data[f"what_{name.removeprefix('lead_')}"])
            for name in data
            if name.startswith("lead_")
        }


class PlanForm(forms.Form):
    diagnosis_on = forms.DateField(label="Diagnostic partagé le", widget=DATE)
    diagnosis = forms.CharField(
        label="Diagnostic partagé",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Situation, ressources, besoins, ce que le jeune souhaite.",
    )


class PlanActionForm(forms.Form):
    dimension = forms.ChoiceField(label="Dimension", choices=Dimension.choices)
    objective = forms.CharField(label="Objectif", max_length=300)
    action = forms.CharField(label="Action", max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label="Organisation responsable", queryset=Organisation.objects.none(), empty_label=None
    )
    owner = forms.ModelChoiceField(label="Personne responsable", queryset=None, empty_label=None)
    due_on = forms.DateField(label="Échéance", widget=DATE)

    def __init__(self, *args, organisations=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.email}"
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="État", choices=ActionStatus.choices)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="Type d'activité", choices=ActivityKind.choices)
    title = forms.CharField(label="Intitulé", max_length=200)
    starts_at = forms.DateTimeField(
        label="Début",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", help_text="Entre 1 minute et 24 heures (1440 minutes)."
    )
    responsible = forms.ModelChoiceField(
        label="Organisation responsable", queryset=Organisation.objects.none(), empty_label=None
    )
    attended = forms.TypedChoiceField(
        label="Présence",
        choices=[("", "À venir / non notée"), ("1", "Présent·e"), ("0", "Absent·e")],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organisations


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label="Présence",
        choices=[("1", "Présent·e"), ("0", "Absent·e")],
        coerce=lambda value: value == "1",
    )


class CounsellorForm(forms.Form):
    counsellor = forms.ModelChoiceField(
        label="Conseiller·ère de la mission locale", queryset=None, required=False
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = people


def last_finished_monday() -> datetime.date:
    """The Monday of the last week over (the Monday follow-up's default)."""
    return rules.week_start(timezone.localdate()) - datetime.timedelta(days=7)


class FollowUpForm(forms.Form):
    week = forms.DateField(
        label="Semaine",
        widget=DATE,
        initial=last_finished_monday,
        help_text="Un jour d'une semaine terminée : le suivi porte sur cette semaine, "
        "du lundi au dimanche.",
    )

    def clean_week(self) -> datetime.date:
        """Any day of the week stands for its Monday."""
        return rules.week_start(self.cleaned_data["week"])


class RatingForm(forms.Form):
    """The 1–4 scale, with its descriptors, for each dimension the user may write."""

    rater = forms.ChoiceField(label="Qui note", choices=Rater.choices)

    def __init__(self, *args, dimensions=(), raters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rater"].choices = [(r, Rater(r).label) for r in raters]
        scale = [("", "—")] + [(str(k), f"{k} — {v}") for k, v in RATING_DESCRIPTORS.items()]
        for dimension in dimensions:
            self.fields[f"score_{dimension}"] = forms.TypedChoiceField(
                label=Dimension(dimension).label,
                choices=scale,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def scores(self) -> dict[str, int]:
        return {
            name.removeprefix("score_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_") and value is not None
        }


class ReviewCloseForm(forms.Form):
    held_on = forms.DateField(label="Bilan tenu le", widget=DATE)
    next_steps = forms.CharField(
        label="Plan d'action concerté pour la suite", widget=forms.Textarea(attrs={"rows": 4})
    )


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=InterviewKind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE)
    category = forms.ChoiceField(
        label="Catégorie",
        choices=Category.choices,
        initial=Category.NOTES,
        help_text="Elle décide qui peut lire la note (secret professionnel).",
    )
    title = forms.CharField(label="Titre", max_length=200)
    text = forms.CharField(label="Contenu", widget=forms.Textarea(attrs={"rows": 6}))


class PartnershipSettingsForm(forms.ModelForm):
    class Meta:
        model = PartnershipSettings
        fields = ["departement_code", "minimum_weekly_hours", "committee_weekday"]
        labels = {"departement_code": "Département (numéro)"}


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partenariat CEJ-JR", queryset=Consortium.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label="Type de séance", choices=SessionKind.choices)
    title = forms.CharField(
        label="Intitulé", max_length=200, help_text="Sans nom de jeune : le programme est partagé."
    )
    organiser = forms.ModelChoiceField(
        label="Organisée par", queryset=Organisation.objects.none(), empty_label="Sélectionner…"
    )
    organiser_partner = forms.CharField(
        label="Structure partenaire qui anime (facultatif)", max_length=200, required=False
    )
    place = forms.CharField(label="Lieu", max_length=200)
    starts_at = forms.DateTimeField(label="Début", widget=DATETIME)
    ends_at = forms.DateTimeField(label="Fin", widget=DATETIME)
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=500)

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["organiser"].queryset = Organisation.objects.filter(
            consortium_memberships__consortium__in=partnerships
        ).distinct()

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "La fin de la séance doit suivre son début.")
        return data


class RegistrationForm(forms.Form):
    pathway = forms.ModelChoiceField(
        label="Jeune à inscrire", queryset=None, empty_label="Sélectionner…"
    )

    def __init__(self, *args, pathways=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = pathways
        self.fields["pathway"].label_from_instance = lambda pathway: str(pathway.youth)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=300,
        help_text="Lu par tous les membres du partenariat et dans l'agenda publié : sans nom "
        "de jeune.",
    )


class PermanenceForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partenariat CEJ-JR", queryset=Consortium.objects.none(), empty_label=None
    )
    counsellor = forms.ModelChoiceField(
        label="Conseiller·ère présent·e", queryset=None, empty_label="Sélectionner…"
    )
    place = forms.CharField(label="Lieu", max_length=200)
    starts_at = forms.DateTimeField(label="Début", widget=DATETIME)
    ends_at = forms.DateTimeField(label="Fin", widget=DATETIME)
    slot_minutes = forms.IntegerField(
        label="Durée d'un créneau (minutes)", min_value=10, max_value=240, initial=30
    )

    def __init__(self, *args, partnerships=None, counsellors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["counsellor"].queryset = counsellors
        self.fields["counsellor"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "La fin de la permanence doit suivre son début.")
        return data


class BookingForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    pathway = forms.ModelChoiceField(label="Jeune", queryset=None, empty_label="Sélectionner…")

    def __init__(self, *args, pathways=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = pathways
        self.fields["pathway"].label_from_instance = lambda pathway: str(pathway.youth)
