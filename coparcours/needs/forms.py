"""Forms of the register of unmet needs (French labels; the rules stay in the services)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from coparcours.directory.models import Referral, ReferralStatus
from coparcours.needs.models import NeedDimension, NeedStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferralChoice(forms.ModelMultipleChoiceField):
    """A referral tried, named by its service, its state and, when refused, its reason."""

    def label_from_instance(self, referral: Referral) -> str:
        sent = timezone.localtime(referral.created_at)
        service = referral.service
        label = f"{service.nom} ({service.structure.nom}) — envoyée le {sent:%d/%m/%Y} : "
        label += referral.get_status_display().lower()
        if referral.status == ReferralStatus.REFUSED:
            label += f" ({referral.get_refusal_reason_display().lower()})"
        return label


class NeedForm(forms.Form):
    """A need to record, or an open one to correct (``with_dimension`` false)."""

    dimension = forms.ChoiceField(
        label="Dimension", choices=[("", "Sélectionner…"), *NeedDimension.choices]
    )
    since = forms.DateField(label="Besoin constaté depuis le", widget=DATE)
    description = forms.CharField(
        label="Le besoin", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    referrals = ReferralChoice(
        label="Orientations tentées",
        queryset=Referral.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Les orientations de votre organisation pour ce jeune, avec leur réponse.",
    )

    def __init__(
        self, *args, referrals: QuerySet[Referral], with_dimension: bool = True, **kwargs
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("since", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["referrals"].queryset = referrals
        if not with_dimension:
            del self.fields["dimension"]


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Le besoin est",
        choices=[(NeedStatus.MET, "Satisfait"), (NeedStatus.ABANDONED, "Abandonné")],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label="Depuis le", widget=DATE)
    outcome = forms.CharField(
        label="Réponse trouvée, ou motif de l'abandon",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("closed_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Pourquoi le besoin est de nouveau sans réponse",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
    )
