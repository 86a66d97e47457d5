"""The partnership's programme: collective sessions and their registrations, permanences
and their slots' bookings, and the programme's ICS feed (docs/domain-rules.md, "CEJ-JR:
collective sessions and permanences")."""

from __future__ import annotations

import datetime
import secrets
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coparcours.accounts.models import hash_token
from coparcours.cej.models import (
    Activity,
    CollectiveSession,
    Pathway,
    Permanence,
    PermanenceSlot,
    ProgrammeFeed,
    SessionRegistration,
    SlotBooking,
)
from coparcours.cej.models.hours import ActivityKind
from coparcours.cej.models.sessions import SessionKind
from coparcours.cej.services.common import EE, require_open_pathway, require_own_write
from coparcours.cej.services.hours import add_activity, record_attendance
from coparcours.cej.services.partnerships import missions_locales_of, require_partnership_member
from coparcours.cej.services.plan import partners_of
from coparcours.core.access import Action, check, member_organisation
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Consortium, Membership, Organisation

#: A session's activity in the weekly hours, by kind of session.
ACTIVITY_KIND = {SessionKind.WORKSHOP: ActivityKind.WORKSHOP}
User = get_user_model()
SLOT_TAKEN = "Ce créneau vient d'être réservé pour un autre jeune : choisissez-en un autre."


def _require_period(starts_at: datetime.datetime, ends_at: datetime.datetime, what: str) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": f"La fin {what} doit suivre son début."})
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise ValidationError({"ends_at": f"La fin {what} tombe plus de 24 heures après le début."})


@transaction.atomic
def create_session(
    user: Any,
    organisation: Organisation,
    partnership: Consortium,
    *,
    kind: str,
    title: str,
    organiser: Organisation,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    organiser_partner: str = "",
) -> CollectiveSession:
    """A session of the programme, set by a member of the partnership, organised by one of
    its members (a partner structure that leads it is named in text). Refused: an end before
    the start, a session over 24 hours, no place."""
    organisation = member_organisation(user, organisation)
    require_partnership_member(organisation, partnership)
    if not partnership.members.filter(organisation=organiser).exists():
        raise ValidationError(
            {"organiser": "La séance est organisée par un membre du partenariat."}
        )
    _require_period(starts_at, ends_at, "de la séance")
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": "Une séance compte au moins une place."})
    session = CollectiveSession(
        partnership=partnership,
        kind=kind,
        title=title.strip(),
        organiser=organiser,
        organiser_partner=organiser_partner.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        created_by=user,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def register_youth(
    user: Any, organisation: Organisation, session: CollectiveSession, pathway: Pathway
) -> SessionRegistration:
    """Register a youth to a session: the places are counted under the session's lock, so
    two registrations at the same instant never exceed them; the registration plans the
    pathway's activity that the attendance will count into the weekly hours."""
    organisation = member_organisation(user, organisation)
    require_open_pathway(pathway)
    if pathway.partnership_id != session.partnership_id:
        raise ValidationError({"pathway": "Ce jeune suit son parcours dans un autre partenariat."})
    if not session.for_youths:
        raise ValidationError(
            "Une formation des professionnels ne reçoit pas d'inscription de jeune."
        )
    if session.is_cancelled:
        raise ValidationError("La séance est annulée : elle ne reçoit plus d'inscription.")
    if session.starts_at <= timezone.now():
        raise ValidationError("La séance a commencé : les inscriptions sont closes.")
    require_own_write(user, pathway, organisation, EE)
    locked = CollectiveSession.objects.select_for_update().get(pk=session.pk)
    registered = SessionRegistration.objects.filter(session=locked)
    if registered.filter(pathway=pathway).exists():
        raise ValidationError({"pathway": f"{pathway.youth} est déjà inscrit·e à cette séance."})
    if registered.count() >= locked.capacity:
        raise ValidationError(
            {"pathway": f"La séance est complète ({locked.capacity} places) : inscription refusée."}
        )
    partners = partners_of(pathway)
    activity = add_activity(
        user,
        organisation,
        pathway,
        kind=ACTIVITY_KIND.get(locked.kind, ActivityKind.OTHER),
        title=f"{locked.get_kind_display()} : {locked.title}",
        starts_at=locked.starts_at,
        duration_minutes=locked.duration_minutes,
        responsible=locked.organiser if locked.organiser_id in partners else organisation,
    )
    return SessionRegistration.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        session=locked,
        pathway=pathway,
        activity=activity,
        registered_by=user,
    )


