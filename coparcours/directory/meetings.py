"""Partner meetings: copil, weekly committees and quarterly meetings of all the porteurs, and
the copil that settles disagreements between partners, with agenda, attendance, minutes,
decisions carried by a person with a due date, ICS invitations (RFC 5545) and a decision
log searchable across meetings.

These records are read by every party of the consortia: they hold no personal data about
young people (a youth is discussed in their record, under the access policy).
"""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coparcours.core.audit import record_refusal
from coparcours.directory import partners, rules
from coparcours.directory.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingKind,
)
from coparcours.organisations.models import Consortium, Membership

NO_YOUTH_DATA = (
    "Ces informations sont lues par tous les partenaires : n'y mettez aucune donnée "
    "personnelle sur un jeune (nom, situation). Parlez d'un jeune dans son dossier, "
    "sous la politique d'accès."
)
#: Kinds that come in series: weekly committees every week, porteurs' meetings every quarter.
SERIES_STEP_MONTHS = {MeetingKind.WEEKLY: 0, MeetingKind.QUARTERLY: 3}
MAX_SERIES = 52


def _party_memberships(consortium_ids: set[int]) -> QuerySet[Membership]:
    return Membership.objects.active().filter(
        organisation_id__in=partners.party_organisations(consortium_ids)
    )


def invitee_choices(consortium_ids: set[int] | list[int]) -> QuerySet[Membership]:
    """People of the members and funders of these consortia (for invitation and owner lists)."""
    return (
        _party_memberships(set(consortium_ids))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )


def _series_starts(kind: str, start: datetime.datetime, count: int) -> list[datetime.datetime]:
    if count < 1 or count > MAX_SERIES:
        raise ValidationError({"repeat": f"Entre 1 et {MAX_SERIES} réunions à la fois."})
    if count > 1 and kind not in SERIES_STEP_MONTHS:
        raise ValidationError(
            {"repeat": "Seuls les comités hebdomadaires et trimestriels se programment en série."}
        )
    local = timezone.localtime(start)
    days = []
    for n in range(count):
        if kind == MeetingKind.WEEKLY:
            days.append(local.date() + datetime.timedelta(weeks=n))
        else:
            days.append(rules.add_months(local.date(), SERIES_STEP_MONTHS.get(kind, 0) * n))
    # Same local time each time, across daylight-saving changes; a time the spring change
    # skips (02:30 on its night) becomes the instant it names, in UTC so that adding the
    # duration gives the real end.
    return [
        timezone.make_aware(datetime.datetime.combine(day, local.time())).astimezone(datetime.UTC)
        for day in days
    ]


@transaction.atomic
def schedule_meeting(
    user: Any,
    *,
    consortia: list[Consortium],
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    agenda: str,
    location: str = "",
    invitees: list[Any] | None = None,
    repeat: int = 1,
) -> list[Meeting]:
    """Schedule a meeting (or a weekly / quarterly series) of one or several consortia.

    The organiser works in a member organisation of one of them; each invitee works in a
    member or the funder of one of them. Nothing is saved on any error.
    """
    if not consortia:
        raise ValidationError({"consortia": "Choisissez au moins un groupement ou partenariat."})
    consortium_ids = {c.pk for c in consortia}
    organisation_id = partners.editing_organisation(
        user, consortium_ids, "Programmer une réunion de partenaires"
    )
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "Type de réunion inconnu."})
    starts_at, ends_at = (
        timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        for moment in (starts_at, ends_at)
    )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "La fin doit être postérieure au début."})
    if not agenda.strip():
        raise ValidationError({"agenda": "L'ordre du jour est obligatoire."})
    starts = _series_starts(kind, starts_at, repeat)
    memberships = {}
    for membership in _party_memberships(consortium_ids).order_by("organisation__name"):
        memberships.setdefault(membership.user_id, membership.organisation_id)
    invitees = list(invitees or [])
    strangers = [str(person) for person in invitees if person.pk not in memberships]
    if strangers:
        raise ValidationError(
            {
                "invitees": "Ces personnes ne travaillent dans aucun membre ni financeur de ces "
                "partenariats : " + ", ".join(strangers) + "."
            }
        )
    duration = ends_at - starts_at
    meetings = []
    for start in starts:
        meeting = Meeting.objects.create(
            kind=kind,
            title=title.strip(),
            starts_at=start,
            ends_at=start + duration,
            location=location.strip(),
            agenda=agenda.strip(),
            organiser=user,
            organiser_organisation_id=organisation_id,
        )
        meeting.consortia.set(consortia)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, user=person, organisation_id=memberships[person.pk])
            for person in invitees
        )
        meetings.append(meeting)
    return meetings


