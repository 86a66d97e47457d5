"""What the road to 18 of a hosted minor shows a reader: each part as far as the access
policy lets the reader's organisation read it (schooling: education and employment; the
permit file: administrative documents; the interview, reminders and decision: housing),
and the coordination's list of the coming majorities with their readiness."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Category,
    Grant,
    active_memberships,
    check_categories,
    decide,
)
from coparcours.housing import rules
from coparcours.housing.models.majority import AfterEighteen, MajorityReminder
from coparcours.housing.models.road18 import (
    PermitPieceKind,
    PermitPreparation,
    PermitRoute,
    PreparationInterview,
    Schooling,
)
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors.stays import visible_stays
from coparcours.housing.services import road18 as road18_services
from coparcours.organisations.models import Consortium
from coparcours.youths.models.records import access_facts_for
from coparcours.youths.rules import MAJORITY_AGE, add_years

#: The categories the road to 18 shows, each decided and audited once per page.
CATEGORIES = [Category.HOUSING, Category.EDUCATION_EMPLOYMENT, Category.ADMIN_DOCUMENTS]


@dataclass
class PermitFile:
    """The permit preparation with its rule, window and checklist."""

    preparation: PermitPreparation
    route: PermitRoute
    opens: datetime.date
    deadline: datetime.date
    checklist: list[tuple[PermitPieceKind, bool]]

    @property
    def gathered(self) -> int:
        return sum(1 for _, held in self.checklist if held)


@dataclass
class Road:
    """A hosted youth's road to 18, each part ``None`` where the reader may not read it."""

    stay: Stay
    today: datetime.date
    schoolings: list[Schooling] | None = None
    permit: PermitFile | None = None
    permit_readable: bool = False
    interviews: list[PreparationInterview] | None = None
    decisions: list[AfterEighteen] = field(default_factory=list)
    reminders: list[MajorityReminder] = field(default_factory=list)

    @property
    def events(self) -> list[tuple[datetime.date, str]]:
        """The timeline: every dated step the reader may read, in order."""
        youth = self.stay.youth
        events = [(self.stay.start_date, f"Entrée sur le site {self.stay.site.name}")]
        for schooling in self.schoolings or []:
            events.append((schooling.start_date, f"Scolarité : {schooling}"))
        if self.permit:
            preparation = self.permit.preparation
            events.append((preparation.entrusted_on, "Confié·e à l'ASE"))
            events.append((self.permit.opens, "Ouverture de la préparation du titre de séjour"))
            events.append(
                (
                    self.permit.deadline,
                    f"Dernier jour du dépôt ({self.permit.route.deadline_article})",
                )
            )
        for interview in self.interviews or []:
            events.append((interview.held_on, "Entretien de préparation à la majorité"))
        if youth.majority_date:
            events.append((youth.majority_date, "18 ans"))
        for decision in self.decisions:
            events.append((decision.start_date, f"Décision : {decision.get_decision_display()}"))
        return sorted(events, key=lambda event: event[0])


def permit_file(preparation: PermitPreparation, day: datetime.date) -> PermitFile | None:
    """The preparation's route in force, its window and its checklist."""
    routes = road18_services.routes_in_force(day)
    return _file_from(preparation, routes, list(PermitPieceKind.objects.all()), day)


def road_of(user: Any, stay: Stay) -> Road:
    """The youth's road to 18 as the user may read it (one audited line per category)."""
    youth = stay.youth
    grants = check_categories(user, youth, CATEGORIES)
    road = Road(stay=stay, today=timezone.localdate())
    housing = grants[Category.HOUSING]
    if housing:
        road.interviews = [
            row
            for row in PreparationInterview.objects.filter(youth=youth)
            if housing.covers_author(row.author_organisation_id)
        ]
        road.decisions = [
            row
            for row in AfterEighteen.objects.filter(youth=youth).order_by("start_date")
            if housing.covers_author(row.author_organisation_id)
        ]
        road.reminders = list(MajorityReminder.objects.filter(youth=youth))
    schooling = _opened(grants[Category.EDUCATION_EMPLOYMENT], stay)
    if schooling:
        road.schoolings = [
            row
            for row in Schooling.objects.filter(youth=youth)
            if schooling.covers_author(row.author_organisation_id)
        ]
    documents = _opened(grants[Category.ADMIN_DOCUMENTS], stay)
    if documents:
        road.permit_readable = True
        preparation = (
            PermitPreparation.objects.filter(youth=youth)
            .select_related("youth")
            .prefetch_related("pieces")
            .first()
        )
        if preparation and documents.covers_author(preparation.author_organisation_id):
            road.permit = permit_file(preparation, road.today)
    return road


