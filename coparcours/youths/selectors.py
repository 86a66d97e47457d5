"""Read queries on youths, always through the access policy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coparcours.core.access import (
    CASEWORK_ROLES,
    Category,
    Duty,
    Grant,
    check_categories,
    visible_youth_owners,
    visible_youths,
    youths_for_duty,
)
from coparcours.organisations.models import Membership, Organisation
from coparcours.youths import stages
from coparcours.youths.models import Assignment, Consent, Document, Note, Youth
from coparcours.youths.models.records import FIELD_CATEGORIES
from coparcours.youths.services import likely_duplicates


class CaseloadScope:
    MINE = "mine"
    ORGANISATION = "organisation"
    SHARED = "shared"
    ALL = "all"


def caseload(
    user: Any,
    *,
    acting_organisation_id: int | None,
    scope: str = CaseloadScope.ORGANISATION,
    referent_id: int | None = None,
    organisation_id: int | None = None,
    text: str = "",
    stage: str = "",
) -> QuerySet[Youth]:
    """The caseload list: my youths, my organisation's, or those shared with us.

    ``stage`` is a pathway stage registered in :mod:`coparcours.youths.stages`
    (e.g. ``"cej:remobilisation"``); a youth matches only if the user may read it.
    """
    youths = visible_youths(user, Youth.objects.active())
    if scope == CaseloadScope.MINE:
        youths = youths.filter(referent=user)
    elif scope == CaseloadScope.SHARED and acting_organisation_id:
        youths = youths.exclude(owner_organisation_id=acting_organisation_id)
    elif scope == CaseloadScope.ORGANISATION and acting_organisation_id:
        youths = youths.filter(owner_organisation_id=acting_organisation_id)
    if referent_id:
        youths = youths.filter(referent_id=referent_id)
    if organisation_id:
        youths = youths.filter(owner_organisation_id=organisation_id)
    for word in text.split():
        youths = youths.filter(
            Q(last_name__icontains=word)
            | Q(first_names__icontains=word)
            | Q(last_name_key__contains=word.casefold())
        )
    if stage:
        youths = stages.at_stage(user, youths, stage, timezone.localdate())
    return youths.select_related("owner_organisation", "referent").order_by(
        "last_name", "first_names", "pk"
    )


#: What a caseload row shows (name, age, MNA tag, organisation, referent): the list reads
#: these columns only, not the whole record of each youth (32 columns) and of its joins.
CASELOAD_ROW_FIELDS = (
    "last_name",
    "first_names",
    "birth_date",
    "is_unaccompanied_minor",
    "owner_organisation__name",
    "referent__first_name",
    "referent__last_name",
    "referent__email",
)


def caseload_referents(acting_organisation_id: int | None) -> QuerySet:
    """People who may be referents in the acting organisation (for the caseload filter):
    their names only, never their password hashes and other account fields."""
    return (
        get_user_model()
        .objects.filter(
            memberships__in=Membership.objects.active().filter(
                organisation_id=acting_organisation_id, role__in=CASEWORK_ROLES
            )
        )
        .only("first_name", "last_name", "email")
        .distinct()
        .order_by("last_name", "first_name")
    )


def caseload_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations owning at least one youth the user may list."""
    return visible_youth_owners(user, Youth.objects.active()).order_by("name")


def youth_for(user: Any, youth_id: int) -> Youth:
    """A youth the user's organisations accompany, or 404 (no hint that it exists)."""
    return get_object_or_404(
        visible_youths(user, Youth.objects.active(), few_rows=True, lookup=True).select_related(
            "owner_organisation", "referent"
        ),
        pk=youth_id,
    )


def youth_known_to(user: Any, youth_id: int) -> Youth:
    """A youth the user's organisations accompany, or on which they hold a data-protection
    duty (every duty's holders may read the access log), else 404 as for an id naming
    nobody: a workflow's refusal (the export's) then explains itself only to those who
    already know the youth (Code pénal 226-13)."""
    youths = Youth.objects.active().select_related("owner_organisation")
    youth = (
        visible_youths(user, youths, few_rows=True).filter(pk=youth_id).first()
        or youths_for_duty(user, youths, Duty.ACCESS_LOG).filter(pk=youth_id).first()
    )
    if youth is None:
        raise Http404
    return youth


def accompaniments_and_consents(youth: Youth) -> tuple[list[Assignment], list[Consent]]:
    """Every co-accompaniment and consent of a youth the user may open (the record shows
    them all), kept on the youth: the access policy then takes the facts in force from
    them instead of reading them again (``Youth.access_facts``)."""
    prefetch_related_objects(
        [youth],
        Prefetch("assignments", queryset=Assignment.objects.select_related("organisation")),
        Prefetch(
            "consents",
            queryset=Consent.objects.select_related("organisation", "author_organisation"),
        ),
    )
    return list(youth.assignments.all()), list(youth.consents.all())


