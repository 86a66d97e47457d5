"""An organisation's file brought in: one row per import that saved its lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation


class ImportKind(models.TextChoices):
    YOUTHS = "youths", "Jeunes"
    STAYS = "stays", "Séjours"
    PATHWAYS = "pathways", "Parcours CEJ-JR"


class ImportBatch(TimeStamped):
    """A file imported for an organisation. The same file (by its SHA-256) is imported
    once per organisation and kind; a refused file leaves no row."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("données", max_length=20, choices=ImportKind.choices)
    file_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField("lignes du fichier")
    created_count = models.PositiveIntegerField("enregistrements créés")
    skipped_count = models.PositiveIntegerField("lignes écartées", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "sha256"], name="import_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.file_name}"
