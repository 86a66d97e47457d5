"""GME money (docs/domain-rules.md, "GME: money"): daily rates, monthly invoices to the
funder, the group account, redistribution to the members, trial balances and the
consolidated administrative account.

Money is ``Decimal`` with two places (docs/conventions.md, "Money"). Issued invoices and credit
notes are immutable: corrections are credit notes, never edits.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.formats import euros
from coparcours.core.models import TimeStamped
from coparcours.housing.models import Stay
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models import Youth

MONEY = {"max_digits": 14, "decimal_places": 2}

DEFAULT_LEGAL_MENTIONS = (
    "TVA non applicable (article 261-7-1° du code général des impôts). "
    "Paiement par virement sur le compte du groupement. En cas de retard de paiement, "
    "intérêts moratoires au taux légal et indemnité forfaitaire de 40 € pour frais de "
    "recouvrement (code de la commande publique, articles L.2192-13 et R.2192-31 à -36). "
    "Groupement momentané d'entreprises sans personnalité morale, représenté par son "
    "mandataire."
)


class DayCount(models.TextChoices):
    ENTRY = "entry", "Jour d'entrée compté, jour de sortie non compté"
    EXIT = "exit", "Jour de sortie compté, jour d'entrée non compté"


class FinanceSettings(models.Model):
    """Dated settings of the billing (docs/domain-rules.md, "Figures are dated settings").

    The row in force on a day is the latest whose ``valid_from`` is on or before it.
    """

    valid_from = models.DateField("en vigueur à partir du", unique=True)
    day_count = models.CharField(
        "décompte des journées", max_length=10, choices=DayCount.choices, default=DayCount.ENTRY
    )
    payment_days = models.PositiveSmallIntegerField(
        "délai de paiement (jours)",
        default=30,
        help_text="Code de la commande publique R.2192-10 : 30 jours pour l'État et les "
        "collectivités territoriales.",
    )
    legal_mentions = models.TextField(
        "mentions légales des factures", default=DEFAULT_LEGAL_MENTIONS
    )

    class Meta:
        verbose_name = "paramètres de la facturation"
        verbose_name_plural = "paramètres de la facturation"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Paramètres en vigueur à partir du {self.valid_from:%d/%m/%Y}"

    @classmethod
    def in_force(cls, on: datetime.date | None = None) -> FinanceSettings:
        """The settings in force on a day (the field defaults if none is recorded yet)."""
        day = on or timezone.localdate()
        return cls.objects.filter(valid_from__lte=day).first() or cls(valid_from=day)


class DailyRate(TimeStamped):
    """The prix de journée of one member for one kind of hosting over [start, end)
    (CASF R.314-113: fixed by the funder's tarification decision, may change mid-year)."""

    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="membre", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type d'accueil", max_length=20, choices=SiteKind.choices)
    start_date = models.DateField("à partir du")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    amount = models.DecimalField("prix de journée (€)", **MONEY)
    decision = models.CharField("arrêté de tarification", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "prix de journée"
        verbose_name_plural = "prix de journée"
        ordering = ["organisation__name", "kind", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="daily_rate_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="daily_rate_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["consortium", "organisation", "kind", "start_date"],
                name="daily_rate_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_kind_display()} : {euros(self.amount)}"


class InvoiceSequence(models.Model):
    """The counter of a consortium's invoice numbers for a year, locked while numbering so
    that numbers follow without a gap (CGI art. 242 nonies A: sequential numbering)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consortium", "year"], name="invoice_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.consortium_id} — {self.year} : {self.last_number}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Facture"
    CREDIT_NOTE = "credit_note", "Avoir"


class ImmutableError(Exception):
    """An issued invoice, credit note or their lines may not change."""


class Immutable(models.Model):
    """Rows written once: saving an existing row or deleting one is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("Une facture émise ne se modifie pas : émettez un avoir.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Une facture émise ne se supprime pas : émettez un avoir.")


class Invoice(Immutable):
    """A monthly invoice to the funder, or a credit note cancelling one; one PDF, kept."""

    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.PROTECT, related_name="invoices"
    )
    funder = models.ForeignKey(
        Organisation, verbose_name="financeur", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type", max_length=12, choices=InvoiceKind.choices)
    year = models.PositiveSmallIntegerField("exercice")
    sequence_number = models.PositiveIntegerField("rang")
    number = models.CharField("numéro", max_length=40)
    period_start = models.DateField("période du")
    period_end = models.DateField("au (exclu)")
    issued_on = models.DateField("émise le")
    due_on = models.DateField("échéance")
    total = models.DecimalField("montant total (€)", **MONEY)
    day_count = models.CharField("décompte des journées", max_length=10, choices=DayCount.choices)
    credits = models.OneToOneField(
        "self",
        verbose_name="facture annulée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_note",
    )
    reason = models.TextField("motif de l'avoir", blank=True)
    payment_days = models.PositiveSmallIntegerField("délai de paiement (jours)")
    legal_mentions = models.TextField("mentions légales")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "facture"
        ordering = ["-year", "-sequence_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "year", "sequence_number"], name="invoice_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True, total__gte=0)
                | Q(kind="credit_note", credits__isnull=False, total__lte=0),
                name="invoice_kind_consistent",
            ),
        ]
        indexes = [models.Index(fields=["consortium", "period_start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoicePdf(Immutable):
    """The PDF of an invoice, rendered once from its immutable data (lines, totals and the
    terms and mentions copied at issue) the first time it is asked for, then kept as is."""

    invoice = models.OneToOneField(
        Invoice, primary_key=True, on_delete=models.PROTECT, related_name="document"
    )
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PDF de la facture {self.invoice_id}"


class InvoiceLine(Immutable):
    """One line per member and kind of hosting (and per rate, if it changed in the month)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    organisation = models.ForeignKey(
        Organisation, verbose_name="membre", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type d'accueil", max_length=20, choices=SiteKind.choices)
    days = models.IntegerField("journées")
    rate = models.DecimalField("prix de journée (€)", **MONEY)
    amount = models.DecimalField("montant (€)", **MONEY)

    class Meta:
        verbose_name = "ligne de facture"
        ordering = ["organisation__name", "kind", "rate"]

    def __str__(self) -> str:
        return f"{self.days} journées × {euros(self.rate)} = {euros(self.amount)}"


class InvoiceStayDays(Immutable):
    """The annex: a youth's billed days in one stay (per rate period)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="stay_days")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="+")
    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SiteKind.choices)
    days = models.IntegerField()
    rate = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["organisation__name", "kind", "youth_id", "pk"]

    def __str__(self) -> str:
        return f"Séjour {self.stay_id} : {self.days} journées"


class BankImport(TimeStamped):
    """A bank statement of the group account imported as CSV (idempotent by file hash)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField("lignes")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "relevé bancaire importé"
        constraints = [
            models.UniqueConstraint(fields=["consortium", "sha256"], name="bank_import_once")
        ]


class Payment(TimeStamped):
    """A payment of the funder received on the group account, allocated to invoices."""

    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField("reçu le")
    amount = models.DecimalField("montant (€)", **MONEY)
    label = models.CharField("libellé", max_length=300, blank=True)
    bank_import = models.ForeignKey(
        BankImport, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "versement reçu"
        verbose_name_plural = "versements reçus"
        ordering = ["-received_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"Versement du {self.received_on:%d/%m/%Y} : {euros(self.amount)}"


class PaymentAllocation(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField("montant (€)", **MONEY)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive")
        ]

    def __str__(self) -> str:
        return f"{euros(self.amount)} sur la facture {self.invoice_id}"


class Redistribution(TimeStamped):
    """The transfer of a member's share of a payment, made the day it is received."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="redistributions")
    organisation = models.ForeignKey(
        Organisation, verbose_name="membre", on_delete=models.PROTECT, related_name="+"
    )
    made_on = models.DateField("reversé le")
    amount = models.DecimalField("montant (€)", **MONEY)

    class Meta:
        verbose_name = "reversement"
        ordering = ["-made_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "organisation"], name="redistribution_once_per_member"
            )
        ]


class FunctionalGroup(models.TextChoices):
    """Groups of the administrative account (CASF R.314-13 and R.314-14)."""

    EXPENSE_1 = "expense_1", "Dépenses — groupe I : exploitation courante"
    EXPENSE_2 = "expense_2", "Dépenses — groupe II : personnel"
    EXPENSE_3 = "expense_3", "Dépenses — groupe III : structure"
    REVENUE_1 = "revenue_1", "Recettes — groupe I : produits de la tarification"
    REVENUE_2 = "revenue_2", "Recettes — groupe II : autres produits d'exploitation"
    REVENUE_3 = "revenue_3", "Recettes — groupe III : produits financiers et non encaissables"
    ELIMINATED = "eliminated", "Flux du compte du groupement (éliminés en consolidation)"
    EXCLUDED = "excluded", "Hors compte administratif (bilan)"


BUDGET_GROUPS = [
    FunctionalGroup.EXPENSE_1,
    FunctionalGroup.EXPENSE_2,
    FunctionalGroup.EXPENSE_3,
    FunctionalGroup.REVENUE_1,
    FunctionalGroup.REVENUE_2,
    FunctionalGroup.REVENUE_3,
]


class AccountMapping(TimeStamped):
    """The lead member's override of the default mapping for one account number."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    account = models.CharField("compte", max_length=20)
    group = models.CharField("groupe fonctionnel", max_length=12, choices=FunctionalGroup.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "affectation d'un compte"
        ordering = ["account"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "account"], name="account_mapping_once")
        ]


class BalanceSource(models.TextChoices):
    CSV = "csv", "Balance (CSV)"
    FEC = "fec", "Fichier des écritures comptables (FEC)"


class TrialBalance(TimeStamped):
    """A member's trial balance for a year; the latest import of a year is the one used."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name="membre", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("exercice")
    source = models.CharField("source", max_length=5, choices=BalanceSource.choices)
    file_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField("lignes du fichier")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "balance comptable"
        verbose_name_plural = "balances comptables"
        ordering = ["-year", "organisation__name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sha256"], name="trial_balance_file_once"
            )
        ]


class TrialBalanceLine(models.Model):
    trial_balance = models.ForeignKey(TrialBalance, on_delete=models.CASCADE, related_name="lines")
    account = models.CharField("compte", max_length=20)
    label = models.CharField("libellé", max_length=200, blank=True)
    debit = models.DecimalField("débit", **MONEY)
    credit = models.DecimalField("crédit", **MONEY)

    class Meta:
        ordering = ["account"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial_balance", "account"], name="trial_balance_line_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.label}"


class ForecastBudget(TimeStamped):
    """A member's forecast budget (budget prévisionnel) for one functional group and year."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("exercice")
    group = models.CharField("groupe fonctionnel", max_length=12, choices=FunctionalGroup.choices)
    amount = models.DecimalField("montant (€)", **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "budget prévisionnel"
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organisation", "year", "group"],
                name="forecast_budget_once",
            )
        ]
