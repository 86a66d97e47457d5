from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from coparcours.core.formats import euros
from coparcours.finance.models import BUDGET_GROUPS, BalanceSource, FunctionalGroup, Invoice
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [
    (1, "janvier"),
    (2, "février"),
    (3, "mars"),
    (4, "avril"),
    (5, "mai"),
    (6, "juin"),
    (7, "juillet"),
    (8, "août"),
    (9, "septembre"),
    (10, "octobre"),
    (11, "novembre"),
    (12, "décembre"),
]


def _money(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, localize=True, **kwargs)


class RateForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Membre")
    kind = forms.ChoiceField(choices=SiteKind.choices, label="Type d'accueil")
    start_date = forms.DateField(label="À partir du", widget=DATE)
    amount = _money("Prix de journée (€)", min_value=0)
    decision = forms.CharField(label="Arrêté de tarification", max_length=200, required=False)

    def __init__(self, *args, members: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[m.pk for m in members]
        )


class BillForm(forms.Form):
    month = forms.TypedChoiceField(choices=MONTHS, coerce=int, label="Mois")
    year = forms.IntegerField(label="Année", min_value=2018, max_value=2100)

    def __init__(self, *args, chosen: dict[str, str] | None = None, **kwargs):
        """``chosen``: the month asked for in the address (``?month=&year=``, from the home
        page's "Mois à facturer"), else last month."""
        super().__init__(*args, **kwargs)
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        self.fields["month"].initial = last_month.month
        self.fields["year"].initial = last_month.year
        chosen = chosen or {}
        if str(chosen.get("month", "")) in {str(value) for value, _ in MONTHS}:
            self.fields["month"].initial = int(chosen["month"])
        if str(chosen.get("year", "")).isdigit():
            self.fields["year"].initial = int(chosen["year"])


class CreditNoteForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'avoir", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class PaymentForm(forms.Form):
    received_on = forms.DateField(label="Reçu le", widget=DATE)
    amount = _money("Montant reçu (€)", min_value=0)
    invoices = forms.ModelMultipleChoiceField(
        Invoice.objects.none(),
        label="Factures payées",
        widget=forms.CheckboxSelectMultiple,
        help_text="Le versement est affecté aux factures dans l'ordre des périodes.",
    )
    label = forms.CharField(label="Libellé du virement", max_length=300, required=False)

    def __init__(self, *args, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].queryset = invoices
        self.fields["invoices"].label_from_instance = lambda invoice: (
            f"{invoice.number} — {invoice.period_start:%m/%Y} — reste dû "
            f"{euros(invoice.remaining)} sur {euros(invoice.total)}"
        )


class FileForm(forms.Form):
    file = forms.FileField(label="Fichier")


class BalanceForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Membre")
    year = forms.IntegerField(label="Exercice", min_value=2018, max_value=2100)
    source = forms.ChoiceField(choices=BalanceSource.choices, label="Format")
    file = forms.FileField(
        label="Fichier",
        help_text="FEC : 18 colonnes séparées par tabulation ou « | », dates AAAAMMJJ, "
        "virgule décimale. Balance CSV : colonnes compte, libelle, debit, credit.",
    )

    def __init__(self, *args, members: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[m.pk for m in members]
        )
        self.fields["year"].initial = timezone.localdate().year - 1


class BudgetForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Membre")
    year = forms.IntegerField(label="Exercice", min_value=2018, max_value=2100)

    def __init__(self, *args, members: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[m.pk for m in members]
        )
        self.fields["year"].initial = timezone.localdate().year
        for group in BUDGET_GROUPS:
            self.fields[group] = _money(FunctionalGroup(group).label, min_value=0, required=False)


class MappingForm(forms.Form):
    account = forms.CharField(label="Compte", max_length=20)
    group = forms.ChoiceField(choices=FunctionalGroup.choices, label="Groupe fonctionnel")
