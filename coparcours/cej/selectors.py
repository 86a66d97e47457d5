"""Read queries on CEJ-JR pathways, always through the access policy.

Lists start from ``visible_youth_data`` and decide each row's category with the policy's pure
``decide`` on facts gathered in bulk (a bounded number of queries per page).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst

from coparcours.cej import charts, rules
from coparcours.cej.models import (
    ActionPlan,
    Activity,
    AgendaItem,
    CommitteeMeeting,
    Contact,
    DossierItem,
    EligibilityCheck,
    Interview,
    MissedAction,
    PaceaAllowanceRequest,
    Pathway,
    PlanAction,
    Review,
    ReviewRating,
    WeeklyFollowUp,
)
from coparcours.cej.services.eligibility import compute_eligibility
from coparcours.cej.services.hours import (
    WeekHours,
    fold_minutes,
    local_midnight,
    week_hours,
    weekly_minutes_by_author,
)
from coparcours.cej.services.plan import partners_of
from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Grant,
    active_memberships,
    check,
    check_categories,
    decide,
    guard,
    organisations_where,
    visible_youth_data,
)
from coparcours.core.audit import entry, record_many
from coparcours.core.models import AuditEvent
from coparcours.core.pagination import PageConverted
from coparcours.organisations.models import Consortium, ConsortiumKind, Organisation
from coparcours.youths.models.records import access_facts_for

EE = Category.EDUCATION_EMPLOYMENT


@dataclass
class Row:
    """A pathway in a list: ``visible`` is false when its data is protected for the user."""

    pathway: Pathway
    visible: bool


def _grants(user: Any, pathways: list[Pathway]) -> list[Grant | None]:
    """The user's grant to read each pathway (the porteur's education-and-employment
    data), decided on access facts read in bulk."""
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    facts = access_facts_for({p.youth_id: p.youth.owner_organisation_id for p in pathways}, day)
    return [
        decide(
            memberships,
            facts[p.youth_id],
            EE,
            Action.READ,
            author_organisation_id=p.author_organisation_id,
        )
        for p in pathways
    ]


def _rows(user: Any, pathways: list[Pathway]) -> list[Row]:
    grants = _grants(user, pathways)
    return [Row(p, grant is not None) for p, grant in zip(pathways, grants, strict=True)]


def readable_pathway_ids(user: Any, pathway_ids: Iterable[int]) -> set[int]:
    """The pathways among ``pathway_ids`` whose pages the user may open today: a pure
    question for links (a stored report's rows link to the pathways as the policy answers
    now, not as it answered when the report was made). Three queries, no audit line."""
    pathways = list(
        Pathway.objects.filter(pk__in=list(pathway_ids), youth__anonymised_at__isnull=True)
        .select_related("youth")
        .only("youth_id", "youth__owner_organisation_id", "author_organisation_id")
    )
    return {
        pathway.pk
        for pathway, grant in zip(pathways, _grants(user, pathways), strict=True)
        if grant is not None
    }


def visible_pathways(user: Any) -> QuerySet[Pathway]:
    return visible_youth_data(user, Pathway.objects.all())


#: What a row of the pathway list shows (the youth's name, the stage and its dates, the
#: mission locale) and what deciding it needs (the youth's owner, the pathway's author):
#: the list reads these columns, not the whole pathway, youth and organisation (66 columns).
PATHWAY_ROW_FIELDS = (
    "youth__last_name",
    "youth__first_names",
    "youth__owner_organisation_id",
    "author_organisation_id",
    "stage",
    "stage_since",
    "identified_on",
    "veille_reached_on",
    "mission_locale__name",
)


def pathway_list(user: Any, *, stage: str = "", text: str = "") -> PageConverted:
    """Pathways of the youths the user's organisations accompany, by stage: a list of
    ``Row`` paginated in the database, each page's rows decided together (bounded queries
    per page whatever the number of pathways)."""
    pathways = (
        visible_pathways(user).select_related("youth", "mission_locale").only(*PATHWAY_ROW_FIELDS)
    )
    if stage in rules.Stage.values:
        pathways = pathways.filter(stage=stage)
    for word in text.split():
        pathways = pathways.filter(youth__last_name__icontains=word)
    return PageConverted(
        pathways.order_by("youth__last_name", "youth__first_names", "pk"),
        lambda page: _rows(user, page),
    )


def pathway_for(user: Any, pathway_id: int) -> Pathway:
    """A pathway the user may read, or 404 (unknown youth) / PermissionDenied (protected)."""
    pathway = _visible_pathway(user, pathway_id)
    _read_pathway(check, user, pathway)
    return pathway


def pathway_record_for(
    user: Any, pathway_id: int, records: QuerySet, record_id: int, within: str = "pathway"
) -> tuple[Pathway, Any]:
    """A record inside a pathway the user may read (a missed action, an activity, a review),
    found through ``within``: a refused read is audited first, as :func:`pathway_for`'s; the
    granted read is audited once the record is found, so that an id the pathway does not
    hold answers 404 without a line in the youth's access log."""
    pathway = _visible_pathway(user, pathway_id)
    _read_pathway(guard, user, pathway)
    found = get_object_or_404(records, pk=record_id, **{within: pathway})
    _read_pathway(check, user, pathway)
    return pathway, found


