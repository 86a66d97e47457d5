"""Forms of the GME housing pages: requests, proposals, stays, sites, capacity, waves, loans,
and the road to 18 (schooling, permit preparation, preparation interview)."""

from __future__ import annotations

from django import forms

from coparcours.core.forms import LastDayField
from coparcours.housing.models import CapacityChange, PlacementRequest, Site, SiteLoan, Wave
from coparcours.housing.models.incidents import IncidentKind
from coparcours.housing.models.majority import MajorityDecision
from coparcours.housing.models.road18 import Attendance, SchoolingKind
from coparcours.housing.models.stays import ExitReason, TransferReason
from coparcours.housing.services.sites import SITE_FIELDS
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models.records import Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "---------")]  # shown « Sélectionner… »


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
    end_date = LastDayField(label="Jusqu'au", required=False, widget=DATE)
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


class SiteForm(forms.ModelForm):
    """A member's site; on creation, the GME and the member among those the user manages."""

    consortium = forms.ModelChoiceField(label="Groupement", queryset=Consortium.objects.none())
    organisation = forms.ModelChoiceField(
        label="Membre gestionnaire", queryset=Organisation.objects.none()
    )

    class Meta:
        model = Site
        fields = ["consortium", "organisation", *SITE_FIELDS]

    def __init__(self, *args, consortia=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["consortium"]
            del self.fields["organisation"]
        else:
            self.fields["consortium"].queryset = consortia
            self.fields["organisation"].queryset = organisations

    def _post_clean(self) -> None:
        """Model validation is the service's job (French messages, nothing saved)."""


class CapacityChangeForm(forms.ModelForm):
    class Meta:
        model = CapacityChange
        fields = ["wave", "places", "planned_on", "opened_on"]
        widgets = {"planned_on": DATE, "opened_on": DATE}
        help_texts = {
            "places": "Places ouvertes (nombre positif) ou fermées (nombre négatif).",
            "opened_on": "Laissez vide tant que les places ne sont pas réellement ouvertes.",
        }

    def __init__(self, *args, waves=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = waves if waves is not None else Wave.objects.none()

    def _post_clean(self) -> None:
        """Validated by the service, with the capacity of the whole site."""


class WaveForm(forms.ModelForm):
    class Meta:
        model = Wave
        fields = ["name", "decided_on", "planned_places", "planned_start", "planned_end"]
        widgets = {"decided_on": DATE, "planned_start": DATE, "planned_end": DATE}

    def _post_clean(self) -> None:
        """Validated by the service."""


class SiteLoanForm(forms.ModelForm):
    end_date = LastDayField(label="Jusqu'au", required=False, widget=DATE)

    class Meta:
        model = SiteLoan
        fields = [
            "site",
            "borrower",
            "convention_reference",
            "signed_on",
            "start_date",
            "end_date",
        ]
        widgets = {"signed_on": DATE, "start_date": DATE}

    def __init__(self, *args, sites=None, borrowers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites if sites is not None else Site.objects.none()
        self.fields["borrower"].queryset = (
            borrowers if borrowers is not None else Organisation.objects.none()
        )

    def _post_clean(self) -> None:
        """Validated by the service (``SiteLoan.clean``)."""


class IncidentForm(forms.Form):
    """A serious incident's report (CASF L.331-8-1): what the authority receives, then the
    details kept in their categories. ``site`` only when reported for a site, not a stay."""

    site = forms.ModelChoiceField(label="Site", queryset=Site.objects.none())
    kind = forms.ChoiceField(
        label="Nature de l'événement", choices=[("", "Sélectionner…"), *IncidentKind.choices]
    )
    occurred_on = forms.DateField(label="Survenu le", widget=DATE)
    occurred_time = forms.TimeField(
        label="À (heure)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    declared_on = forms.DateField(
        label="Déclarée aux forces de l'ordre le",
        required=False,
        widget=DATE,
        help_text="Pour une fugue : le jour où la police ou la gendarmerie a été alertée.",
    )
    facts = forms.CharField(
        label="Faits",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sans nom ni détail de santé ou de justice : ceux-ci ont leurs champs.",
    )
    measures = forms.CharField(label="Mesures prises", widget=forms.Textarea(attrs={"rows": 3}))
    informed = forms.CharField(
        label="Personnes et autorités déjà informées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    health_details = forms.CharField(
        label="Détails de santé",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Lus seulement par qui a accès à la santé du jeune ; jamais transmis.",
    )
    justice_details = forms.CharField(
        label="Détails de justice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Lus seulement par qui a accès à la justice du jeune ; jamais transmis.",
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is None:
            del self.fields["site"]
            self.fields["kind"].initial = IncidentKind.RUNAWAY
        else:
            self.fields["site"].queryset = sites
            for name in ("health_details", "justice_details"):
                del self.fields[name]


class IncidentReturnForm(forms.Form):
    returned_on = forms.DateField(label="Revenu le", widget=DATE)


class IncidentYouthForm(forms.Form):
    stay = forms.ModelChoiceField(
        label="Jeune concerné", queryset=None, empty_label="Sélectionner…"
    )
    health_details = IncidentForm.base_fields["health_details"]
    justice_details = IncidentForm.base_fields["justice_details"]

    def __init__(self, *args, stays=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stay"].queryset = stays
        self.fields["stay"].label_from_instance = lambda stay: str(stay.youth)


class IncidentMeasureForm(forms.Form):
    text = forms.CharField(
        label="Mesure prise ou suite donnée",
        help_text="Le Département la lit avec l'information de l'autorité : sans nom de jeune, "
        "ni détail de santé ou de justice.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class IncidentCloseForm(forms.Form):
    closing_note = forms.CharField(
        label="Comment le suivi se termine", widget=forms.Textarea(attrs={"rows": 3})
    )


class SchoolingForm(forms.Form):
    establishment = forms.CharField(
        label="Établissement",
        max_length=200,
        help_text="Collège, lycée, CFA, organisme de formation.",
    )
    kind = forms.ChoiceField(label="Type", choices=BLANK + SchoolingKind.choices)
    level = forms.CharField(label="Classe ou niveau", max_length=100)
    start_date = forms.DateField(label="Depuis le", widget=DATE)
    end_date = LastDayField(required=False, widget=DATE)
    attendance = forms.ChoiceField(label="Assiduité", choices=BLANK + Attendance.choices)
    attendance_on = forms.DateField(label="Assiduité constatée le", widget=DATE)
    employer = forms.CharField(label="Employeur (apprentissage)", max_length=200, required=False)
    contract_start = forms.DateField(
        label="Contrat d'apprentissage du", required=False, widget=DATE
    )
    contract_end = LastDayField(label="Contrat jusqu'au (inclus)", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SchoolingKind.APPRENTICESHIP and not data.get("employer"):
            self.add_error("employer", "Un apprentissage se fait chez un employeur : indiquez-le.")
        return data


class PermitStartForm(forms.Form):
    entrusted_on = forms.DateField(
        label="Confié·e à l'ASE le",
        widget=DATE,
        help_text="Premier placement à l'ASE : il décide de la voie (avant ou après 16 ans).",
    )


class FilingForm(forms.Form):
    filed_on = forms.DateField(label="Demande déposée le", widget=DATE)


class PermitPiecesForm(forms.Form):
    pieces = forms.MultipleChoiceField(
        label="Pièces réunies", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pieces"].choices = [(str(kind.pk), kind.label) for kind in kinds]


class InterviewForm(forms.Form):
    held_on = forms.DateField(label="Tenu le", widget=DATE)
    participants = forms.CharField(
        label="Avec", max_length=300, help_text="Le jeune, son référent, l'ASE, le tuteur…"
    )
    outcome = forms.CharField(
        label="Ce qui en ressort", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
