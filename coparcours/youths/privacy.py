"""Data-protection rights on a youth's record: export, retention, anonymisation, erasure.

References: RGPD art. 15 (access, the export), 17 (erasure), 5-1-e (storage limitation);
CNIL référentiels 2021-028 (social and medico-social support), 2022-008 (child
protection and young adults) and 2023-095 (retention in the social sector: active data two
years after the last contact, then deletion or anonymisation).
"""

from __future__ import annotations

import calendar
import datetime
import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.dispatch import Signal
from django.utils import timezone

from coparcours.core.access import (
    EXPORT_RIGHTS,
    Category,
    Duty,
    Grant,
    check_categories,
    check_duty,
)
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Membership, Organisation
from coparcours.youths.models import (
    FIELD_CATEGORIES,
    Assignment,
    Consent,
    Document,
    ErasureRequest,
    ErasureRequester,
    ErasureStatus,
    Note,
    RetentionRule,
    RetentionScope,
    Youth,
)

logger = logging.getLogger(__name__)

#: Sent by the daily retention job once the records are done, with ``today``: the apps
#: downstream (CEJ-JR data kept ten years after the contract ends) apply their own dated
#: periods without this app importing them (docs/conventions.md: data flows one way).
retention_applied = Signal()

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

_FLOOR = datetime.date(1900, 1, 1)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- Last contact and retention --------------------------------------------------------


def _latest(queryset: models.QuerySet, expression: Any) -> Coalesce:
    """The latest date of a related row of the youth (a correlated subquery), or the floor."""
    latest = (
        queryset.filter(youth=OuterRef("pk"))
        .order_by()
        .values("youth")
        .annotate(latest=Max(expression))
        .values("latest")[:1]
    )
    return Coalesce(Subquery(latest), Value(_FLOOR), output_field=models.DateField())


def with_last_contact(youths: models.QuerySet, today: datetime.date) -> models.QuerySet:
    """Annotate ``last_contact``: the latest of the recorded last contact, the opening of the
    record, notes, documents, consents (given or withdrawn) and assignments (an assignment
    still running counts as a contact today)."""
    return youths.annotate(
        last_contact=Greatest(
            Coalesce("last_contact_on", Value(_FLOOR), output_field=models.DateField()),
            TruncDate("created_at"),
            _latest(Note.objects.all(), "occurred_on"),
            _latest(Document.objects.all(), TruncDate("created_at")),
            _latest(Consent.objects.all(), "start_date"),
            _latest(Consent.objects.filter(withdrawn_at__isnull=False), TruncDate("withdrawn_at")),
            _latest(
                Assignment.objects.all(),
                Coalesce("end_date", Value(today), output_field=models.DateField()),
            ),
            output_field=models.DateField(),
        )
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


def _purge_category(youth: Youth, category: str) -> bool:
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


def _anonymise_locked(youth: Youth, user: Any, reason: str) -> None:
    """Anonymise inside the caller's transaction (the youth row is locked)."""
    for category in Category.values:
        _purge_category(youth, category)
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
        _anonymise_locked(youth, user, reason)
    delete_erased_files([youth_id])
    return True


@dataclass
class RetentionReport:
    anonymised: list[int] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)
    files_deleted: int = 0


def apply_retention(today: datetime.date | None = None) -> RetentionReport:
    """The retention job: anonymise the records whose every category is past its retention
    period after the last contact; before that, erase the categories already past theirs.

    One transaction per youth: a crash leaves each record either untouched or done, and the
    next run resumes (running twice changes nothing).
    """
    today = today or timezone.localdate()
    months = RetentionRule.objects.months_by_category(RetentionScope.LAST_CONTACT, today)
    report = RetentionReport(files_deleted=delete_erased_files())
    if not months:
        retention_applied.send(sender=RetentionRule, today=today)
        return report
    cutoffs = {category: months_before(today, m) for category, m in months.items()}
    candidates = (
        with_last_contact(Youth.objects.active(), today)
        .filter(last_contact__lte=max(cutoffs.values()))
        .values_list("pk", "last_contact")
        .order_by("pk")
    )
    for youth_id, last_contact in candidates.iterator():
        expired = [c for c, cutoff in cutoffs.items() if last_contact <= cutoff]
        if len(expired) == len(Category.values):
            label = f"durée de conservation échue (dernier contact le {last_contact:%d/%m/%Y})"
            if anonymise_youth(youth_id, reason=label):
                report.anonymised.append(youth_id)
        elif _purge_expired_categories(youth_id, expired, last_contact):
            report.purged.append(youth_id)
    report.files_deleted += delete_erased_files(report.purged)
    retention_applied.send(sender=RetentionRule, today=today)
    logger.info(
        "Retention: %d anonymised, %d purged, %d files deleted",
        len(report.anonymised),
        len(report.purged),
        report.files_deleted,
    )
    return report


def _purge_expired_categories(
    youth_id: int, categories: list[str], last_contact: datetime.date
) -> bool:
    with transaction.atomic():
        youth = (
            Youth.objects.select_for_update()
            .select_related("owner_organisation")
            .filter(pk=youth_id, anonymised_at__isnull=True)
            .first()
        )
        if youth is None:
            return False
        purged = [category for category in categories if _purge_category(youth, category)]
        if purged:
            labels = ", ".join(str(Category(c).label) for c in purged)
            record(
                None,
                AuditEvent.WRITE,
                organisation=youth.owner_organisation,
                youth_id=youth.pk,
                obj=youth,
                reason=f"Effacement à l'échéance de conservation ({labels}) ; dernier contact "
                f"le {last_contact:%d/%m/%Y}",
            )
        return bool(purged)


# --- Erasure requests ------------------------------------------------------------------