def _visible_pathway(user: Any, pathway_id: int) -> Pathway:
    return get_object_or_404(
        visible_pathways(user).select_related(
            "youth", "mission_locale", "partnership__cej_settings", "author_organisation"
        ),
        pk=pathway_id,
    )


def _read_pathway(decision: Any, user: Any, pathway: Pathway) -> None:
    decision(
        user,
        pathway.youth,
        EE,
        Action.READ,
        author_organisation_id=pathway.author_organisation_id,
        obj=pathway,
    )


@dataclass
class PathwayPage:
    pathway: Pathway
    grants: dict[str, Grant | None]
    contacts: list[Contact] = field(default_factory=list)
    checks: list[EligibilityCheck] = field(default_factory=list)
    today: rules.Eligibility | None = None
    dossier: list[DossierItem] = field(default_factory=list)
    missed_actions: list[MissedAction] = field(default_factory=list)
    pacea_requests: list[PaceaAllowanceRequest] = field(default_factory=list)

    @property
    def entry_check(self) -> EligibilityCheck | None:
        return next((c for c in self.checks if c.at_entry), None)

    @property
    def dossier_visible(self) -> bool:
        return self.grants[Category.ADMIN_DOCUMENTS] is not None


def pathway_page(user: Any, pathway: Pathway) -> PathwayPage:
    """Everything shown on a pathway's page, each category as far as the policy allows."""
    grants = check_categories(user, pathway.youth, [EE, Category.ADMIN_DOCUMENTS])
    contacts_grant = grants[EE]
    all_contacts = list(Contact.objects.filter(youth_id=pathway.youth_id))
    page = PathwayPage(pathway, grants)
    if contacts_grant:
        page.contacts = [
            c for c in all_contacts if contacts_grant.covers_author(c.author_organisation_id)
        ]
        page.checks = list(pathway.checks.select_related("checked_by", "assessed_by"))
        page.today = compute_eligibility(pathway, timezone.localdate(), all_contacts)
        page.missed_actions = [
            m
            for m in pathway.missed_actions.select_related("proposed_by")
            if contacts_grant.covers_author(m.author_organisation_id)
        ]
        page.pacea_requests = [
            r
            for r in pathway.pacea_requests.all()
            if contacts_grant.covers_author(r.author_organisation_id)
        ]
    dossier_grant = grants[Category.ADMIN_DOCUMENTS]
    if dossier_grant:
        page.dossier = [
            item
            for item in pathway.dossier_items.select_related("kind", "document")
            if dossier_grant.covers_author(item.author_organisation_id)
        ]
    return page


def partnerships_for(
    user: Any, organisation_id: int | None, *, as_porteur: bool = False
) -> QuerySet[Consortium]:
    """CEJ-JR partnerships of the organisation the user works for, in a committee role
    (``as_porteur``: only those it leads)."""
    organisation_ids = organisations_where(user, Capability.CEJ_COMMITTEE)
    if organisation_id not in organisation_ids:
        return Consortium.objects.none()
    members = {"members__organisation_id": organisation_id}
    if as_porteur:
        members["members__is_lead"] = True
    return Consortium.objects.filter(kind=ConsortiumKind.CEJ_JR, **members).distinct()


def meetings_for(user: Any, organisation_id: int | None) -> QuerySet[CommitteeMeeting]:
    return (
        CommitteeMeeting.objects.filter(partnership__in=partnerships_for(user, organisation_id))
        .select_related("partnership")
        .order_by("-date")
    )


