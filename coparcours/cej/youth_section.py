"""The CEJ-JR pathway's part of the youth's own space (``space.programmes``): their next
appointments and activities, their hours this week, their plan's open actions, the pieces
of their administrative file, whom to call. The space shows no more than the link's
creator may read today: each appointment, action and hour is decided by the access policy
with its category and author organisation, so a counsellor's link never shows a care
appointment's nature nor a health action (Code pénal 226-13; CASF L.226-2-2;
docs/youth-space.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.models import ActionPlan, DossierItem, Pathway, PlanAction
from coparcours.cej.models.plan import ActionStatus
from coparcours.cej.rules import Stage
from coparcours.cej.selectors import PlannedActivity
from coparcours.cej.services.hours import (
    WeekHours,
    fold_minutes,
    week_hours,
    weekly_minutes_by_author,
)
from coparcours.cej.services.plan import partners_of
from coparcours.cej.youth_contacts import contacts_of
from coparcours.cej.youth_papers import papers_of
from coparcours.core.access import (
    Action,
    Category,
    Grant,
    SharedAct,
    check,
    may_access,
    may_act,
    member_organisation,
    require_act,
)
from coparcours.organisations.models import Organisation
from coparcours.space.contacts import Contact
from coparcours.space.models import YouthLink
from coparcours.space.programmes import Programme
from coparcours.space.reader import Reader
from coparcours.youths.models import Youth

EE = Category.EDUCATION_EMPLOYMENT


def require_link_giver(user: Any, organisation: Organisation, pathway: Pathway) -> Grant:
    """Who gives or closes the youth's access from a pathway under way: the side of the
    pathway that holds the act (core.access.sides), writing its education-and-employment
    data (audited)."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.YOUTH_LINK)
    if pathway.stage == Stage.EXIT:
        raise ValidationError("Le parcours est terminé.")
    return check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )


def may_give_link(user: Any, organisation: Organisation | None, pathway: Pathway) -> bool:
    """The pure question behind :func:`require_link_giver`, for the pathway's pages (never
    audited): the buttons show only where the act would be granted."""
    return (
        organisation is not None
        and pathway.stage != Stage.EXIT
        and may_act(organisation.pk, pathway, SharedAct.YOUTH_LINK)
        and may_access(
            user,
            pathway.youth,
            EE,
            Action.WRITE,
            author_organisation_id=organisation.pk,
            within_organisation_id=organisation.pk,
        )
    )


def open_pathway(youth: Youth) -> Pathway | None:
    """The youth's pathway under way (one at a time), with what the space shows of it. The
    youth's few pathways are read whole: « the newest first, one row » would let
    PostgreSQL walk the whole table backwards by its key."""
    pathways = (
        Pathway.objects.filter(youth_id=youth.pk)
        .exclude(stage=Stage.EXIT)
        .select_related(
            "youth",
            "partnership__cej_settings",
            "author_organisation",
            "mission_locale",
            "referent",
            "counsellor",
        )
    )
    return max(pathways, key=lambda pathway: pathway.pk, default=None)


def readable_pathway(link: YouthLink, reader: Reader) -> Pathway | None:
    """The youth's pathway under way, when the link's creator reads its education and
    employment data; the youth's acts on it (answers, papers) go through it."""
    pathway = open_pathway(link.youth)
    if pathway is None or not reader.reads(EE, pathway.author_organisation_id):
        return None
    return pathway


@dataclass
class CejSection:
    """What the youth reads of their pathway."""

    pathway: Pathway
    week: datetime.date
    hours: WeekHours
    appointments: list[PlannedActivity] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    papers: list[DossierItem] | None = None
    contacts: list[Contact] = field(default_factory=list)

    @property
    def youth(self) -> Youth:
        return self.pathway.youth


def section(link: YouthLink, reader: Reader, day: datetime.date) -> CejSection | None:
    """The pathway's part of the page, as far as the link's creator may read it today."""
    pathway = readable_pathway(link, reader)
    if pathway is None:
        return None
    week = rules.week_start(day)
    minutes = weekly_minutes_by_author([pathway.pk], week).get(pathway.pk, [])
    authors = set(partners_of(pathway)) | {author for _org, author, _minutes in minutes}
    readable_authors = {author for author in authors if reader.reads(EE, author)}
    part = CejSection(
        pathway,
        week,
        week_hours(pathway, week, fold_minutes(minutes, readable_authors)),
        contacts=contacts_of(pathway, day),
    )
    part.appointments = [
        PlannedActivity(activity, reader.reads(activity.category, activity.author_organisation_id))
        for activity in pathway.activities.filter(
            starts_at__gte=timezone.now(), author_organisation_id__in=readable_authors
        )
        .select_related("organisation")
        .order_by("starts_at")[:10]
    ]
    plan = ActionPlan.objects.filter(pathway=pathway).first()
    if plan is not None and reader.reads(EE, plan.author_organisation_id):
        part.actions = [
            action
            for action in plan.actions.exclude(status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
            .select_related("owner_organisation")
            .order_by("due_on")
            if reader.reads(action.category, action.author_organisation_id)
        ]
    part.papers = papers_of(pathway, reader)
    return part


def accompanies(youth: Youth, day: datetime.date) -> bool:
    """A pathway under way: the youth's link opens until it ends."""
    return Pathway.objects.filter(youth_id=youth.pk).exclude(stage=Stage.EXIT).exists()


def page_of(youth: Youth, day: datetime.date) -> str | None:
    """The accompaniment page of the pathway under way, where its side gives the link."""
    pathway = open_pathway(youth)
    return reverse("cej:accompaniment", args=[pathway.pk]) if pathway is not None else None


PROGRAMME = Programme(
    key="cej",
    template="cej/youth_section.html",
    accompanies=accompanies,
    section=section,
    page_of=page_of,
)
