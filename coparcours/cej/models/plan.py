"""Co-accompaniment: the dimensions of the youth's situation, the partnership's "who does
what" and the youth's shared action plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from coparcours.cej.models.pathway import Pathway
from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class Dimension(models.TextChoices):
    """Areas of the youth's situation and progress, rated at the milestone reviews."""

    EMPLOYMENT = "employment", "Emploi et formation"
    HOUSING = "housing", "Logement"
    HEALTH = "health", "Santé"
    MENTAL_HEALTH = "mental_health", "Santé mentale"
    MOBILITY = "mobility", "Mobilité"
    RIGHTS = "rights", "Accès aux droits et démarches"
    RESOURCES = "resources", "Ressources"
    CONFIDENCE = "confidence", "Confiance en soi"


#: The access-policy category of what is written about each dimension: a health objective
#: or rating is health data, never shown to a counsellor (docs/domain-rules.md,
#: "Professional secrecy: who sees a youth's data").
DIMENSION_CATEGORIES: dict[str, str] = {
    Dimension.EMPLOYMENT: Category.EDUCATION_EMPLOYMENT,
    Dimension.HOUSING: Category.HOUSING,
    Dimension.HEALTH: Category.HEALTH,
    Dimension.MENTAL_HEALTH: Category.MENTAL_HEALTH,
    Dimension.MOBILITY: Category.EDUCATION_EMPLOYMENT,
    Dimension.RIGHTS: Category.ADMIN_DOCUMENTS,
    Dimension.RESOURCES: Category.NOTES,
    Dimension.CONFIDENCE: Category.NOTES,
}


class PartnerSide(models.TextChoices):
    PORTEUR = "porteur", "Porteur (accompagnement social global)"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    SHARED = "shared", "Ensemble"


class CharterLine(TimeStamped):
    """The partnership's "who does what" (by default the mission locale on employment and
    training, the porteur on global social support), one line per dimension, editable."""

    partnership = models.ForeignKey(
        Consortium, on_delete=models.CASCADE, related_name="cej_charter_lines"
    )
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    lead = models.CharField("qui", max_length=20, choices=PartnerSide.choices)
    what = models.CharField("ce que fait chacun", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne du « qui fait quoi »"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "dimension"], name="cej_charter_dimension_unique"
            )
        ]


class ActionPlan(YouthData):
    """One shared plan per youth, written after the partners' shared diagnosis."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.OneToOneField(Pathway, on_delete=models.CASCADE, related_name="plan")
    diagnosis_on = models.DateField("diagnostic partagé le")
    diagnosis = models.TextField("diagnostic partagé", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "plan d'action"


class ActionStatus(models.TextChoices):
    TODO = "todo", "À faire"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    DROPPED = "dropped", "Abandonnée"


class PlanAction(YouthData):
    """An action of the plan towards an objective of one dimension, owned by one
    organisation and one person; its category follows the dimension."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    objective = models.CharField("objectif", max_length=300)
    action = models.CharField("action", max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation responsable",
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        USER, verbose_name="personne responsable", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("échéance")
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.TODO
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action du plan"
        ordering = ["due_on", "pk"]

    def category_of(self) -> str:
        return DIMENSION_CATEGORIES[self.dimension]
