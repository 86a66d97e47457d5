"""Dated notes and uploaded documents of a youth's record, each in one category."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.organisations.models import Organisation
from coparcours.youths.models.records import Youth
from coparcours.youths.models.youth_data import YouthData


class Note(YouthData):
    """A dated piece of information about the youth, in one category."""

    CATEGORY = None  # the author chooses it

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="notes"
    )
    category = models.CharField("catégorie", max_length=30, choices=Category.choices)
    occurred_on = models.DateField("date", default=timezone.localdate)
    title = models.CharField("titre", max_length=200)
    text = models.TextField("contenu", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["youth", "category"])]

    def __str__(self) -> str:
        return self.title


def document_path(instance: Document, filename: str) -> str:
    """Stored under an opaque name, outside any public URL (served by an access-checked view)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"youth-documents/{instance.youth_id}/{uuid.uuid4().hex}{suffix}"


class Document(YouthData):
    CATEGORY = None  # the author chooses it
    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="documents"
    )
    category = models.CharField("catégorie", max_length=30, choices=Category.choices)
    title = models.CharField("intitulé", max_length=200)
    file = models.FileField("fichier", upload_to=document_path)
    original_name = models.CharField("nom d'origine", max_length=255)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "document"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