@transaction.atomic
def record_session_attendance(
    user: Any, organisation: Organisation, session: CollectiveSession, present: dict[int, bool]
) -> int:
    """Attendance of the registrations named (id → present), recorded on their activities,
    each decided by the policy: the weekly hours count them from there. Returns how many."""
    if session.is_cancelled:
        raise ValidationError("La séance est annulée : aucune présence ne s'y note.")
    if session.starts_at > timezone.now():
        raise ValidationError("La présence se note une fois la séance commencée.")
    registrations = SessionRegistration.objects.filter(
        session=session, pk__in=list(present)
    ).select_related("activity__pathway__youth")
    for registration in registrations:
        record_attendance(user, organisation, registration.activity, present[registration.pk])
    return len(registrations)


@transaction.atomic
def withdraw_registration(
    user: Any, organisation: Organisation, registration: SessionRegistration
) -> None:
    """Withdraw a youth from a session that has not started: the place is free again and the
    planned activity leaves the pathway (both stay in their history). Decided and audited
    as a write of the registering organisation's data."""
    organisation = member_organisation(user, organisation)
    check(
        user,
        registration.pathway.youth,
        registration.category,
        Action.WRITE,
        author_organisation_id=registration.author_organisation_id,
        obj=registration,
        within_organisation_id=organisation.pk,
    )
    if registration.session.starts_at <= timezone.now():
        raise ValidationError(
            "La séance a commencé : l'inscription ne se retire plus, notez l'absence du jeune."
        )
    registration.activity.delete()  # the registration and the activity's reminders with it


def may_cancel_session(organisation_id: int | None, session: CollectiveSession) -> bool:
    """Whether the organisation may cancel the session: the member that organises it, before
    it starts (pure question, for the link; ``cancel_session`` decides it again)."""
    return (
        organisation_id == session.organiser_id
        and not session.is_cancelled
        and session.starts_at > timezone.now()
    )


@transaction.atomic
def cancel_session(
    user: Any, organisation: Organisation, session: CollectiveSession, reason: str
) -> int:
    """Cancel a session before it starts, with its reason: it stays in the programme and its
    published calendar, marked cancelled; the registrations and their planned activities are
    withdrawn (one audited line per youth), and each person who registered youths is told
    by e-mail how many, without a name. Returns the registrations withdrawn."""
    organisation = member_organisation(user, organisation)
    locked = CollectiveSession.objects.select_for_update().get(pk=session.pk)
    if organisation.pk != locked.organiser_id:
        raise PermissionDenied("Seul le membre qui organise la séance peut l'annuler.")
    if locked.is_cancelled:
        raise ValidationError("Cette séance est déjà annulée.")
    if locked.starts_at <= timezone.now():
        raise ValidationError("La séance a commencé : elle ne s'annule plus.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Dites pourquoi la séance est annulée."})
    registrations = list(SessionRegistration.objects.filter(session=locked))
    for registration in registrations:
        record(
            user,
            AuditEvent.WRITE,
            organisation=organisation,
            youth_id=registration.youth_id,
            category=registration.category,
            obj=registration,
            reason="Inscription retirée : séance annulée par son organisateur",
        )
    Activity.objects.filter(pk__in=[r.activity_id for r in registrations]).delete()
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = user
    locked.cancellation_reason = reason
    locked.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"])
    registrants = Counter(r.registered_by_id for r in registrations if r.registered_by_id)
    transaction.on_commit(lambda: _tell_registrants(locked, registrants))
    return len(registrations)


def _tell_registrants(session: CollectiveSession, registrants: Counter[int]) -> None:
    starts = timezone.localtime(session.starts_at)
    link = settings.SITE_URL.rstrip("/") + reverse("cej:session", args=[session.pk])
    for person in User.objects.filter(pk__in=registrants, is_active=True).exclude(email=""):
        count = registrants[person.pk]
        send_mail(
            f"Coparcours — Séance annulée : {session.title}",
            f"La séance « {session.title} » du {starts:%d/%m/%Y à %H:%M} ({session.place}) "
            f"est annulée par {session.organiser} : {session.cancellation_reason}\n\n"
            f"{count} jeune{'s' if count > 1 else ''} que vous y aviez inscrit"
            f"{'s' if count > 1 else ''} n'y {'sont' if count > 1 else 'est'} plus attendu"
            f"{'s' if count > 1 else ''} : l'activité est retirée de leur parcours. "
            f"Prévenez-les.\n\n{link}\n",
            None,
            [person.email],
            fail_silently=True,
        )


