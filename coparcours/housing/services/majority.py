"""Turning 18: the decision taken for a hosted youth (exit, follow-up, contrat jeune
majeur) and the reminders raised before the majority (daily job)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import Action, Capability, Category, check, members_who_may
from coparcours.housing import rules
from coparcours.housing.models.majority import (
    AfterEighteen,
    MajorityDecision,
    MajorityReminder,
    ReminderKind,
)
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors.roles import lead_organisation_id
from coparcours.youths.rules import MAJORITY_AGE, add_years


@transaction.atomic
def decide_after_18(
    user: Any,
    stay: Stay,
    decision: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    funder_agreement_on: datetime.date | None = None,
) -> AfterEighteen:
    """Exit at majority, or after-18 follow-up / contrat jeune majeur up to 21 (CASF
    L.222-5; the contrat jeune majeur needs the Département's agreement)."""
    youth = stay.youth
    grant = check(
        user,
        youth,
        Category.HOUSING,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
    )
    errors: dict[str, str] = {}
    if youth.birth_date is None:
        raise ValidationError("La date de naissance du jeune est inconnue : complétez son dossier.")
    majority = youth.majority_date
    limit = rules.after_18_limit(youth.birth_date, HousingSettings.in_force().after_18_max_age)
    if decision not in MajorityDecision.values:
        errors["decision"] = "Choisissez la décision."
    if decision == MajorityDecision.EXIT:
        if end_date is not None:
            errors["end_date"] = "Une sortie n'a pas de date de fin."
    else:
        if start_date < majority:
            errors["start_date"] = f"Le suivi commence à la majorité ({majority:%d/%m/%Y})."
        if end_date is None or end_date > limit:
            errors["end_date"] = (
                f"Indiquez une fin au plus tard le {limit:%d/%m/%Y} (21 ans du jeune)."
            )
        elif end_date <= start_date:
            errors["end_date"] = "La fin doit suivre le début."
    if decision == MajorityDecision.YOUNG_ADULT_CONTRACT and funder_agreement_on is None:
        errors["funder_agreement_on"] = "Le contrat jeune majeur exige l'accord du Département."
    elif funder_agreement_on is not None and funder_agreement_on > timezone.localdate():
        errors["funder_agreement_on"] = (
            "L'accord du Département s'enregistre une fois donné : pas de date future."
        )
    if errors:
        raise ValidationError(errors)
    decided = AfterEighteen(
        stay=stay,
        youth=youth,
        author_organisation_id=grant.organisation_id,
        decision=decision,
        start_date=start_date,
        end_date=end_date,
        funder_agreement_on=funder_agreement_on,
        decided_by=user,
    )
    decided.full_clean()
    decided.save()
    return decided


def raise_majority_reminders(on: datetime.date | None = None) -> list[MajorityReminder]:
    """Reminders before a hosted youth turns 18 (daily job): the preparation interview for
    the hosting member's referent (CASF L.222-5-1, one year before by default), the alert
    for the coordination (90 days before by default). Each is raised once."""
    day = on or timezone.localdate()
    in_force = HousingSettings.in_force(day)
    delays = {
        ReminderKind.PREPARATION_INTERVIEW: in_force.preparation_interview_days,
        ReminderKind.COORDINATOR_ALERT: in_force.coordinator_alert_days,
    }
    widest = max(delays.values())
    stays = (
        Stay.objects.active(day)
        .filter(
            youth__birth_date__gt=add_years(day, -MAJORITY_AGE),
            youth__birth_date__lte=add_years(day + datetime.timedelta(days=widest), -MAJORITY_AGE),
        )
        .select_related("youth__referent", "site__consortium")
    )
    raised = []
    for stay in stays:
        for kind, delay in delays.items():
            majority = rules.reminder_due(stay.youth.birth_date, delay, day)
            if majority is None:
                continue
            recipient = (
                stay.author_organisation_id
                if kind == ReminderKind.PREPARATION_INTERVIEW
                else lead_organisation_id(stay.site.consortium)
            )
            # The reminder and its mail are one transaction: a run killed before the
            # hand-off leaves the reminder to the next run (docs/decisions.md, section 22).
            with transaction.atomic():
                reminder, created = MajorityReminder.objects.get_or_create(
                    youth=stay.youth,
                    kind=kind,
                    majority_date=majority,
                    defaults={"stay": stay, "organisation_id": recipient},
                )
                if created:
                    _notify(reminder, stay)
            if created:
                raised.append(reminder)
    return raised


def _notify(reminder: MajorityReminder, stay: Stay) -> None:
    """A short e-mail without personal details: the record says the rest, behind the policy."""
    if reminder.kind == ReminderKind.PREPARATION_INTERVIEW:
        recipients = [stay.youth.referent.email] if stay.youth.referent else []
    else:
        recipients = [
            membership.user.email
            for membership in members_who_may(
                reminder.organisation_id, Capability.HOUSING_COORDINATION
            )
        ]
    if recipients:
        send_mail(
            f"Coparcours — {reminder.get_kind_display()}",
            f"Un jeune hébergé (dossier n° {stay.youth_id}) aura 18 ans le "
            f"{reminder.majority_date:%d/%m/%Y}. {reminder.get_kind_display()} : "
            "consultez son dossier dans Coparcours.",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
