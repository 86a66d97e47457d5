"""Forms of the shared guides and partner meetings (French labels; rules stay in the
``guides`` and ``meetings`` modules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from coparcours.accounts.models import User
from coparcours.directory.forms.library import ReachFields
from coparcours.directory.meetings import NO_YOUTH_DATA
from coparcours.directory.models import (
    AttendanceStatus,
    DecisionStatus,
    GuideKind,
    LibraryPublisher,
    MeetingKind,
)
from coparcours.organisations.models import Consortium, Membership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


def _people(memberships: QuerySet[Membership]) -> QuerySet[User]:
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by(
        "last_name", "first_name"
    )


class GuideForm(ReachFields):
    field_order = ["consortium", "kind", "title", "owner", "review_on", "body", "file"]

    consortium = forms.ModelChoiceField(
        label="Groupement ou partenariat", queryset=Consortium.objects.none()
    )
    kind = forms.ChoiceField(label="Type", choices=GuideKind.choices)
    title = forms.CharField(label="Titre", max_length=200)
    owner = PersonChoice(label="Responsable", queryset=User.objects.none())
    review_on = forms.DateField(label="À relire le", widget=DATE)
    body = forms.CharField(
        label="Texte de la page",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Une page à lire dans Coparcours, ou un fichier, ou les deux.",
    )
    file = forms.FileField(label="Fichier", required=False, help_text="PDF, DOCX ou ODT ; 10 Mo.")

    def __init__(
        self,
        *args: Any,
        consortia: QuerySet[Consortium],
        owners: QuerySet[Membership],
        designations: list[LibraryPublisher],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, designations=designations, **kwargs)
        self.fields["consortium"].queryset = consortia
        self.fields["owner"].queryset = _people(owners)


class VersionForm(forms.Form):
    change_note = forms.CharField(label="Ce qui change", max_length=300)
    body = forms.CharField(
        label="Texte de la page", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(label="Fichier", required=False, help_text="PDF, DOCX ou ODT ; 10 Mo.")
    review_on = forms.DateField(label="Prochaine relecture le", widget=DATE)
    owner = PersonChoice(label="Responsable", queryset=User.objects.none())

    def __init__(self, *args: Any, owners: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(owners)


class MeetingForm(forms.Form):
    consortia = forms.ModelMultipleChoiceField(
        label="Groupements ou partenariats",
        queryset=Consortium.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Plusieurs pour une réunion commune à plusieurs porteurs.",
    )
    kind = forms.ChoiceField(label="Type de réunion", choices=MeetingKind.choices)
    title = forms.CharField(label="Intitulé", max_length=200)
    starts_at = forms.DateTimeField(label="Début", widget=DATETIME)
    ends_at = forms.DateTimeField(label="Fin", widget=DATETIME)
    location = forms.CharField(label="Lieu ou lien de visioconférence", required=False)
    agenda = forms.CharField(
        label="Ordre du jour", widget=forms.Textarea(attrs={"rows": 6}), help_text=NO_YOUTH_DATA
    )
    invitees = PeopleChoice(
        label="Participant·es invité·es",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    repeat = forms.IntegerField(
        label="Nombre de réunions de la série",
        min_value=1,
        max_value=52,
        initial=1,
        help_text="Comités hebdomadaires : une par semaine ; trimestriels : une par trimestre.",
    )

    def __init__(
        self,
        *args: Any,
        consortia: QuerySet[Consortium],
        people: QuerySet[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consortia"].queryset = consortia
        self.fields["invitees"].queryset = _people(people)


class MeetingEditForm(MeetingForm):
    """The same fields, without the consortia and the series (fixed once scheduled)."""

    def __init__(self, *args: Any, people: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, consortia=Consortium.objects.none(), people=people, **kwargs)
        del self.fields["consortia"], self.fields["kind"], self.fields["repeat"]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Compte rendu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=NO_YOUTH_DATA,
    )

    def __init__(self, *args: Any, attendances: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for attendance in attendances:
            self.fields[f"presence_{attendance.pk}"] = forms.ChoiceField(
                label=f"{attendance.user.get_full_name()} ({attendance.organisation})",
                choices=AttendanceStatus.choices,
                initial=attendance.status,
            )

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("presence_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("presence_")
        }


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="Décision", widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_YOUTH_DATA
    )
    owner = PersonChoice(label="Portée par", queryset=User.objects.none())
    due_on = forms.DateField(label="Échéance", required=False, widget=DATE)

    def __init__(self, *args: Any, people: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(people)


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher dans les décisions", required=False, max_length=200)
    consortium = forms.ModelChoiceField(
        label="Groupement ou partenariat", queryset=Consortium.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label="État", choices=[("", "Toutes"), *DecisionStatus.choices], required=False
    )

    def __init__(self, *args: Any, consortia: QuerySet[Consortium], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consortium"].queryset = consortia
