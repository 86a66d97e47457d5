"""An unmet need of a youth: its dimension, since when, what was tried (the referrals sent
for it) and how it ended (docs/domain-rules.md, "Unmet needs")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.directory.models import Referral
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth, YouthData


class NeedDimension(models.TextChoices):
    HOUSING = "housing", "Hébergement, logement"
    MENTAL_HEALTH = "mental_health", "Santé mentale"
    HEALTH = "health", "Santé"
    MOBILITY = "mobility", "Mobilité"
    RESOURCES = "resources", "Ressources"
    RIGHTS = "rights", "Accès aux droits, papiers"
    EMPLOYMENT = "employment", "Formation, emploi"
    OTHER = "other", "Autre"


#: The access-policy category of a need of each dimension: a mental-health need is
#: mental-health data, read only by those who may read it (docs/access.md).
DIMENSION_CATEGORIES: dict[str, str] = {
    NeedDimension.HOUSING: Category.HOUSING,
    NeedDimension.MENTAL_HEALTH: Category.MENTAL_HEALTH,
    NeedDimension.HEALTH: Category.HEALTH,
    NeedDimension.MOBILITY: Category.EDUCATION_EMPLOYMENT,
    NeedDimension.RESOURCES: Category.NOTES,
    NeedDimension.RIGHTS: Category.ADMIN_DOCUMENTS,
    NeedDimension.EMPLOYMENT: Category.EDUCATION_EMPLOYMENT,
    NeedDimension.OTHER: Category.NOTES,
}


class NeedStatus(models.TextChoices):
    OPEN = "open", "Sans réponse"
    MET = "met", "Satisfait"
    ABANDONED = "abandoned", "Abandonné"


class UnmetNeed(YouthData):
    """A need of a youth that no service has answered yet, or that was met or abandoned on
    ``closed_on``. Its category follows its dimension."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="unmet_needs"
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation auteure",
        on_delete=models.PROTECT,
        related_name="recorded_needs",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dimension = models.CharField("dimension", max_length=20, choices=NeedDimension.choices)
    since = models.DateField("besoin constaté depuis le")
    description = models.TextField("description du besoin")
    status = models.CharField(
        "état", max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    closed_on = models.DateField("satisfait ou abandonné le", null=True, blank=True)
    outcome = models.TextField("réponse trouvée ou motif de l'abandon", blank=True)
    referrals = models.ManyToManyField(
        Referral, verbose_name="orientations tentées", blank=True, related_name="needs"
    )

    history = HistoricalRecords(m2m_fields=[referrals])

    class Meta:
        verbose_name = "besoin sans réponse"
        verbose_name_plural = "besoins sans réponse"
        ordering = ["since", "pk"]
        indexes = [models.Index(fields=["status", "since"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__gte=models.F("since"))),
                name="need_closed_after_since",
            )
        ]

    def __str__(self) -> str:
        return f"Besoin « {self.get_dimension_display()} » ({self.get_status_display().lower()})"

    def category_of(self) -> str:
        return DIMENSION_CATEGORIES[self.dimension]