def record_erasure_request(
    user: Any,
    youth: Youth,
    *,
    received_on: datetime.date,
    requester: str,
    reason: str,
) -> ErasureRequest:
    """A referent records the youth's request to erase their data (RGPD art. 17)."""
    grant = check_duty(user, youth, Duty.ERASURE_REQUEST)  # a refusal stays in the log
    errors: dict[str, str] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = "La demande ne peut pas être datée dans le futur."
    if requester not in ErasureRequester.values:
        errors["requester"] = "Indiquez qui fait la demande."
    if not reason.strip():
        errors["reason"] = "Indiquez le motif de la demande, dans les mots du jeune."
    if youth.erasure_requests.filter(status=ErasureStatus.PENDING).exists():
        errors["__all__"] = "Une demande d'effacement attend déjà une décision pour ce jeune."
    if errors:
        raise ValidationError(errors)
    request = ErasureRequest(
        youth=youth,
        received_on=received_on,
        requester=requester,
        reason=reason.strip(),
        author_organisation_id=grant.organisation_id,
        recorded_by=user,
    )
    request.full_clean()
    with transaction.atomic():
        request.save()
        record(
            user,
            AuditEvent.WRITE,
            organisation=youth.owner_organisation,
            youth_id=youth.pk,
            obj=request,
            reason="Demande d'effacement enregistrée",
        )
    return request


def decide_erasure_request(
    user: Any, request: ErasureRequest, *, approve: bool, motive: str
) -> ErasureRequest:
    """The data-protection officer (or the director) approves or refuses, with a motive.

    Approval anonymises the record at once, in the same transaction as the decision.
    """
    check_duty(user, request.youth, Duty.ERASURE_DECISION, obj=request)
    if not motive.strip():
        raise ValidationError({"motive": "Motivez la décision : elle sera communiquée au jeune."})
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        youth = (
            Youth.objects.select_for_update()
            .select_related("owner_organisation")
            .get(pk=request.youth_id)
        )
        if request.status != ErasureStatus.PENDING:
            raise ValidationError("Cette demande a déjà été tranchée.")
        request.status = ErasureStatus.APPROVED if approve else ErasureStatus.REFUSED
        request.decided_at = timezone.now()
        request.decided_by = user
        request.decision_motive = motive.strip()
        request.save()
        record(
            user,
            AuditEvent.WRITE,
            organisation=youth.owner_organisation,
            youth_id=youth.pk,
            obj=request,
            reason=f"Demande d'effacement {'acceptée' if approve else 'refusée'} : "
            f"{request.decision_motive}",
        )
        if approve and youth.anonymised_at is None:
            _anonymise_locked(youth, user, f"demande d'effacement n° {request.pk} acceptée")
    if approve:
        delete_erased_files([youth.pk])
    return request


# --- Export (right of access) ----------------------------------------------------------


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
        names = (
            FIELD_CATEGORIES.get(category, [])
            if grant.covers_author(youth.owner_organisation_id)
            else []
        )
        visible_fields.update(names)
        own_notes = [
            n
            for n in notes
            if n.category == category and grant.covers_author(n.author_organisation_id)
        ]
        visible_notes.extend(own_notes)
        categories.append(
            ExportedCategory(
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
        )
    identity = grants[Category.IDENTITY] is not None
    return YouthExport(
        youth=youth,
        exported_at=timezone.now(),
        exported_by=user.email,
        organisation=Organisation.objects.get(pk=duty.organisation_id).name,
        categories=categories,
        assignments=[
            {
                "organisation": str(a.organisation),
                "relation": a.get_relation_display(),
                "role": a.role,
                "start_date": a.start_date,
                "end_date": a.end_date,
            }
            for a in youth.assignments.select_related("organisation")
        ]
        if identity
        else [],
        consents=[
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
        if identity
        else [],
        erasure_requests=[
            {
                "received_on": r.received_on,
                "requester": r.get_requester_display(),
                "reason": r.reason,
                "status": r.get_status_display(),
                "decided_at": r.decided_at,
                "decision_motive": r.decision_motive,
            }
            for r in youth.erasure_requests.all()
        ],
        rectifications=_rectifications(youth, visible_fields, visible_notes),
        access_log=[
            {
                "at": line.at,
                "person": line.user_email,
                "organisation": line.organisation_name,
                "event": line.get_event_display(),
                "category": CATEGORY_LABELS.get(line.category, line.category),
                "reason": line.reason,
            }
            for line in AuditLog.objects.filter(youth_id=youth.pk).order_by("at", "id")
        ],
    )


# --- Organisation-wide audit search -----------------------------------------------------


def organisation_audit(
    organisation_id: int,
    *,
    person: str = "",
    youth_id: int | None = None,
    event: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> models.QuerySet[AuditLog]:
    """The audit lines of an organisation, newest first: accesses granted through it,
    accesses (by anyone) to the youths it owns, and its members' lines bound to no
    organisation (logins, refusals). One query per page, whatever the log's size."""
    members = Membership.objects.filter(organisation_id=organisation_id).values("user_id")
    owned = Youth.objects.filter(owner_organisation_id=organisation_id).values("pk")
    lines = AuditLog.objects.filter(
        Q(organisation_id=organisation_id)
        | Q(youth_id__in=owned)
        | Q(organisation_id__isnull=True, user_id__in=members)
    )
    if person:
        lines = lines.filter(user_email__icontains=person)
    if youth_id is not None:
        lines = lines.filter(youth_id=youth_id)
    if event:
        lines = lines.filter(event=event)
    if start is not None:
        lines = lines.filter(at__date__gte=start)
    if end is not None:
        lines = lines.filter(at__date__lte=end)
    return lines.order_by("-at", "-id")
