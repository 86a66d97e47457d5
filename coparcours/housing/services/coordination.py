"""Who may act in the GME housing: the coordination of the GME (the funder's single
interlocutor) and the staff of the member running a site."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from coparcours.core.access import Capability, may_in_consortium, require_in_consortium
from coparcours.housing.selectors.roles import staff_organisation_ids
from coparcours.organisations.models import Consortium, Organisation

NOT_COORDINATION = "Seule la coordination du groupement peut faire cette opération."


def require_coordination(user: Any, consortium: Consortium) -> None:
    """The coordination is the funder's single interlocutor (docs/access.md, scoped acts)."""
    require_in_consortium(user, Capability.HOUSING_COORDINATION, consortium, NOT_COORDINATION)


def is_coordination(user: Any, consortium: Consortium) -> bool:
    return may_in_consortium(user, Capability.HOUSING_COORDINATION, consortium)


def require_member_staff(user: Any, organisation: Organisation) -> None:
    if organisation.pk not in staff_organisation_ids(user):
        raise PermissionDenied(f"Seule l'équipe de {organisation} peut répondre pour ce site.")
