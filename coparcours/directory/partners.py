"""Who may read and write a consortium's shared guides and partner meetings.

Guides and meetings hold no personal data about young people, so they follow the
consortium, not the youth access policy: the *members* of a consortium or partnership
(organisations with a membership in force, ``ConsortiumMember``) read its guides; its
meetings are read by its members and by its funder (who sits in the copil).
Writing needs the capability ``partners_edit`` in a member organisation (docs/access.md).
Every refusal is written to the audit log.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from coparcours.core.access import Capability, active_memberships, organisations_where
from coparcours.core.audit import record_refusal
from coparcours.organisations.models import Consortium, ConsortiumMember


def _current_members() -> Q:
    today = timezone.localdate()
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=today)) & (
        Q(left_on__isnull=True) | Q(left_on__gte=today)
    )


def member_consortia(user: Any, *, editing: bool = False) -> dict[int, set[int]]:
    """Consortium id → the user's organisations that are current members of it.

    With ``editing``, only the user's memberships that may publish guides and schedule or
    minute meetings count (the access policy's ``partners_edit``).
    """
    if editing:
        organisations = organisations_where(user, Capability.PARTNERS_EDIT)
    else:
        organisations = {org for org, _role in active_memberships(user)}
    if not organisations:
        return {}
    result: dict[int, set[int]] = {}
    rows = ConsortiumMember.objects.filter(
        _current_members(), organisation_id__in=organisations
    ).values_list("consortium_id", "organisation_id")
    for consortium_id, organisation_id in rows:
        result.setdefault(consortium_id, set()).add(organisation_id)
    return result


def funded_consortia(user: Any) -> set[int]:
    """Consortia funded by one of the user's organisations."""
    organisations = {org for org, _ in active_memberships(user)}
    if not organisations:
        return set()
    return set(Consortium.objects.filter(funder_id__in=organisations).values_list("pk", flat=True))


def meeting_consortia(user: Any) -> set[int]:
    """Consortia whose meetings the user reads: as a member or as the funder."""
    return set(member_consortia(user)) | funded_consortia(user)


def party_organisations(consortium_ids: set[int] | list[int]) -> set[int]:
    """Organisations taking part in these consortia's meetings: current members and funders."""
    members = ConsortiumMember.objects.filter(
        _current_members(), consortium_id__in=consortium_ids
    ).values_list("organisation_id", flat=True)
    funders = Consortium.objects.filter(pk__in=consortium_ids).values_list("funder_id", flat=True)
    return set(members) | set(funders)


def editing_organisation(user: Any, consortium_ids: set[int], what: str, obj: Any = None) -> int:
    """The user's member organisation with an editor role in one of these consortia.

    Raises ``PermissionDenied`` (audited) when there is none.
    """
    editable = member_consortia(user, editing=True)
    for consortium_id in sorted(consortium_ids):
        if consortium_id in editable:
            return min(editable[consortium_id])
    refuse(user, what, obj)


def refuse(user: Any, what: str, obj: Any = None) -> NoReturn:
    """Write the refusal to the audit log and raise ``PermissionDenied`` in French."""
    reason = f"{what} : réservé aux membres du partenariat (coordination, direction, équipes)."
    record_refusal(user, obj=obj, reason=reason)
    raise PermissionDenied(reason)
