"""Serious incidents and runaways at a GME's sites (docs/domain-rules.md, "Serious incidents
and runaways").

A host informs the authority without delay of any serious dysfunction or event that
endangers the people it hosts (CASF L.331-8-1; R.331-8 to R.331-10, décret n° 2016-1813 of
21 December 2016 and the arrêté of 28 December 2016 listing the events). The report itself
(:class:`SeriousIncident`) holds what the authority receives: kind, date, site, member,
measures taken, and the facts written without a name. The youths it concerns
(:class:`IncidentYouth`, housing data) and the health or justice details
(:class:`IncidentDetail`, in their categories) are youth data that the access policy decides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.housing.models.sites import Site
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models import Youth
from coparcours.youths.models.youth_data import YouthData


class IncidentKind(models.TextChoices):
    """The events to report (arrêté of 28 December 2016, taken for CASF R.331-8)."""

    RUNAWAY = "runaway", "Fugue ou disparition"
    VIOLENCE = "violence", "Violences ou comportement violent"
    ABUSE = "abuse", "Maltraitance ou violences sexuelles"
    SERIOUS_ACCIDENT = "serious_accident", "Accident grave"
    SUICIDE_ATTEMPT = "suicide_attempt", "Suicide ou tentative de suicide"
    DEATH = "death", "Décès"
    DISASTER = "disaster", "Sinistre (incendie, inondation, événement climatique)"
    MALICE = "malice", "Acte de malveillance"
    JUDICIAL = "judicial", "Procédure judiciaire"
    ORGANISATION = "organisation", "Défaillance de l'organisation ou du fonctionnement"


class IncidentStatus(models.TextChoices):
    DECLARED = "declared", "Signalé, à prendre en compte"
    ACKNOWLEDGED = "acknowledged", "Pris en compte par la coordination"
    CLOSED = "closed", "Clos"


class SeriousIncident(TimeStamped):
    """A serious incident reported by the hosting member of a site: declared, acknowledged
    by the coordination of the GME, then closed (a runaway closes on the youth's return)."""

    consortium = models.ForeignKey(
        Consortium,
        verbose_name="groupement",
        on_delete=models.PROTECT,
        related_name="serious_incidents",
    )
    site = models.ForeignKey(
        Site, verbose_name="site", on_delete=models.PROTECT, related_name="serious_incidents"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="membre accueillant",
        on_delete=models.PROTECT,
        related_name="serious_incidents",
    )
    kind = models.CharField("nature de l'événement", max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField("survenu le")
    occurred_time = models.TimeField("à (heure)", null=True, blank=True)
    facts = models.TextField(
        "faits",
        help_text="Sans nom ni détail de santé ou de justice : ceux-ci ont leurs champs.",
    )
    measures = models.TextField("mesures prises")
    informed = models.TextField("personnes et autorités déjà informées", blank=True)
    declared_on = models.DateField(
        "déclarée aux forces de l'ordre le",
        null=True,
        blank=True,
        help_text="Pour une fugue : le jour où la police ou la gendarmerie a été alertée.",
    )
    returned_on = models.DateField("retour le", null=True, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.DECLARED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField("pris en compte le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closing_note = models.TextField("note de clôture", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "événement grave"
        verbose_name_plural = "événements graves"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["consortium", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(declared_on__isnull=True) | Q(declared_on__gte=models.F("occurred_on")),
                name="incident_declared_after_occurred",
                violation_error_message="La déclaration ne peut précéder l'événement.",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("occurred_on")),
                name="incident_return_after_occurred",
                violation_error_message="Le retour ne peut précéder la fugue.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y} — {self.site.name}"

    @property
    def is_runaway(self) -> bool:
        return self.kind == IncidentKind.RUNAWAY


class IncidentYouth(YouthData):
    """A hosted youth an incident concerns: housing data of the hosting member."""

    CATEGORY = Category.HOUSING

    incident = models.ForeignKey(
        SeriousIncident, on_delete=models.CASCADE, related_name="youths", verbose_name="événement"
    )
    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="incidents"
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="membre accueillant", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "jeune concerné par un événement grave"
        constraints = [
            models.UniqueConstraint(fields=["incident", "youth"], name="incident_youth_once")
        ]


#: The categories of the details an incident's report may hold beside its facts.
DETAIL_CATEGORIES = (Category.HEALTH, Category.JUSTICE)


class IncidentDetail(YouthData):
    """Health or justice details of an incident about one youth, in their category: only
    those the policy grants that category read them (never the funder)."""

    incident = models.ForeignKey(
        SeriousIncident, on_delete=models.CASCADE, related_name="details", verbose_name="événement"
    )
    category = models.CharField(
        "catégorie",
        max_length=30,
        choices=[(c.value, c.label) for c in DETAIL_CATEGORIES],
        editable=False,
    )
    text = models.TextField("détails")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "détail d'un événement grave"
        verbose_name_plural = "détails d'événements graves"


class IncidentMeasure(TimeStamped):
    """A measure taken or a follow-up given after the report, by the hosting member or the
    coordination: part of what the authority is told (CASF L.331-8-1), so it is written
    without a name and the Département reads it with the notice."""

    incident = models.ForeignKey(
        SeriousIncident,
        on_delete=models.CASCADE,
        related_name="measures_taken",
        verbose_name="événement",
    )
    text = models.TextField("mesure ou suite donnée")
    by_coordination = models.BooleanField("écrite par la coordination", default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "suite donnée à un événement grave"
        verbose_name_plural = "suites données aux événements graves"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Suite donnée le {self.created_at:%d/%m/%Y}"
