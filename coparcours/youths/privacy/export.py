"""The export of what is held about a youth (right of access, RGPD art. 15), as far as the
exporting user may read it."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coparcours.core.access import (
    EXPORT_RIGHTS,
    Category,
    Duty,
    Grant,
    check_categories,
    check_duty,
)
from coparcours.core.models import AuditLog
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Document, Note, Youth
from coparcours.youths.models.records import FIELD_CATEGORIES


class ExportStatus:
    COMPLETE = "complete"
    OWN_ONLY = "own_organisation_only"
    WITHHELD = "withheld"


CATEGORY_LABELS = dict(Category.choices)

STATUS_LABELS = {
    ExportStatus.COMPLETE: "communiquée",
    ExportStatus.OWN_ONLY: "limitée aux informations de l'organisation qui exporte",
    ExportStatus.WITHHELD: "non communiquée",
}


def _field_entry(youth: Any, name: str) -> dict[str, Any]:
    model_field = Youth._meta.get_field(name)
    value = getattr(youth, name)
    display = getattr(youth, f"get_{name}_display")() if model_field.choices else value
    return {
        "field": name,
        "label": str(model_field.verbose_name),
        "value": value,
        "display": display,
    }


@dataclass
class ExportedCategory:
    category: str
    label: str
    status: str
    fields: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    documents: list[dict[str, Any]]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class YouthExport:
    """Everything held about a youth that the exporting user may read."""

    youth: Youth
    exported_at: datetime.datetime
    exported_by: str
    organisation: str
    categories: list[ExportedCategory]
    assignments: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    erasure_requests: list[dict[str, Any]]
    rectifications: list[dict[str, Any]]
    access_log: list[dict[str, Any]]

    @property
    def withheld(self) -> list[ExportedCategory]:
        return [c for c in self.categories if c.status == ExportStatus.WITHHELD]

    @property
    def partial(self) -> list[ExportedCategory]:
        return [c for c in self.categories if c.status == ExportStatus.OWN_ONLY]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": "coparcours-export-jeune-1",
            "exported_at": self.exported_at,
            "exported_by": self.exported_by,
            "organisation": self.organisation,
            "youth_id": self.youth.pk,
            "owner_organisation": str(self.youth.owner_organisation),
            "categories": [
                {
                    "category": c.category,
                    "label": c.label,
                    "status": c.status,
                    "fields": c.fields,
                    "notes": c.notes,
                    "documents": c.documents,
                }
                for c in self.categories
            ],
            "assignments": self.assignments,
            "consents": self.consents,
            "erasure_requests": self.erasure_requests,
            "rectifications": self.rectifications,
            "access_log": self.access_log,
        }


def _rectifications(youth: Youth, visible_fields: set[str], notes: list[Note]) -> list[dict]:
    """Changes to the record's visible fields and to the visible notes, oldest first."""
    changes: list[dict[str, Any]] = []
    histories = [
        ("dossier", list(youth.history.order_by("history_date", "history_id"))),
        *[
            (f"note n° {note.pk}", list(note.history.order_by("history_date", "history_id")))
            for note in notes
        ],
    ]
    labels = {f.name: str(f.verbose_name) for f in Youth._meta.fields + Note._meta.fields}
    for subject, versions in histories:
        for previous, version in itertools.pairwise(versions):
            diff = version.diff_against(previous)
            lines = [
                {
                    "field": change.field,
                    "label": labels.get(change.field, change.field),
                    "old": change.old,
                    "new": change.new,
                }
                for change in diff.changes
                if subject != "dossier" or change.field in visible_fields
            ]
            if lines:
                changes.append(
                    {
                        "subject": subject,
                        "at": version.history_date,
                        "by": version.history_user.email if version.history_user else "",
                        "changes": lines,
                    }
                )
    return changes


