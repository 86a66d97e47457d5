from __future__ import annotations

from django import forms

from coparcours.core.access import Category, Relation, ShareBasis
from coparcours.core.forms import LastDayField
from coparcours.organisations.models import Organisation
from coparcours.youths import stages
from coparcours.youths.models import Assignment, Consent, Youth
from coparcours.youths.models.consents import ConsentGiver, ConsentMethod
from coparcours.youths.models.records import FIELD_CATEGORIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def not_duplicate_confirmation() -> forms.BooleanField:
    """The box a form that opens a record shows once the duplicate check found someone
    (``youths.views.duplicates``)."""
    return forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne, je crée le dossier.",
        required=False,
    )


class YouthCreateForm(forms.ModelForm):
    confirm_not_duplicate = not_duplicate_confirmation()

    class Meta:
        model = Youth
        fields = [
            *FIELD_CATEGORIES[Category.IDENTITY],
            *FIELD_CATEGORIES[Category.CONTACT],
            *FIELD_CATEGORIES[Category.JUSTICE],
        ]
        widgets = {
            "birth_date": DATE,
            "age_assessment_date": DATE,
            "placement_order_start": DATE,
            "placement_order_end": DATE,
        }


def category_form_class(category: str) -> type[forms.ModelForm]:
    """A form editing exactly the record's fields of one category."""
    names = FIELD_CATEGORIES[category]
    return forms.modelform_factory(
        Youth,
        fields=names,
        widgets={name: DATE for name in names if name.endswith(("_date", "_start", "_end"))},
    )


class NoteForm(forms.Form):
    category = forms.ChoiceField(label="Catégorie", choices=Category.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE)
    title = forms.CharField(label="Titre", max_length=200)
    text = forms.CharField(
        label="Contenu", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class DocumentForm(forms.Form):
    category = forms.ChoiceField(label="Catégorie", choices=Category.choices)
    title = forms.CharField(label="Intitulé", max_length=200)
    file = forms.FileField(label="Fichier", help_text="PDF, JPEG, PNG ou WebP ; 10 Mo au plus.")


class AssignmentForm(forms.ModelForm):
    relation = forms.ChoiceField(
        label="Nature",
        choices=[(r.value, r.label) for r in Relation if r != Relation.OWNER],
        initial=Relation.CO_ACCOMPANIMENT,
    )
    end_date = LastDayField(required=False, help_text="Laissez vide si la fin n'est pas prévue.")

    class Meta:
        model = Assignment
        fields = ["organisation", "relation", "role", "start_date", "end_date"]
        widgets = {"start_date": DATE}

    def __init__(self, *args, exclude_organisation_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            pk=exclude_organisation_id
        )


class ConsentForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label="Informations partagées",
        choices=[(c.value, c.label) for c in Category if c != Category.IDENTITY],
        widget=forms.CheckboxSelectMultiple,
    )
    basis = forms.ChoiceField(label="Fondement", choices=ShareBasis.choices)
    given_by = forms.ChoiceField(label="Accord donné par", choices=ConsentGiver.choices)
    method = forms.ChoiceField(
        label="Recueilli par",
        choices=[(m.value, m.label) for m in ConsentMethod],
    )
    signed_form_file = forms.FileField(
        label="Formulaire signé (scan)", required=False, help_text="PDF ou image ; 10 Mo au plus."
    )
    end_date = LastDayField(
        required=False, help_text="Laissez vide pour un partage sans fin fixée."
    )

    class Meta:
        model = Consent
        fields = [
            "organisation",
            "categories",
            "purpose",
            "basis",
            "given_by",
            "method",
            "witness",
            "prior_information_on",
            "start_date",
            "end_date",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "prior_information_on": DATE,
            "start_date": DATE,
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class EndForm(forms.Form):
    end_date = LastDayField(label="Dernier jour du co-accompagnement")


class CaseloadFilterForm(forms.Form):
    vue = forms.ChoiceField(
        label="Afficher",
        required=False,
        choices=[
            ("mine", "Mes jeunes"),
            ("organisation", "Mon organisation"),
            ("shared", "Partagés avec nous"),
            ("all", "Tous"),
        ],
        widget=forms.RadioSelect,
    )
    q = forms.CharField(label="Rechercher un nom", required=False, max_length=100)
    referent = forms.ModelChoiceField(
        label="Référent·e", required=False, queryset=None, empty_label="Tous"
    )
    organisation = forms.ModelChoiceField(
        label="Organisation référente", required=False, queryset=None, empty_label="Toutes"
    )
    stage = forms.ChoiceField(label="Étape", required=False)

    def __init__(self, *args, referents=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents
        self.fields["organisation"].queryset = organisations
        self.fields["stage"].choices = stages.choices()
