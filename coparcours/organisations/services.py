"""Operations on organisations, consortia and memberships (each in one transaction).

A membership opens a role's rights on young people's records (Code pénal 226-13): every
change of one is written to the audit log with its author (CNIL référentiel 2021-028),
and nobody gives themself a membership or widens their own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.core.audit import entry, record_many
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import (
    Membership,
    Organisation,
    Role,
)

SELF_GRANT = (
    "Vous ne pouvez pas vous attribuer un rattachement, ni étendre le vôtre : un autre "
    "administrateur doit le faire."
)


def lead_count_error(leads: int) -> str | None:
    """A consortium has exactly one lead member (mandataire, CCP R.2142-24)."""
    if leads == 1:
        return None
    if leads == 0:
        return "Désignez le mandataire : un membre du groupement doit l'être."
    return "Un seul membre peut être mandataire du groupement."


@dataclass(frozen=True)
class MembershipTerms:
    """What a membership grants: to whom, where, which role, from when to when."""

    user_id: int | None
    organisation_id: int | None
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None

    @classmethod
    def of(cls, membership: Membership) -> MembershipTerms:
        return cls(
            membership.user_id,
            membership.organisation_id,
            membership.role,
            membership.start_date,
            membership.end_date,
        )


def grants_more(before: MembershipTerms | None, after: MembershipTerms) -> bool:
    """Whether ``after`` gives rights ``before`` did not: a new membership, another person,
    organisation or role, an earlier start or a later (or no) end."""
    if before is None or (before.user_id, before.organisation_id, before.role) != (
        after.user_id,
        after.organisation_id,
        after.role,
    ):
        return True
    if before.start_date and after.start_date and after.start_date < before.start_date:
        return True
    return before.end_date is not None and (
        after.end_date is None or after.end_date > before.end_date
    )


def self_grant_error(
    actor: Any, before: MembershipTerms | None, after: MembershipTerms
) -> str | None:
    """The refusal of a membership its author would give or widen for themself; ending
    one's own membership stays allowed."""
    if actor is None or actor.pk is None or actor.pk != after.user_id:
        return None
    return SELF_GRANT if grants_more(before, after) else None


def _refuse_self_grant(actor: Any, before: MembershipTerms | None, after: Membership) -> None:
    error = self_grant_error(actor, before, MembershipTerms.of(after))
    if error:
        raise ValidationError(error, code="self_grant")


def _day(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _person(user: Any) -> str:
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _described(terms: MembershipTerms, organisations: dict[int, Organisation]) -> str:
    end = f"au {_day(terms.end_date)}" if terms.end_date else "sans date de fin"
    return (
        f"{Role(terms.role).label} à {organisations[terms.organisation_id]}, "
        f"du {_day(terms.start_date)} {end}"
    )


def record_membership_change(
    actor: Any, membership: Membership, before: MembershipTerms | None
) -> None:
    """Write to the audit log who gave whom which role where, from when to when (nothing
    when the terms did not change); the line names the membership's organisation, and the
    former one too when it moved, so that their audit searches show it."""
    after = MembershipTerms.of(membership)
    if before == after:
        return
    organisation_ids = {after.organisation_id} | ({before.organisation_id} if before else set())
    organisations = Organisation.objects.only("id", "name").in_bulk(organisation_ids)
    whom = _person(membership.user)
    if before is not None and before.user_id != after.user_id:
        whom = f"{whom}, auparavant de {_person(get_user_model().objects.get(pk=before.user_id))}"
    if before is None:
        text = f"Rattachement attribué à {whom} : {_described(after, organisations)}."
    elif replace(before, end_date=after.end_date) == after and not grants_more(before, after):
        text = (
            f"Rattachement de {whom} terminé le {_day(after.end_date)} : "
            f"{_described(after, organisations)}."
        )
    else:
        text = (
            f"Rattachement de {whom} modifié : {_described(before, organisations)} → "
            f"{_described(after, organisations)}."
        )
    record_many(
        [
            entry(actor, AuditEvent.ADMIN, organisation=organisation, obj=membership, reason=text)
            for organisation in sorted(organisations.values(), key=lambda o: o.pk)
        ]
    )


@transaction.atomic
def save_membership(
    membership: Membership, before: MembershipTerms | None, *, by: Any
) -> Membership:
    """Save a membership given (``before`` is None) or changed ``by`` someone else: a grant
    to oneself or the widening of one's own is refused, the model's rules checked (one role
    per organisation on any day), and the change written to the audit log. A membership is
    never deleted: it ends with a date. The admin's forms save through here."""
    _refuse_self_grant(by, before, membership)
    membership.full_clean()
    membership.save()
    record_membership_change(by, membership, before)
    return membership


def record_override_change(
    actor: Any, organisation: Organisation, before: dict[str, dict[str, bool]]
) -> None:
    """Write to the audit log which exceptions to the capability table an administrator
    added or removed for the organisation (nothing when they did not change)."""
    after = organisation.capability_overrides or {}
    if before == after:
        return

    def described(overrides: dict[str, dict[str, bool]]) -> str:
        items = [
            f"{capability} : {role} {'ajouté' if granted else 'retiré'}"
            for capability, roles in sorted(overrides.items())
            for role, granted in sorted(roles.items())
        ]
        return ", ".join(items) or "aucune"

    record_many(
        [
            entry(
                actor,
                AuditEvent.ADMIN,
                organisation=organisation,
                obj=organisation,
                reason=(
                    f"Exceptions aux droits par défaut de {organisation} : "
                    f"{described(before)} → {described(after)}."
                ),
            )
        ]
    )