def build_export(user: Any, youth: Youth) -> YouthExport:
    """Gather what the user may read about the youth, category by category (each access
    audited); categories the policy refuses are withheld and said so."""
    duty = check_duty(user, youth, Duty.EXPORT)
    grants: dict[str, Grant | None] = check_categories(
        user, youth, Category.values, rights=EXPORT_RIGHTS, reason=str(Duty.EXPORT.label)
    )
    notes = list(youth.notes.select_related("author_organisation"))
    documents = list(youth.documents.select_related("author_organisation"))
    # complete when every organisation accompanying the youth is covered (whether another
    # one holds data in a category is itself not disclosed)
    accompanying = set(youth.access_facts(timezone.localdate()).relations)
    categories: list[ExportedCategory] = []
    visible_fields: set[str] = set()
    visible_notes: list[Note] = []
    for category in Category:
        grant = grants[category]
        if grant is None:
            categories.append(
                ExportedCategory(category, str(category.label), ExportStatus.WITHHELD, [], [], [])
            )
            continue
        exported, names, own_notes = _exported_category(
            youth, category, grant, notes, documents, accompanying
        )
        visible_fields.update(names)
        visible_notes.extend(own_notes)
        categories.append(exported)
    identity = grants[Category.IDENTITY] is not None
    return YouthExport(
        youth=youth,
        exported_at=timezone.now(),
        exported_by=user.email,
        organisation=Organisation.objects.get(pk=duty.organisation_id).name,
        categories=categories,
        assignments=_assignment_entries(youth) if identity else [],
        consents=_consent_entries(youth) if identity else [],
        erasure_requests=_erasure_request_entries(youth),
        rectifications=_rectifications(youth, visible_fields, visible_notes),
        access_log=_access_log_entries(youth),
    )


def _exported_category(
    youth: Youth,
    category: Category,
    grant: Grant,
    notes: list[Note],
    documents: list[Document],
    accompanying: set[int],
) -> tuple[ExportedCategory, list[str], list[Note]]:
    """A category the user may read: the record's fields, notes and documents of the
    organisations the grant covers; with the fields and notes shown, for the rectifications."""
    names = (
        FIELD_CATEGORIES.get(category, [])
        if grant.covers_author(youth.owner_organisation_id)
        else []
    )
    own_notes = [
        n for n in notes if n.category == category and grant.covers_author(n.author_organisation_id)
    ]
    exported = ExportedCategory(
        category,
        str(category.label),
        ExportStatus.COMPLETE
        if all(grant.covers_author(organisation) for organisation in accompanying)
        else ExportStatus.OWN_ONLY,
        [_field_entry(youth, name) for name in names],
        [
            {
                "id": n.pk,
                "date": n.occurred_on,
                "title": n.title,
                "text": n.text,
                "organisation": str(n.author_organisation),
            }
            for n in own_notes
        ],
        [
            {
                "id": d.pk,
                "title": d.title,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "deposited_at": d.created_at,
                "organisation": str(d.author_organisation),
            }
            for d in documents
            if d.category == category and grant.covers_author(d.author_organisation_id)
        ],
    )
    return exported, names, own_notes


def _assignment_entries(youth: Youth) -> list[dict[str, Any]]:
    """The organisations accompanying the youth, past and present."""
    return [
        {
            "organisation": str(a.organisation),
            "relation": a.get_relation_display(),
            "role": a.role,
            "start_date": a.start_date,
            "end_date": a.end_date,
        }
        for a in youth.assignments.select_related("organisation")
    ]


def _consent_entries(youth: Youth) -> list[dict[str, Any]]:
    """The consents and legal-basis shares, with their state."""
    return [
        {
            "organisation": str(c.organisation),
            "categories": c.category_labels,
            "purpose": c.purpose,
            "basis": c.get_basis_display(),
            "given_by": c.get_given_by_display(),
            "method": c.get_method_display(),
            "start_date": c.start_date,
            "end_date": c.end_date,
            "withdrawn_at": c.withdrawn_at,
            "state": c.state_label,
        }
        for c in youth.consents.select_related("organisation")
    ]


def _erasure_request_entries(youth: Youth) -> list[dict[str, Any]]:
    """The erasure requests and their decisions."""
    return [
        {
            "received_on": r.received_on,
            "requester": r.get_requester_display(),
            "reason": r.reason,
            "status": r.get_status_display(),
            "decided_at": r.decided_at,
            "decision_motive": r.decision_motive,
        }
        for r in youth.erasure_requests.all()
    ]


def _access_log_entries(youth: Youth) -> list[dict[str, Any]]:
    """Every line of the record's access log, oldest first."""
    return [
        {
            "at": line.at,
            "person": line.user_email,
            "organisation": line.organisation_name,
            "event": line.get_event_display(),
            "category": CATEGORY_LABELS.get(line.category, line.category),
            "reason": line.reason,
        }
        for line in AuditLog.objects.filter(youth_id=youth.pk).order_by("at", "id")
    ]
