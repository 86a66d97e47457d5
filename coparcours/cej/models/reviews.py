"""The 3- and 6-month reviews, their reminders and their ratings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.cej.models.pathway import Pathway
from coparcours.cej.models.plan import DIMENSION_CATEGORIES, Dimension
from coparcours.core.access import Category
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class Review(YouthData):
    """A milestone review at 3 or 6 months after entry, scheduled automatically."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="reviews")
    milestone_months = models.PositiveSmallIntegerField("bilan à (mois)")
    due_on = models.DateField("prévu le")
    held_on = models.DateField("tenu le", null=True, blank=True)
    next_steps = models.TextField("plan d'action concerté pour la suite", blank=True)
    reminded_on = models.DateField("dernier rappel le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bilan d'étape"
        verbose_name_plural = "bilans d'étape"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "milestone_months"], name="cej_review_once_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"Bilan à {self.milestone_months} mois"


class ReviewReminder(models.Model):
    """A review's reminder sent to one person: once per review and person, whoever joins
    the partners later is reminded at the next run, nobody twice (a unique constraint)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField("envoyé le")

    class Meta:
        verbose_name = "rappel de bilan"
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="cej_review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"Rappel du {self.sent_on:%d/%m/%Y}"


class Rater(models.TextChoices):
    YOUTH = "youth", "Le jeune"
    PORTEUR = "porteur", "Le porteur"
    MISSION_LOCALE = "mission_locale", "La mission locale"


class ReviewRating(YouthData):
    """A 1–4 rating of one dimension by the youth or a partner; category of the dimension."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    rater = models.CharField("par", max_length=20, choices=Rater.choices)
    score = models.PositiveSmallIntegerField(
        "note", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        verbose_name = "note du bilan"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "dimension", "rater"], name="cej_rating_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4),
                name="cej_rating_1_4",
                violation_error_message="La note va de 1 à 4.",
            ),
        ]

    def category_of(self) -> str:
        return DIMENSION_CATEGORIES[self.dimension]
