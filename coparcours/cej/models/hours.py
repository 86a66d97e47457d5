"""Activities counted in the weekly hours, and the Monday follow-up of those hours sent to
each counsellor."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from coparcours.cej.models.partnership import FollowUpDetail
from coparcours.cej.models.pathway import Pathway
from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", "Atelier collectif"
    INTERVIEW = "interview", "Entretien individuel"
    TRAINING = "training", "Formation"
    IMMERSION = "immersion", "Immersion en entreprise, stage"
    JOB_SEARCH = "job_search", "Recherche d'emploi"
    PAPERWORK = "paperwork", "Démarches administratives"
    SPORT_CULTURE = "sport_culture", "Sport, culture, loisirs"
    VOLUNTEERING = "volunteering", "Bénévolat, engagement"
    HEALTH = "health", "Soins, santé"
    OTHER = "other", "Autre"


class YouthAnswer(models.TextChoices):
    """What the youth answered from their own space to an appointment coming."""

    COMING = "coming", "sera là"
    NOT_COMING = "not_coming", "ne peut pas venir"


class Activity(YouthData):
    """An activity counted in the weekly 15–20 hours, planned then recorded as
    attended or not, under the responsibility of one partner organisation. A care
    appointment is health data: its nature never reaches a counsellor."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField("type", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveIntegerField("durée (minutes)")
    ends_at = models.DateTimeField("fin", editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation responsable",
        on_delete=models.PROTECT,
        related_name="+",
    )
    attended = models.BooleanField("présent·e", null=True, blank=True)
    youth_answer = models.CharField(
        "réponse du jeune", max_length=12, choices=YouthAnswer.choices, blank=True
    )
    youth_answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "activité"
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["pathway", "starts_at"]),
            # the home's absences announced by youths read only these
            models.Index(
                fields=["starts_at"],
                condition=Q(youth_answer="not_coming"),
                name="cej_activity_absence_announced",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=1440),
                name="cej_activity_duration_1_1440",
                violation_error_message="Une activité dure entre 1 minute et 24 heures.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def category_of(self) -> str:
        return Category.HEALTH if self.kind == ActivityKind.HEALTH else self.CATEGORY

    def save(self, *args, **kwargs):
        self.ends_at = self.starts_at + datetime.timedelta(minutes=self.duration_minutes)
        super().save(*args, **kwargs)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.01"))

    @property
    def youth_coming(self) -> bool:
        return self.youth_answer == YouthAnswer.COMING

    @property
    def youth_not_coming(self) -> bool:
        return self.youth_answer == YouthAnswer.NOT_COMING


# --- Monday follow-up -----------------------------------------------------------------


class WeeklyFollowUp(TimeStamped):
    """The follow-up of one week sent to one counsellor on Monday: never
    twice for the same week and counsellor (unique constraint)."""

    counsellor = models.ForeignKey(
        USER, verbose_name="conseiller·ère", on_delete=models.CASCADE, related_name="+"
    )
    mission_locale = models.ForeignKey(
        Organisation, verbose_name="mission locale", on_delete=models.PROTECT, related_name="+"
    )
    week_start = models.DateField("semaine du (lundi)")
    detail = models.CharField("format", max_length=20, choices=FollowUpDetail.choices)
    rows = models.JSONField("contenu", default=list)
    produced_by = models.ForeignKey(
        USER,
        verbose_name="produit par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Vide : produit par la tâche du lundi.",
    )
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        verbose_name = "suivi hebdomadaire"
        verbose_name_plural = "suivis hebdomadaires"
        ordering = ["-week_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "week_start"], name="cej_follow_up_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"Suivi de la semaine du {self.week_start:%d/%m/%Y}"
