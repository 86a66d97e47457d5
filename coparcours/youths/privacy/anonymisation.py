"""Anonymisation of a youth's record: its categories erased, its identity replaced by a
pseudonym, its past versions purged and its files deleted (RGPD art. 17, 5-1-e)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from coparcours.core.access import Category
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import Consent, Document, Note, Youth
from coparcours.youths.models.records import FIELD_CATEGORIES

#: Sent with ``youth_id`` inside the transaction that anonymises a record (retention or an
#: accepted erasure request): the apps downstream erase what they keep about the youth.
youth_anonymised = Signal()

#: What replaces an erased note or document title.
ERASED = "Contenu effacé"

#: Identity fields kept after anonymisation, for statistics (the birth date keeps its year).
KEPT_FOR_STATISTICS = frozenset(
    {
        "sex",
        "birth_date",
        "birth_date_is_declared",
        "situation",
        "is_unaccompanied_minor",
        "age_assessment",
        "needs_interpreter",
    }
)


def _blank(name: str) -> Any:
    model_field = Youth._meta.get_field(name)
    return None if model_field.null else ""


def _purge_fields(youth: Youth, values: dict[str, Any]) -> bool:
    """Set fields on the record and on every past version of it (simple_history)."""
    changed = {name: value for name, value in values.items() if getattr(youth, name) != value}
    Youth.history.filter(id=youth.pk).update(**values, history_change_reason=None)
    if changed:
        Youth.objects.filter(pk=youth.pk).update(**changed, updated_at=timezone.now())
        for name, value in changed.items():
            setattr(youth, name, value)
    return bool(changed)


def purge_category(youth: Youth, category: str) -> bool:
    """Erase a category's notes and documents (rows stay for statistics) and, except for
    identity, its fields. Files go after the transaction (:func:`delete_erased_files`)."""
    notes = Note.objects.filter(youth=youth, category=category).filter(
        ~Q(title=ERASED) | ~Q(text="")
    )
    note_ids = list(notes.values_list("pk", flat=True))
    notes.update(title=ERASED, text="", updated_at=timezone.now())
    Note.history.filter(youth_id=youth.pk, category=category).filter(
        ~Q(title=ERASED) | ~Q(text="")
    ).update(title=ERASED, text="", history_change_reason=None)
    documents = Document.objects.filter(youth=youth, category=category).exclude(title=ERASED)
    erased_documents = documents.update(title=ERASED, original_name="", updated_at=timezone.now())
    fields_changed = False
    if category != Category.IDENTITY:
        fields_changed = _purge_fields(
            youth, {name: _blank(name) for name in FIELD_CATEGORIES.get(category, [])}
        )
    return bool(note_ids or erased_documents or fields_changed)


def delete_erased_files(youth_ids: list[int] | None = None) -> int:
    """Delete the stored files of erased documents; resumes after a crash (idempotent)."""
    documents = Document.objects.filter(title=ERASED).exclude(file="")
    if youth_ids is not None:
        documents = documents.filter(youth_id__in=youth_ids)
    deleted = 0
    for document in documents.only("pk", "file"):
        default_storage.delete(document.file.name)
        Document.objects.filter(pk=document.pk).update(file="")
        deleted += 1
    return deleted


def pseudonym(youth_id: int) -> str:
    """The stable name an anonymised record keeps: its number, nothing else."""
    return f"Jeune anonymisé n° {youth_id}"


def anonymise_locked(youth: Youth, user: Any, reason: str) -> None:
    """Anonymise inside the caller's transaction (the youth row is locked)."""
    for category in Category.values:
        purge_category(youth, category)
    identity = {
        name: _blank(name)
        for name in FIELD_CATEGORIES[Category.IDENTITY]
        if name not in KEPT_FOR_STATISTICS
    }
    identity["last_name"] = pseudonym(youth.pk)
    identity["birth_date"] = (
        datetime.date(youth.birth_date.year, 1, 1) if youth.birth_date else None
    )
    identity["last_name_key"] = ""
    identity["first_name_key"] = ""
    # what the youth chose in their own space: their code, their reminders
    identity.update(space_pin="", reminder_channel="", reminders_agreed_at=None)
    history_values = {k: v for k, v in identity.items() if not k.endswith("_key")}
    Youth.history.filter(id=youth.pk).update(**history_values, history_change_reason=None)
    Youth.objects.filter(pk=youth.pk).update(
        **identity, anonymised_at=timezone.now(), updated_at=timezone.now()
    )
    Consent.objects.filter(youth=youth).update(purpose=ERASED, witness="")
    youth_anonymised.send(sender=Youth, youth_id=youth.pk)
    record(
        user,
        AuditEvent.WRITE,
        organisation=youth.owner_organisation,
        youth_id=youth.pk,
        obj=youth,
        reason=f"Anonymisation du dossier : {reason}",
    )


def anonymise_youth(youth_id: int, *, reason: str, user: Any = None) -> bool:
    """Anonymise one record in one transaction, then delete its files.

    Keeps what statistics need (sex, birth year, owner organisation, situation, dates of
    notes, documents, assignments and consents); replaces the names by a pseudonym, blanks
    identity, contact and justice details, erases notes and documents and purges the past
    versions. Returns False when the record was already anonymised (idempotent).
    """
    with transaction.atomic():
        youth = (
            Youth.objects.select_for_update()
            .select_related("owner_organisation")
            .filter(pk=youth_id, anonymised_at__isnull=True)
            .first()
        )
        if youth is None:
            return False
        anonymise_locked(youth, user, reason)
    delete_erased_files([youth_id])
    return True