@transaction.atomic
def update_meeting(
    user: Any,
    meeting: Meeting,
    *,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    agenda: str,
    location: str = "",
    invitees: list[Any] | None = None,
) -> Meeting:
    """Move or amend a meeting and its invitation list; the ICS revision (SEQUENCE) grows so
    that calendars replace the event when the invitation is sent again."""
    _editing(user, meeting, "Modifier la réunion")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "La fin doit être postérieure au début."})
    if not agenda.strip():
        raise ValidationError({"agenda": "L'ordre du jour est obligatoire."})
    ids = {c.pk for c in meeting.consortia.all()}
    memberships = {}
    for membership in _party_memberships(ids).order_by("organisation__name"):
        memberships.setdefault(membership.user_id, membership.organisation_id)
    wanted = {person.pk: person for person in invitees or []}
    strangers = [str(person) for pk, person in wanted.items() if pk not in memberships]
    if strangers:
        raise ValidationError(
            {"invitees": "Ces personnes ne travaillent dans aucun membre ni financeur de ces "
             "partenariats : " + ", ".join(strangers) + "."}
        )  # fmt: skip
    meeting.attendances.exclude(user_id__in=wanted).delete()
    present = set(meeting.attendances.values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user_id=pk, organisation_id=memberships[pk])
        for pk in wanted
        if pk not in present
    )
    meeting.title = title.strip()
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.agenda, meeting.location = agenda.strip(), location.strip()
    meeting.sequence += 1
    meeting.save()
    return meeting


def _editing(user: Any, meeting: Meeting, what: str) -> int:
    ids = {c.pk for c in meeting.consortia.all()}
    return partners.editing_organisation(user, ids, what, meeting)


@transaction.atomic
def record_minutes(
    user: Any, meeting: Meeting, *, minutes: str, attendance: dict[int, str]
) -> Meeting:
    """The minutes and who was present, excused or absent (attendance id → status)."""
    _editing(user, meeting, "Rédiger le compte rendu")
    rows = {a.pk: a for a in meeting.attendances.all()}
    for attendance_id, status in attendance.items():
        if attendance_id not in rows or status not in AttendanceStatus.values:
            raise ValidationError("Présence inconnue : rechargez la page.")
        rows[attendance_id].status = status
    Attendance.objects.bulk_update(rows.values(), ["status"])
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


@transaction.atomic
def add_decision(
    user: Any, meeting: Meeting, *, text: str, owner: Any, due_on: datetime.date | None
) -> Decision:
    """A decision carried by a person of a member or funder, with its due date."""
    _editing(user, meeting, "Noter une décision")
    if not text.strip():
        raise ValidationError({"text": "Écrivez la décision."})
    ids = {c.pk for c in meeting.consortia.all()}
    if not _party_memberships(ids).filter(user=owner).exists():
        raise ValidationError(
            {"owner": "La décision est portée par une personne d'un membre ou du financeur."}
        )
    if due_on is not None and due_on < timezone.localtime(meeting.starts_at).date():
        raise ValidationError({"due_on": "L'échéance ne peut précéder la réunion."})
    return Decision.objects.create(meeting=meeting, text=text.strip(), owner=owner, due_on=due_on)


@transaction.atomic
def close_decision(user: Any, decision: Decision) -> Decision:
    _editing(user, decision.meeting, "Clore une décision")
    decision.status = DecisionStatus.DONE
    decision.done_on = timezone.localdate()
    decision.save(update_fields=["status", "done_on", "updated_at"])
    return decision


