"""Interviews and syntheses shared with the partners."""

from __future__ import annotations

from django.db import models

from coparcours.cej.models.pathway import Pathway
from coparcours.core.models import TimeStamped
from coparcours.youths.models import Note


class InterviewKind(models.TextChoices):
    INDIVIDUAL = "individual", "Entretien individuel"
    TRIPARTITE = "tripartite", "Entretien tripartite (référent, conseiller, jeune)"
    SYNTHESIS = "synthesis", "Synthèse du parcours"


class Interview(TimeStamped):
    """An interview or a synthesis shared with the partners. Its text is a youth record
    ``Note`` with its category, so the access policy and the record's history apply."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField("type", max_length=20, choices=InterviewKind.choices)
    note = models.OneToOneField(Note, on_delete=models.CASCADE, related_name="cej_interview")

    class Meta:
        verbose_name = "entretien ou synthèse"
        ordering = ["-note__occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.note}"