@dataclass
class CategoryView:
    category: str
    label: str
    grant: Grant | None
    fields: list[tuple[str, Any]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return self.grant is not None

    @property
    def only_own(self) -> bool:
        return self.grant is not None and not self.grant.all_authors


def _display(youth: Youth, name: str) -> Any:
    model_field = Youth._meta.get_field(name)
    if model_field.choices:
        return getattr(youth, f"get_{name}_display")()
    return getattr(youth, name)


def category_view(
    youth: Youth,
    category: str,
    grant: Grant | None,
    notes: Iterable[Note],
    documents: Iterable[Document],
) -> CategoryView:
    """One category of the record as far as ``grant`` shows it (nothing without one): the
    youth's fields held by the owner, the notes and documents of the authors it covers.
    The grant is already decided and audited by the caller."""
    label = Category(category).label
    if grant is None:
        return CategoryView(category, label, None)
    return CategoryView(
        category,
        label,
        grant,
        fields=[
            (Youth._meta.get_field(name).verbose_name, _display(youth, name))
            for name in FIELD_CATEGORIES.get(category, [])
        ]
        if grant.covers_author(youth.owner_organisation_id)
        else [],
        notes=[
            n
            for n in notes
            if n.category == category and grant.covers_author(n.author_organisation_id)
        ],
        documents=[
            d
            for d in documents
            if d.category == category and grant.covers_author(d.author_organisation_id)
        ],
    )


def record_view(user: Any, youth: Youth) -> list[CategoryView]:
    """The record grouped by category; each category is shown only as far as policy allows."""
    notes = list(youth.notes.select_related("author", "author_organisation"))
    documents = list(youth.documents.select_related("author_organisation"))
    grants = check_categories(user, youth, Category.values)
    return [
        category_view(youth, category, grants[category], notes, documents) for category in Category
    ]


def visible_youth_ids(user: Any, youth_ids: list[int]) -> list[int]:
    """Which of these youths the user's organisations accompany."""
    if not youth_ids:
        return []
    return list(
        visible_youths(user, Youth.objects.filter(pk__in=youth_ids), few_rows=True).values_list(
            "pk", flat=True
        )
    )


@dataclass(frozen=True)
class DuplicateCheck:
    """Likely duplicates of a new record, split by what the user may know of them.

    ``visible``: records the user's organisations accompany (shown with a link);
    ``elsewhere``: how many others exist, never who they are nor where (a search must not
    reveal which organisations accompany a youth).
    """

    visible: list[Youth]
    elsewhere: int

    @property
    def found(self) -> bool:
        return bool(self.visible) or self.elsewhere > 0


def duplicate_check(
    user: Any, last_name: str, first_names: str, birth_date: datetime.date | None
) -> DuplicateCheck:
    """The duplicate warning shown before a youth record is created, by any entry point."""
    duplicates = list(likely_duplicates(last_name, first_names, birth_date))
    visible_ids = set(visible_youth_ids(user, [youth.pk for youth in duplicates]))
    visible = [youth for youth in duplicates if youth.pk in visible_ids]
    return DuplicateCheck(visible=visible, elsewhere=len(duplicates) - len(visible))


@dataclass(frozen=True)
class TimelineEvent:
    day: Any
    label: str
    detail: str = ""


def timeline(
    youth: Youth,
    sections: list[CategoryView],
    assignments: list[Assignment],
    consents: list[Consent],
) -> list[TimelineEvent]:
    """Dated events of the record the user may see, newest first, from the sections, the
    co-accompaniments and the consents the record page shows."""
    events = [
        TimelineEvent(
            youth.created_at.date(), "Ouverture du dossier", str(youth.owner_organisation)
        )
    ]
    for assignment in assignments:
        events.append(
            TimelineEvent(assignment.start_date, "Début de co-accompagnement", str(assignment))
        )
        if assignment.end_date:
            events.append(
                TimelineEvent(assignment.end_date, "Fin de co-accompagnement", str(assignment))
            )
    for consent in consents:
        detail = f"{consent.organisation} : {', '.join(consent.category_labels)}"
        events.append(TimelineEvent(consent.start_date, consent.get_basis_display(), detail))
        if consent.withdrawn_at:
            events.append(
                TimelineEvent(consent.withdrawn_at.date(), "Retrait du consentement", detail)
            )
    for section in sections:
        for note in section.notes:
            events.append(TimelineEvent(note.occurred_on, f"Note — {section.label}", note.title))
        for document in section.documents:
            events.append(
                TimelineEvent(
                    document.created_at.date(), f"Document — {section.label}", document.title
                )
            )
    return sorted(events, key=lambda event: event.day, reverse=True)