# --- ICS invitations (RFC 5545) -------------------------------------------------------------


def meeting_ics(meeting: Meeting) -> bytes:
    """The invitation as an iCalendar file (METHOD:REQUEST), one event with its attendees."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Coparcours//Réunions de partenaires//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@coparcours")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{meeting.get_kind_display()} — {meeting.title}")
    if meeting.location:
        event.add("location", meeting.location)
    path = reverse("directory:meeting", args=[meeting.pk])
    event.add(
        "description",
        f"Ordre du jour :\n{meeting.agenda}\n\n{settings.SITE_URL.rstrip('/')}{path}",
    )
    if meeting.organiser is not None:
        organiser = icalendar.vCalAddress(f"mailto:{meeting.organiser.email}")
        organiser.params["cn"] = icalendar.vText(meeting.organiser.get_full_name())
        event.add("organizer", organiser)
    for attendance in meeting.attendances.all():
        attendee = icalendar.vCalAddress(f"mailto:{attendance.user.email}")
        attendee.params["cn"] = icalendar.vText(attendance.user.get_full_name())
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = icalendar.vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


@transaction.atomic
def send_invitations(user: Any, meeting: Meeting) -> int:
    """E-mail the ICS invitation to every invitee; a second sending is an update."""
    _editing(user, meeting, "Envoyer les invitations")
    recipients = [a.user.email for a in meeting.attendances.all()]
    if not recipients:
        raise ValidationError("Invitez d'abord des participant·es.")
    if meeting.invitations_sent_at is not None:
        meeting.sequence += 1
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["sequence", "invitations_sent_at", "updated_at"])
    when = timezone.localtime(meeting.starts_at)
    message = EmailMessage(
        f"Invitation : {meeting.title} le {when:%d/%m/%Y à %H:%M}",
        f"{meeting.get_kind_display()}\n{meeting.location}\n\nOrdre du jour :\n{meeting.agenda}\n",
        None,
        [],
        bcc=recipients,
    )
    message.attach("invitation.ics", meeting_ics(meeting), "text/calendar; method=REQUEST")
    message.send()
    return len(recipients)


# --- Reading --------------------------------------------------------------------------------


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the consortia the user's organisations are members or funders of."""
    return (
        Meeting.objects.filter(consortia__in=partners.meeting_consortia(user))
        .distinct()
        .prefetch_related("consortia")
        .select_related("organiser_organisation")
    )


def meeting_for(user: Any, pk: int) -> Meeting:
    """One meeting with its attendance and decisions, for a party; otherwise 404 (audited)."""
    meeting = (
        visible_meetings(user)
        .filter(pk=pk)
        .select_related("organiser")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("user", "organisation"),
            ),
            Prefetch("decisions", queryset=Decision.objects.select_related("owner")),
        )
        .first()
    )
    if meeting is None:
        if Meeting.objects.filter(pk=pk).exists():
            record_refusal(user, reason="Réunion d'un partenariat dont vous n'êtes pas partie.")
        raise Http404("Réunion introuvable.")
    return meeting


def may_edit(user: Any, meeting: Meeting) -> bool:
    editable = partners.member_consortia(user, editing=True)
    return any(c.pk in editable for c in meeting.consortia.all())


def decision_log(
    user: Any,
    *,
    text: str = "",
    consortium_id: int | None = None,
    status: str = "",
    owner_id: int | None = None,
) -> QuerySet[Decision]:
    """Decisions of every meeting the user may read, searched accent-insensitively."""
    meetings = Meeting.objects.filter(consortia__in=partners.meeting_consortia(user))
    if consortium_id:
        meetings = meetings.filter(consortia=consortium_id)
    decisions = Decision.objects.filter(meeting__in=meetings.values("pk"))
    if status:
        decisions = decisions.filter(status=status)
    if owner_id:
        decisions = decisions.filter(owner_id=owner_id)
    for word in rules.normalise(text).split():
        decisions = decisions.filter(search_text__contains=word)
    return decisions.select_related("meeting", "owner").order_by(
        "-meeting__starts_at", "due_on", "pk"
    )
