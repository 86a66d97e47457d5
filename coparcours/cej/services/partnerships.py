"""The CEJ-JR partnership's members: its porteur and its missions locales."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

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
