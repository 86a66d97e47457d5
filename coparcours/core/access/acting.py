"""The organisation a person acts for, resolved here and nowhere else (docs/access.md).

* A page acts for the membership chosen in the header (``request.membership``, set by the
  organisations middleware: the one chosen in this session, else the one used last).
* An API call names its organisation (``organisation_id``); without it, the membership
  chosen in the browser session acts, else the caller's only organisation. A caller with
  several organisations who names none, or names one they are not a member of, is refused
  with :class:`OrganisationRequired` (400, code ``organisation_required``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from coparcours.core.access.youth_data import active_memberships

if TYPE_CHECKING:
    from coparcours.organisations.models import Membership, Organisation
    from coparcours.youths.models import Youth


class OrganisationRequired(Exception):
    """An API call that must act for one organisation could not tell which."""

    code = "organisation_required"

    def __init__(self) -> None:
        super().__init__("Indiquez organisation_id : une organisation dont vous êtes membre.")


def acting_membership(request: HttpRequest) -> Membership | None:
    """The membership a page acts for (``None`` for a person without membership)."""
    return getattr(request, "membership", None)


def acting_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation a page acts for (``None`` for a person without membership)."""
    membership = acting_membership(request)
    return membership.organisation if membership is not None else None


def acting_organisation_id(request: HttpRequest) -> int | None:
    """The id of the organisation a page acts for, without reading the organisation."""
    membership = acting_membership(request)
    return membership.organisation_id if membership is not None else None


def acting_organisation_towards(request: HttpRequest, youth: Youth) -> Organisation | None:
    """The organisation that speaks for the person about one youth: the one chosen in the
    header when it accompanies the youth, else the person's first that does, else the
    chosen one (a referral sent from the directory names who sends it)."""
    current = acting_organisation(request)
    accompanying = youth.access_facts(timezone.localdate()).relations
    if current is not None and current.pk in accompanying:
        return current
    for membership in getattr(request, "memberships", []):
        if membership.organisation_id in accompanying:
            return membership.organisation
    return current


def member_organisation(user: Any, organisation: Organisation | None) -> Organisation:
    """The organisation a service is told to act for, once checked to be one of the user's
    (services receive it from a page or an API call; a forged one is refused with 403)."""
    if organisation is not None and any(
        org == organisation.pk for org, _role in active_memberships(user)
    ):
        return organisation
    raise PermissionDenied("Choisissez une organisation à laquelle vous êtes rattaché·e.")


def api_acting_organisation(request: HttpRequest, organisation_id: int | None) -> Organisation:
    """The organisation an API call acts for: the one named, else the session's chosen
    membership, else the caller's only organisation (:class:`OrganisationRequired`
    otherwise)."""
    from coparcours.organisations.models import Organisation

    user: Any = getattr(request, "auth", None) or request.user
    organisation_ids = {organisation for organisation, _role in active_memberships(user)}
    if organisation_id is None:
        chosen = acting_membership(request)
        if chosen is not None and chosen.user_id == user.pk:
            organisation_id = chosen.organisation_id
        elif len(organisation_ids) == 1:
            (organisation_id,) = organisation_ids
    if organisation_id not in organisation_ids:
        raise OrganisationRequired
    return Organisation.objects.get(pk=organisation_id)