@dataclass
class AgendaRow:
    item: AgendaItem
    visible: bool
    decision: Any = None


#: Why reading a committee's agenda is audited, by where it is read.
AGENDA_ON_PAGE = "Comité d'intégration"
AGENDA_IN_MINUTES = "Procès-verbal du comité d'intégration"
AGENDA_THROUGH_API = "Comité d'intégration (API)"


def agenda(
    user: Any, meeting: CommitteeMeeting, *, reason: str = AGENDA_ON_PAGE
) -> list[AgendaRow]:
    """The meeting's agenda; a youth whose pathway is protected for the user shows no name.
    Each youth shown is one line of the audit log (``reason``), in bounded queries."""
    items = list(meeting.items.select_related("pathway__youth", "pathway__author_organisation"))
    decisions = {d.pathway_id: d for d in meeting.decisions.select_related("meeting")}
    grants = _grants(user, [item.pathway for item in items])
    audit_reads(
        user,
        {
            item.pathway.youth_id: grant.organisation_id
            for item, grant in zip(items, grants, strict=True)
            if grant is not None
        },
        EE,
        reason,
    )
    return [
        AgendaRow(item, grant is not None, decisions.get(item.pathway_id))
        for item, grant in zip(items, grants, strict=True)
    ]


# --- Co-accompaniment ----------------------------------------------------------------

#: Weeks of hours shown on the accompaniment page (the current one and those before).
WEEKS_SHOWN = 6


#: What stands for an activity whose category is not granted to the reader for its author
#: organisation: in visible and screen-reader text, the API, the PDFs, the Monday follow-up.
CONFIDENTIAL_ACTIVITY = "activité (détail confidentiel)"


@dataclass
class PlannedActivity:
    """An activity and whether its nature (kind and title) may be shown to the reader."""

    activity: Activity
    detail_visible: bool

    @property
    def title(self) -> str:
        """The title, or the placeholder (lower case, to follow other words)."""
        return self.activity.title if self.detail_visible else CONFIDENTIAL_ACTIVITY

    @property
    def label(self) -> str:
        """ "Kind — title", or the placeholder, as a label of its own."""
        if self.detail_visible:
            return f"{self.activity.get_kind_display()} — {self.activity.title}"
        return capfirst(CONFIDENTIAL_ACTIVITY)


@dataclass
class RatedReview:
    review: Review
    ratings: list[ReviewRating]


@dataclass
class AccompanimentPage:
    pathway: Pathway
    grants: dict[str, Grant | None]
    plan: ActionPlan | None = None
    actions: list[PlanAction] = field(default_factory=list)
    hidden_actions: int = 0
    activities: list[PlannedActivity] = field(default_factory=list)
    weeks: list[WeekHours] = field(default_factory=list)
    reviews: list[RatedReview] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    chart: str = ""

    def readable(self, category: str, author_organisation_id: int) -> bool:
        grant = self.grants.get(category)
        return grant is not None and grant.covers_author(author_organisation_id)


def accompaniment_page(user: Any, pathway: Pathway, week: datetime.date) -> AccompanimentPage:
    """The plan, the activities of ``week``, the hours of recent weeks, the reviews and the
    interviews, each row as far as the policy lets the user read it (bounded queries)."""
    grants = check_categories(user, pathway.youth, Category.values)
    page = AccompanimentPage(pathway, grants)
    _add_plan(page)
    _add_activities(page, week)
    _add_weeks(page, week)
    _add_reviews(page)
    page.interviews = [
        i
        for i in pathway.interviews.select_related("note__author", "note__author_organisation")
        if page.readable(i.note.category, i.note.author_organisation_id)
    ]
    return page


def _add_plan(page: AccompanimentPage) -> None:
    """The plan, if its author's data is readable, with the actions the user may read."""
    page.plan = ActionPlan.objects.filter(pathway=page.pathway).first()
    if page.plan and not page.readable(EE, page.plan.author_organisation_id):
        page.plan = None
    if page.plan:
        actions = list(page.plan.actions.select_related("owner", "owner_organisation"))
        page.actions = [a for a in actions if page.readable(a.category, a.author_organisation_id)]
        page.hidden_actions = len(actions) - len(page.actions)


