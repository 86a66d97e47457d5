"""The road to 18 of a hosted minor: schooling periods, the residence-permit preparation
(route and window from the CESEDA's dated rules, the pieces of the file checked off), the
preparation interview (CASF L.222-5-1) and the reminders to the referent (daily job).
docs/domain-rules.md, "The road to 18"."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from coparcours.core.access import Action, Category, check
from coparcours.housing import rules
from coparcours.housing.models.majority import MajorityReminder, ReminderKind
from coparcours.housing.models.road18 import (
    PermitPiece,
    PermitPieceKind,
    PermitPreparation,
    PermitRoute,
    PreparationInterview,
    Schooling,
)
from coparcours.housing.models.stays import Stay

NO_BIRTH_DATE = "La date de naissance du jeune est inconnue : complétez son dossier."


def routes_in_force(day: datetime.date | None = None) -> list[PermitRoute]:
    """The CESEDA routes in force on a day: per route, the latest row started on or before it."""
    day = day or timezone.localdate()
    latest: dict[str, PermitRoute] = {}
    for route in PermitRoute.objects.filter(valid_from__lte=day).order_by("valid_from"):
        latest[route.code] = route
    return list(latest.values())


def piece_kinds(route_code: str, day: datetime.date | None = None) -> list[PermitPieceKind]:
    """The pieces of the file for a route on a day (dated rule data)."""
    day = day or timezone.localdate()
    return [
        kind
        for kind in PermitPieceKind.objects.filter(valid_from__lte=day)
        if kind.route in ("", route_code) and (kind.valid_until is None or day < kind.valid_until)
    ]


def _write(user: Any, stay: Stay, category: str, obj: Any = None) -> Any:
    """The hosting member writes its data about the youth it hosts (audited)."""
    return check(
        user,
        stay.youth,
        category,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        obj=obj or stay,
        within_organisation_id=stay.author_organisation_id,
    )


@transaction.atomic
def record_schooling(
    user: Any,
    stay: Stay,
    *,
    establishment: str,
    kind: str,
    level: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    attendance: str,
    attendance_on: datetime.date,
    employer: str = "",
    contract_start: datetime.date | None = None,
    contract_end: datetime.date | None = None,
) -> Schooling:
    """A period of schooling or training of the hosted youth (category education and
    employment), its dates in order (``rules.schooling_errors``)."""
    grant = _write(user, stay, Category.EDUCATION_EMPLOYMENT)
    errors = rules.schooling_errors(
        start_date,
        end_date,
        attendance_on,
        (contract_start, contract_end),
        timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    schooling = Schooling(
        youth=stay.youth,
        author_organisation_id=grant.organisation_id,
        establishment=establishment,
        kind=kind,
        level=level,
        start_date=start_date,
        end_date=end_date,
        attendance=attendance,
        attendance_on=attendance_on,
        employer=employer,
        contract_start=contract_start,
        contract_end=contract_end,
        recorded_by=user,
    )
    schooling.full_clean()
    schooling.save()
    return schooling


@transaction.atomic
def start_permit_preparation(
    user: Any, stay: Stay, entrusted_on: datetime.date
) -> PermitPreparation:
    """Open the residence-permit preparation of a hosted minor: the route follows from the
    age at which the youth was entrusted to the ASE (CESEDA L.423-22, L.435-3)."""
    grant = _write(user, stay, Category.ADMIN_DOCUMENTS)
    youth = stay.youth
    if youth.birth_date is None:
        raise ValidationError(NO_BIRTH_DATE)
    if entrusted_on > timezone.localdate():
        raise ValidationError({"entrusted_on": "La date du placement ne peut être future."})
    if entrusted_on < youth.birth_date:
        raise ValidationError({"entrusted_on": "La date du placement précède la naissance."})
    route = rules.permit_route_for(youth.birth_date, entrusted_on, routes_in_force())
    if route is None:
        raise ValidationError(
            {"entrusted_on": "Confié·e à l'ASE à 18 ans ou après : aucune voie de ce dossier."}
        )
    preparation = PermitPreparation(
        youth=youth,
        stay=stay,
        author_organisation_id=grant.organisation_id,
        entrusted_on=entrusted_on,
        route=route.code,
        started_by=user,
    )
    try:
        with transaction.atomic():
            preparation.save()
    except IntegrityError:
        raise ValidationError("La préparation du titre de séjour est déjà ouverte.") from None
    return preparation


@transaction.atomic
def gather_pieces(
    user: Any, preparation: PermitPreparation, kind_ids: Iterable[int]
) -> list[PermitPiece]:
    """Check off the pieces gathered (and uncheck the others): the file as it stands."""
    _write(user, preparation.stay, Category.ADMIN_DOCUMENTS, obj=preparation)
    allowed = {kind.pk: kind for kind in piece_kinds(preparation.route)}
    wanted = set(kind_ids)
    unknown = wanted - set(allowed)
    if unknown:
        raise ValidationError("Une pièce cochée n'appartient pas à ce dossier.")
    for piece in preparation.pieces.exclude(kind_id__in=wanted):
        piece.delete()  # history keeps the piece unchecked
    held = set(preparation.pieces.values_list("kind_id", flat=True))
    for kind_id in sorted(wanted - held):
        PermitPiece.objects.create(preparation=preparation, kind=allowed[kind_id], gathered_by=user)
    return list(preparation.pieces.all())


@transaction.atomic
def record_filing(
    user: Any, preparation: PermitPreparation, filed_on: datetime.date
) -> PermitPreparation:
    """The application filed at the préfecture: the reminders stop (once, never future)."""
    _write(user, preparation.stay, Category.ADMIN_DOCUMENTS, obj=preparation)
    if preparation.filed_on is not None:
        raise ValidationError("Le dépôt de la demande est déjà enregistré.")
    if filed_on > timezone.localdate():
        raise ValidationError(
            {"filed_on": "Un dépôt s'enregistre une fois fait : pas de date future."}
        )
    if filed_on < preparation.entrusted_on:
        raise ValidationError({"filed_on": "Le dépôt suit le placement à l'ASE."})
    preparation.filed_on = filed_on
    preparation.save(update_fields=["filed_on", "updated_at"])
    return preparation


@transaction.atomic
def record_interview(
    user: Any, stay: Stay, held_on: datetime.date, participants: str, outcome: str
) -> PreparationInterview:
    """The preparation interview held with the youth (CASF L.222-5-1), once it took place."""
    grant = _write(user, stay, Category.HOUSING)
    if held_on > timezone.localdate():
        raise ValidationError(
            {"held_on": "Un entretien s'enregistre une fois tenu : pas de date future."}
        )
    if held_on < stay.start_date:
        raise ValidationError(
            {"held_on": f"L'entretien suit l'entrée du jeune ({stay.start_date:%d/%m/%Y})."}
        )
    interview = PreparationInterview(
        youth=stay.youth,
        stay=stay,
        author_organisation_id=grant.organisation_id,
        held_on=held_on,
        participants=participants,
        outcome=outcome,
        recorded_by=user,
    )
    interview.full_clean()
    interview.save()
    return interview


def raise_permit_reminders(on: datetime.date | None = None) -> list[MajorityReminder]:
    """Remind the referent when the permit window opens and before its last day (daily job),
    for each preparation not yet filed whose stay is under way; each reminder once."""
    day = on or timezone.localdate()
    routes = {route.code: route for route in routes_in_force(day)}
    raised = []
    preparations = PermitPreparation.objects.filter(filed_on__isnull=True).select_related(
        "youth__referent", "stay"
    )
    for preparation in preparations:
        youth, stay, route = preparation.youth, preparation.stay, routes.get(preparation.route)
        if route is None or youth.birth_date is None or not _under_way(stay, day):
            continue
        opens, deadline = rules.permit_window(youth.birth_date, route)
        due = {
            ReminderKind.PERMIT_OPENS: opens <= day <= deadline,
            ReminderKind.PERMIT_DEADLINE: deadline
            - datetime.timedelta(days=route.reminder_days_before_deadline)
            <= day
            <= deadline,
        }
        for kind in [kind for kind, is_due in due.items() if is_due]:
            with transaction.atomic():
                reminder, created = MajorityReminder.objects.get_or_create(
                    youth=youth,
                    kind=kind,
                    majority_date=youth.majority_date,
                    defaults={"stay": stay, "organisation_id": preparation.author_organisation_id},
                )
                if created:
                    _notify(reminder, youth.referent, deadline)
            if created:
                raised.append(reminder)
    return raised


def _under_way(stay: Stay, day: datetime.date) -> bool:
    return stay.start_date <= day and (stay.end_date is None or day < stay.end_date)


def _notify(reminder: MajorityReminder, referent: Any, deadline: datetime.date) -> None:
    """A short e-mail without personal details: the record says the rest."""
    if referent is None or not referent.email:
        return
    send_mail(
        f"Coparcours — {reminder.get_kind_display()}",
        f"Un jeune hébergé (dossier n° {reminder.youth_id}) doit déposer sa demande de titre "
        f"de séjour au plus tard le {deadline:%d/%m/%Y}. Consultez son dossier dans Coparcours.",
        settings.DEFAULT_FROM_EMAIL,
        [referent.email],
    )
