"""Shared primitives: the time-stamped base model and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimeStamped(models.Model):
    """Base model recording when a row was created and last changed."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.TextChoices):
    READ = "read", "Consultation"
    WRITE = "write", "Modification"
    LIST = "list", "Liste"
    DENIED = "denied", "Accès refusé"
    BREAK_GLASS = "break_glass", "Accès exceptionnel motivé"
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKED_OUT = "locked_out", "Compte bloqué"
    LOGOUT = "logout", "Déconnexion"
    ADMIN = "admin", "Administration"


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Le journal d'audit ne peut pas être modifié.")

    def delete(self):
        raise PermissionError("Le journal d'audit ne peut pas être supprimé.")


class AuditLog(models.Model):
    """One line per access to personal data or security event; never updated nor deleted.

    ``user_email`` and ``organisation_name`` are copied so the line keeps its meaning when
    accounts or organisations change later. ``youth_id`` is a plain integer: the log
    outlives the records it mentions (anonymisation keeps the trace, not the identity).
    Database triggers (migration 0002) refuse UPDATE and DELETE as well.
    """

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    user_email = models.CharField("courriel", max_length=254, blank=True)
    organisation_id = models.BigIntegerField("organisation (id)", null=True, blank=True)
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    event = models.CharField("événement", max_length=20, choices=AuditEvent.choices)
    youth_id = models.BigIntegerField("jeune (id)", null=True, blank=True, db_index=True)
    category = models.CharField("catégorie", max_length=30, blank=True)
    object_type = models.CharField("objet", max_length=100, blank=True)
    object_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    reason = models.TextField("motif", blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    path = models.CharField("adresse consultée", max_length=500, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["organisation_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_email} {self.get_event_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Le journal d'audit ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal d'audit ne peut pas être supprimé.")


class OutboxChannel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"


class OutboxMessage(models.Model):
    """A message the demo « sent »: kept here instead of leaving the machine, and shown to
    the administrators in the administration (``EMAIL_URL`` / ``SMS_URL`` ``outbox://``;
    refused in production, docs/architecture.md)."""

    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    channel = models.CharField("canal", max_length=5, choices=OutboxChannel.choices)
    recipients = models.CharField("destinataires", max_length=1000)
    subject = models.CharField("objet", max_length=300, blank=True)
    body = models.TextField("texte")
    attachments = models.CharField("pièces jointes", max_length=1000, blank=True)

    class Meta:
        verbose_name = "message envoyé (démonstration)"
        verbose_name_plural = "messages envoyés (démonstration)"
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} à {self.recipients} : {self.subject or self.body[:40]}"
        )
