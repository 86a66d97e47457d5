"""The CEJ-JR partnership's members (its porteur and its missions locales) and its
settings, which the porteur sets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coparcours.cej.models import PartnershipSettings
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Consortium, Organisation, OrganisationKind


def porteur_of(partnership: Consortium) -> Organisation:
    lead = partnership.members.filter(is_lead=True).select_related("organisation").first()
    if lead is None:
        raise ValidationError("Ce partenariat n'a pas de porteur (membre mandataire).")
    return lead.organisation


def missions_locales_of(partnership: Consortium) -> list[Organisation]:
    return [
        member.organisation
        for member in partnership.members.select_related("organisation")
        if member.organisation.kind == OrganisationKind.MISSION_LOCALE
    ]


def require_partnership_member(organisation: Organisation, partnership: Consortium) -> None:
    if not partnership.members.filter(organisation=organisation).exists():
        raise PermissionDenied("Votre organisation n'est pas membre de ce partenariat CEJ-JR.")


def settings_of(partnership: Consortium) -> PartnershipSettings:
    """The partnership's settings, or their defaults (not saved) while none were set: 15 h a
    week, the committee on Tuesday, the porteur's département."""
    found = PartnershipSettings.objects.filter(partnership=partnership).first()
    if found is not None:
        return found
    return PartnershipSettings(
        partnership=partnership, departement_code=porteur_of(partnership).departement_code
    )


@transaction.atomic
def save_settings(user: Any, organisation: Organisation, partnership: Consortium, **fields: Any):
    """The porteur sets the partnership's settings (audited with what changed)."""
    if porteur_of(partnership) != organisation:
        raise PermissionDenied("Seul le porteur règle les paramètres du partenariat.")
    current = settings_of(partnership)
    before = {name: getattr(current, name) for name in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    changed = ", ".join(
        f"{name} : {before[name]} → {value}"
        for name, value in fields.items()
        if before[name] != value
    )
    record(
        user,
        AuditEvent.ADMIN,
        organisation=organisation,
        obj=current,
        reason=f"Paramètres de « {partnership} » : {changed or 'inchangés'}.",
    )
    return current