def _opened(grant: Grant | None, stay: Stay) -> Grant | None:
    """The grant when it covers the hosting member's data (its own, or shared with the
    reader): the road to 18 is recorded by the member hosting the youth."""
    return grant if grant and grant.covers_author(stay.author_organisation_id) else None


def current_schooling(user: Any, stay: Stay) -> tuple[bool, Schooling | None]:
    """Whether the user may read the hosted youth's schooling, and the latest one (a
    transfer's page): audited once."""
    youth = stay.youth
    grant = _opened(
        check_categories(user, youth, [Category.EDUCATION_EMPLOYMENT])[
            Category.EDUCATION_EMPLOYMENT
        ],
        stay,
    )
    if not grant:
        return False, None
    rows = Schooling.objects.filter(youth=youth)
    return True, next((r for r in rows if grant.covers_author(r.author_organisation_id)), None)


@dataclass
class Readiness:
    """A row of the coordination's list: a hosted minor turning 18 and how ready they are."""

    stay: Stay
    interview: bool
    decision: bool
    permit: PermitFile | None
    permit_readable: bool


def coming_majorities(user: Any, consortium: Consortium, months: int) -> list[Readiness]:
    """The GME's hosted minors turning 18 within ``months``, nearest first, with their
    readiness: the interview held and the decision taken (housing, the coordination's basis),
    the permit file where the policy opens it. A query per kind of row, whatever the number."""
    day = timezone.localdate()
    youngest = add_years(day + relativedelta(months=months), -MAJORITY_AGE)
    stays = Stay.objects.active(day).filter(
        site__consortium=consortium,
        youth__birth_date__gt=add_years(day, -MAJORITY_AGE),
        youth__birth_date__lte=youngest,
    )
    stays = sorted(
        visible_stays(user, stays, few_rows=True), key=lambda s: (s.youth.birth_date, s.pk)
    )
    youth_ids = [stay.youth_id for stay in stays]
    interviewed = set(
        PreparationInterview.objects.filter(youth_id__in=youth_ids).values_list(
            "youth_id", flat=True
        )
    )
    decided = set(
        AfterEighteen.objects.filter(youth_id__in=youth_ids).values_list("youth_id", flat=True)
    )
    preparations = {
        p.youth_id: p
        for p in PermitPreparation.objects.filter(youth_id__in=youth_ids)
        .select_related("youth")
        .prefetch_related("pieces")
    }
    facts = access_facts_for({s.youth_id: s.youth.owner_organisation_id for s in stays}, day)
    memberships = active_memberships(user, day)
    kinds = list(PermitPieceKind.objects.all())
    routes = road18_services.routes_in_force(day)
    rows = []
    for stay in stays:
        preparation = preparations.get(stay.youth_id)
        grant = _opened(
            decide(memberships, facts[stay.youth_id], Category.ADMIN_DOCUMENTS, Action.READ), stay
        )
        permit = None
        if grant and preparation and grant.covers_author(preparation.author_organisation_id):
            permit = _file_from(preparation, routes, kinds, day)
        interview, decision = stay.youth_id in interviewed, stay.youth_id in decided
        rows.append(Readiness(stay, interview, decision, permit, grant is not None))
    return rows


def _file_from(
    preparation: PermitPreparation,
    routes: list[PermitRoute],
    kinds: list[PermitPieceKind],
    day: datetime.date,
) -> PermitFile | None:
    route = next((r for r in routes if r.code == preparation.route), None)
    if route is None:
        return None
    opens, deadline = rules.permit_window(preparation.youth.birth_date, route)
    held = {piece.kind_id for piece in preparation.pieces.all()}
    checklist = [
        (kind, kind.pk in held)
        for kind in kinds
        if kind.route in ("", preparation.route)
        and kind.valid_from <= day
        and (kind.valid_until is None or day < kind.valid_until)
    ]
    return PermitFile(preparation, route, opens, deadline, checklist)