def _counsellor_mission_locale(counsellor: Any, partnership: Consortium) -> Organisation:
    ids = [organisation.pk for organisation in missions_locales_of(partnership)]
    membership = (
        Membership.objects.active()
        .filter(user=counsellor, organisation_id__in=ids)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise ValidationError(
            {
                "counsellor": "La permanence est tenue par une personne d'une mission locale du "
                "partenariat."
            }
        )
    return membership.organisation


@transaction.atomic
def open_permanence(
    user: Any,
    organisation: Organisation,
    partnership: Consortium,
    *,
    counsellor: Any,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    slot_minutes: int,
) -> Permanence:
    """A counsellor's permanence at the porteur, cut into slots of ``slot_minutes`` (a last
    slot that would end after the permanence is not offered)."""
    organisation = member_organisation(user, organisation)
    require_partnership_member(organisation, partnership)
    mission_locale = _counsellor_mission_locale(counsellor, partnership)
    _require_period(starts_at, ends_at, "de la permanence")
    if slot_minutes is None or not 10 <= slot_minutes <= 240:
        raise ValidationError({"slot_minutes": "Un créneau dure entre 10 minutes et 4 heures."})
    step = datetime.timedelta(minutes=slot_minutes)
    if starts_at + step > ends_at:
        raise ValidationError({"slot_minutes": "La permanence est plus courte qu'un créneau."})
    permanence = Permanence(
        partnership=partnership,
        mission_locale=mission_locale,
        counsellor=counsellor,
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        slot_minutes=slot_minutes,
        created_by=user,
    )
    permanence.full_clean()
    permanence.save()
    slots, start = [], starts_at
    while start + step <= ends_at:
        slots.append(PermanenceSlot(permanence=permanence, starts_at=start, ends_at=start + step))
        start += step
    PermanenceSlot.objects.bulk_create(slots)
    return permanence


@transaction.atomic
def book_slot(
    user: Any, organisation: Organisation, slot: PermanenceSlot, pathway: Pathway
) -> SlotBooking:
    """Book a slot for a youth. The slot is locked while deciding, and the database refuses
    a second booking in force (``cej_slot_booked_once``): a slot taken twice at the same
    instant gives one booking and one refusal, never two."""
    organisation = member_organisation(user, organisation)
    require_open_pathway(pathway)
    permanence = slot.permanence
    if pathway.partnership_id != permanence.partnership_id:
        raise ValidationError({"pathway": "Ce jeune suit son parcours dans un autre partenariat."})
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": "Ce créneau est passé."})
    require_own_write(user, pathway, organisation, EE)
    PermanenceSlot.objects.select_for_update().filter(pk=slot.pk).first()
    in_force = SlotBooking.objects.filter(cancelled_at__isnull=True)
    if in_force.filter(slot=slot).exists():
        raise ValidationError({"slot": SLOT_TAKEN})
    if in_force.filter(slot__permanence=permanence, pathway=pathway).exists():
        raise ValidationError({"pathway": f"{pathway.youth} a déjà un créneau à cette permanence."})
    try:
        with transaction.atomic():
            return SlotBooking.objects.create(
                youth_id=pathway.youth_id,
                author_organisation=organisation,
                slot=slot,
                pathway=pathway,
                booked_by=user,
            )
    except IntegrityError as error:  # the other booking committed between check and write
        raise ValidationError({"slot": SLOT_TAKEN}) from error


@transaction.atomic
def cancel_booking(user: Any, organisation: Organisation, booking: SlotBooking) -> SlotBooking:
    """Free a booked slot (its booking stays in the history, cancelled)."""
    organisation = member_organisation(user, organisation)
    check(
        user,
        booking.pathway.youth,
        booking.category,
        Action.WRITE,
        author_organisation_id=booking.author_organisation_id,
        obj=booking,
        within_organisation_id=organisation.pk,
    )
    if booking.cancelled_at is not None:
        raise ValidationError("Cette réservation est déjà annulée.")
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at", "updated_at"])
    return booking


def create_programme_feed(user: Any, organisation: Organisation, partnership: Consortium) -> str:
    """The programme's ICS feed's secret token (shown once, stored hashed)."""
    organisation = member_organisation(user, organisation)
    require_partnership_member(organisation, partnership)
    raw = secrets.token_urlsafe(32)
    ProgrammeFeed.objects.create(
        partnership=partnership, created_by=user, token_hash=hash_token(raw)
    )
    return raw


def programme_feed_for_token(raw: str) -> ProgrammeFeed | None:
    """The feed of this secret address, while its creator is active and still belongs to a
    member of the partnership."""
    feed = (
        ProgrammeFeed.objects.select_related("created_by", "partnership")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if feed is None or not feed.created_by.is_active:
        return None
    members = feed.partnership.members.values("organisation_id")
    if (
        not Membership.objects.active()
        .filter(user=feed.created_by, organisation_id__in=members)
        .exists()
    ):
        return None
    return feed