def _add_activities(page: AccompanimentPage, week: datetime.date) -> None:
    """The activities of ``week`` whose author is readable, with whether their nature is,
    and the reminders sent to the youth (one query more: the referent sees one that failed)."""
    start = local_midnight(week)
    page.activities = [
        PlannedActivity(a, page.readable(a.category, a.author_organisation_id))
        for a in page.pathway.activities.filter(
            starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)
        )
        .select_related("organisation")
        .prefetch_related("reminders")
        if page.readable(EE, a.author_organisation_id)
    ]


def _add_weeks(page: AccompanimentPage, week: datetime.date) -> None:
    """The hours of ``week`` and the weeks before it, of the authors the user may read."""
    pathway = page.pathway
    readable_authors = {org for org in partners_of(pathway) if page.readable(EE, org)}
    for back in range(WEEKS_SHOWN):
        day = week - datetime.timedelta(days=7 * back)
        rows = weekly_minutes_by_author([pathway.pk], day).get(pathway.pk, [])
        page.weeks.append(week_hours(pathway, day, fold_minutes(rows, readable_authors)))


def _add_reviews(page: AccompanimentPage) -> None:
    """The readable reviews with their readable ratings, and the chart of their progress."""
    reviews = list(page.pathway.reviews.prefetch_related("ratings"))
    page.reviews = [
        RatedReview(
            review,
            [
                r
                for r in review.ratings.all()
                if page.readable(r.category, r.author_organisation_id)
            ],
        )
        for review in reviews
        if page.readable(EE, review.author_organisation_id)
    ]
    page.chart = charts.progress_chart(
        [(f"{r.review.milestone_months} mois", r.ratings) for r in page.reviews if r.ratings]
    )


def planning(
    user: Any,
    start: datetime.date,
    end: datetime.date,
    pathway_id: int | None = None,
    *,
    reason: str = "Planning partagé",
) -> list[PlannedActivity]:
    """The shared planning: activities of the pathways the user may read, between two days
    (end excluded); a care appointment shows only as a busy slot to whoever may not read
    health data. Each youth shown is one line of the audit log (``reason``). Bounded
    queries whatever the number of activities and youths."""
    activities = list(
        Activity.objects.filter(
            pathway__in=visible_pathways(user),
            starts_at__gte=local_midnight(start),
            starts_at__lt=local_midnight(end),
        )
        .filter(**({"pathway_id": pathway_id} if pathway_id else {}))
        .select_related("pathway__youth", "organisation")
        .order_by("starts_at", "pk")
    )
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    facts = access_facts_for(
        {a.pathway.youth_id: a.pathway.youth.owner_organisation_id for a in activities}, day
    )
    rows = []
    read_through: dict[int, int] = {}  # youth id -> organisation whose grant reads it
    for activity in activities:
        youth_facts = facts[activity.pathway.youth_id]
        grant = decide(
            memberships,
            youth_facts,
            EE,
            Action.READ,
            author_organisation_id=activity.pathway.author_organisation_id,
        )
        if grant is None:
            continue
        read_through.setdefault(activity.pathway.youth_id, grant.organisation_id)
        detail = decide(
            memberships,
            youth_facts,
            activity.category,
            Action.READ,
            author_organisation_id=activity.author_organisation_id,
        )
        rows.append(PlannedActivity(activity, detail is not None))
    audit_reads(user, read_through, EE, reason)
    return rows


def audit_reads(user: Any, read_through: dict[int, int], category: str, reason: str) -> None:
    """One audit line per youth read (``{youth id: organisation id of the grant}``), in two
    queries whatever their number (the organisations' names, then one insert)."""
    if not read_through:
        return
    organisations = Organisation.objects.only("id", "name").in_bulk(set(read_through.values()))
    lines = [
        entry(
            user,
            AuditEvent.READ,
            organisation=organisations[organisation_id],
            youth_id=youth_id,
            category=category,
            reason=reason,
        )
        for youth_id, organisation_id in sorted(read_through.items())
    ]
    record_many(lines)


def follow_ups_for(user: Any) -> QuerySet[WeeklyFollowUp]:
    """A counsellor's inbox: the follow-ups addressed to them, and only those."""
    return WeeklyFollowUp.objects.filter(counsellor=user).select_related("mission_locale")


def counsellors_of(user: Any, partnerships: QuerySet[Consortium]) -> set[int]:
    """The counsellors of the youths the user may read in these partnerships (a referent
    producing the Monday follow-up by hand)."""
    return set(
        visible_pathways(user)
        .filter(partnership__in=partnerships, counsellor__isnull=False)
        .values_list("counsellor_id", flat=True)
    )
