"""Setting up a GME or a CEJ-JR partnership without the administration: its lead (the
GME's mandataire, the CEJ-JR porteur) creates it, adds its members (organisations already
known, or new ones) and invites each new organisation's first person; a member leaves
with a date, never deleted (history, figures). Every change is written to the audit log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    ConsortiumMember,
    Membership,
    Organisation,
    OrganisationKind,
)

#: Who funds each kind, and who may be a member of it (the lead included).
FUNDER_KIND = {
    ConsortiumKind.GME: OrganisationKind.DEPARTEMENT,
    ConsortiumKind.CEJ_JR: OrganisationKind.DREETS,
}
MEMBER_KINDS = {
    ConsortiumKind.GME: {OrganisationKind.ASSOCIATION},
    ConsortiumKind.CEJ_JR: {OrganisationKind.ASSOCIATION, OrganisationKind.MISSION_LOCALE},
}


def consortia_led_by(organisation: Organisation | None) -> QuerySet[Consortium]:
    return (
        Consortium.objects.filter(members__organisation=organisation, members__is_lead=True)
        .select_related("funder")
        .order_by("name")
    )


def require_lead(organisation: Organisation | None, consortium: Consortium) -> None:
    if not consortium.members.filter(organisation=organisation, is_lead=True).exists():
        raise PermissionDenied(
            "Seul le mandataire du groupement, ou le porteur du partenariat, le modifie."
        )


def _audit(actor: Any, organisation: Organisation, obj: Any, text: str) -> None:
    record(actor, AuditEvent.ADMIN, organisation=organisation, obj=obj, reason=text)


@transaction.atomic
def create_organisation(actor: Any, *, kind: str, name: str, **fields: Any) -> Organisation:
    """A new organisation (a member or a funder not yet in Coparcours)."""
    organisation = Organisation(kind=kind, name=name.strip(), **fields)
    try:
        organisation.full_clean()
    except ValidationError as problem:
        # the form names the new organisation's fields after the organisation they create
        raise ValidationError(
            [
                f"{Organisation._meta.get_field(name).verbose_name.capitalize()} : {message}"
                for name, messages in problem.message_dict.items()
                for message in messages
            ]
        ) from None
    organisation.save()
    _audit(actor, organisation, organisation, f"Organisation créée : {organisation}.")
    return organisation


@transaction.atomic
def create_consortium(
    actor: Any,
    lead: Organisation,
    *,
    kind: str,
    name: str,
    funder: Organisation,
    start_date: datetime.date,
    renewal_date: datetime.date | None = None,
) -> Consortium:
    """A GME or a CEJ-JR partnership, ``lead`` its first member and lead from its start."""
    errors = {}
    if lead.kind not in MEMBER_KINDS[kind] or lead.kind == OrganisationKind.MISSION_LOCALE:
        errors["kind"] = "Votre organisation ne peut pas porter ce type de groupement."
    if funder.kind != FUNDER_KIND[kind]:
        expected = OrganisationKind(FUNDER_KIND[kind]).label
        errors["funder"] = f"Le financeur d'un {ConsortiumKind(kind).label} est un(e) {expected}."
    if renewal_date and renewal_date <= start_date:
        errors["renewal_date"] = "Le renouvellement suit le début."
    if errors:
        raise ValidationError(errors)
    consortium = Consortium(
        kind=kind,
        name=name.strip(),
        funder=funder,
        start_date=start_date,
        renewal_date=renewal_date,
    )
    consortium.full_clean()
    consortium.save()
    ConsortiumMember.objects.create(
        consortium=consortium, organisation=lead, is_lead=True, joined_on=start_date
    )
    _audit(actor, lead, consortium, f"Création de « {consortium} », mandataire {lead}.")
    return consortium


@transaction.atomic
def add_member(
    actor: Any,
    lead: Organisation,
    consortium: Consortium,
    organisation: Organisation,
    joined_on: datetime.date,
) -> ConsortiumMember:
    require_lead(lead, consortium)
    if organisation.kind not in MEMBER_KINDS[consortium.kind]:
        raise ValidationError(
            {
                "organisation": f"Une organisation de type « {organisation.get_kind_display()} » "
                f"n'est pas membre d'un {consortium.get_kind_display()}."
            }
        )
    if joined_on < consortium.start_date:
        raise ValidationError({"joined_on": "L'entrée ne précède pas le début du groupement."})
    member = ConsortiumMember(consortium=consortium, organisation=organisation, joined_on=joined_on)
    member.full_clean()
    member.save()
    _audit(
        actor, lead, member, f"{organisation} entre dans « {consortium} » le {joined_on:%d/%m/%Y}."
    )
    return member


@transaction.atomic
def end_member(
    actor: Any, lead: Organisation, member: ConsortiumMember, left_on: datetime.date
) -> ConsortiumMember:
    """A member leaves on a day: from then its people no longer act in the consortium."""
    require_lead(lead, member.consortium)
    if member.is_lead:
        raise ValidationError(
            "Le mandataire ne quitte pas son groupement : changez d'abord de mandataire."
        )
    if member.left_on is not None:
        raise ValidationError("Ce membre a déjà quitté le groupement.")
    if member.joined_on and left_on <= member.joined_on:
        raise ValidationError({"left_on": "La sortie suit l'entrée."})
    member.left_on = left_on
    member.save(update_fields=["left_on", "updated_at"])
    _audit(
        actor,
        lead,
        member,
        f"{member.organisation} quitte « {member.consortium} » le {left_on:%d/%m/%Y}.",
    )
    return member


def without_people(organisations: list[Organisation]) -> set[int]:
    """Which of these organisations nobody works for yet (their first person is invited
    by the consortium's lead)."""
    staffed = set(
        Membership.objects.active()
        .filter(organisation__in=organisations)
        .values_list("organisation_id", flat=True)
    )
    return {organisation.pk for organisation in organisations} - staffed
