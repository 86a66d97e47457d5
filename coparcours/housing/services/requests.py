"""Placement requests and proposals: the funder files a request, the coordination puts
it on the waiting list or proposes a place, the member running the site answers."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import Capability, require_in_consortium
from coparcours.housing import rules
from coparcours.housing.models.requests import (
    PlacementRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from coparcours.housing.models.sites import Site
from coparcours.housing.selectors.occupancy import free_places
from coparcours.housing.selectors.roles import funder_organisation_ids
from coparcours.housing.services.coordination import require_coordination, require_member_staff
from coparcours.organisations.models import Consortium
from coparcours.youths import services as youth_services
from coparcours.youths.models import Youth
from coparcours.youths.rules import MAJORITY_AGE, add_years


def likely_known_youths(request: PlacementRequest, on: datetime.date | None = None) -> list[Youth]:
    """Records that probably are the requested youth (``youths.services.likely_duplicates``:
    names without accents or case, birth dates close; a declared age stands for a birth
    date in the middle of that year of age). None for a request under a pseudonym."""
    if not (request.last_name.strip() and request.first_names.strip()):
        return []
    birth_date = request.birth_date
    if birth_date is None and request.age is not None:
        day = on or timezone.localdate()
        birth_date = add_years(day, -request.age) - datetime.timedelta(days=182)
    return list(
        youth_services.likely_duplicates(request.last_name, request.first_names, birth_date)
    )


def known_youth(request: PlacementRequest, on: datetime.date | None = None) -> Youth | None:
    """The existing record of the requested youth if exactly one is a likely duplicate: the
    request is linked to it and the admission creates no second record. Several matches
    link to none (a wrong link would mix two youths' data). Nothing of the match is shown
    to the funder."""
    found = likely_known_youths(request, on)
    return found[0] if len(found) == 1 else None


@transaction.atomic
def file_request(user: Any, consortium: Consortium, **fields: Any) -> PlacementRequest:
    """The funder's ASE service files a request; it goes to the coordination's queue only."""
    require_in_consortium(
        user,
        Capability.HOUSING_REQUEST_FILE,
        consortium,
        "Seul le service financeur du groupement dépose des demandes.",
    )
    request = PlacementRequest(
        consortium=consortium, funder=consortium.funder, filed_by=user, **fields
    )
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if request.requested_date and request.requested_date < today:
        errors["requested_date"] = "La date d'accueil souhaitée ne peut pas être dans le passé."
    if request.birth_date and request.birth_date > today:
        errors["birth_date"] = "La date de naissance ne peut pas être dans le futur."
    if request.birth_date is None and request.age is None:
        errors["age"] = "Indiquez la date de naissance ou l'âge déclaré."
    age = rules.declared_age(request.birth_date, request.age, today)
    if age is not None and age >= MAJORITY_AGE:
        errors["age"] = "Le groupement accueille des mineurs : le jeune a 18 ans ou plus."
    if not (request.reference or "").strip():
        errors["reference"] = "Indiquez la référence ASE ou un pseudonyme."
    if errors:
        raise ValidationError(errors)
    request.full_clean()
    request.youth = known_youth(request, today)
    request.save()
    return request


def open_request(request: PlacementRequest) -> PlacementRequest:
    """The request locked for the operation; a closed request is refused."""
    request = PlacementRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(f"Cette demande est close ({request.get_status_display().lower()}).")
    return request


@transaction.atomic
def put_on_waiting_list(user: Any, request: PlacementRequest) -> PlacementRequest:
    """No place for now: the request waits, ordered by urgency then date."""
    require_coordination(user, request.consortium)
    request = open_request(request)
    if request.status not in {RequestStatus.RECEIVED, RequestStatus.WAITING}:
        raise ValidationError("Une proposition est en cours pour cette demande.")
    request.status = RequestStatus.WAITING
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def cancel_request(user: Any, request: PlacementRequest) -> PlacementRequest:
    """The funder withdraws its request, or the coordination closes it."""
    funder = request.funder_id in funder_organisation_ids(user)
    if not funder:
        require_coordination(user, request.consortium)
    request = open_request(request)
    request.proposals.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED]).update(
        status=ProposalStatus.WITHDRAWN
    )
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    return request


def request_age(request: PlacementRequest, on: datetime.date) -> int | None:
    return rules.declared_age(request.birth_date, request.age, on)


@transaction.atomic
def propose(
    user: Any, request: PlacementRequest, site: Site, entry_date: datetime.date
) -> Proposal:
    """The coordination proposes a free place at a member's site."""
    require_coordination(user, request.consortium)
    request = open_request(request)
    errors: dict[str, str] = {}
    if request.proposals.filter(
        status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED]
    ).exists():
        raise ValidationError("Une proposition est déjà en cours pour cette demande.")
    if site.consortium_id != request.consortium_id:
        errors["site"] = "Ce site n'appartient pas au groupement."
    refusal = rules.site_accepts(
        site.min_age, site.max_age, site.accepted_sex, request_age(request, entry_date), request.sex
    )
    if refusal:
        errors["site"] = refusal
    if entry_date < timezone.localdate():
        errors["entry_date"] = "La date d'entrée prévue ne peut pas être dans le passé."
    if errors:
        raise ValidationError(errors)
    if free_places([site.pk], entry_date)[site.pk] <= 0:
        raise ValidationError({"site": f"{site.name} n'a pas de place libre à cette date."})
    proposal = Proposal.objects.create(
        request=request, site=site, entry_date=entry_date, proposed_by=user
    )
    request.status = RequestStatus.PROPOSED
    request.save(update_fields=["status", "updated_at"])
    return proposal


@transaction.atomic
def answer_proposal(user: Any, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """The member running the site accepts, or declines with a reason."""
    proposal = (
        Proposal.objects.select_for_update().select_related("request", "site").get(pk=proposal.pk)
    )
    require_member_staff(user, proposal.site.operator_on(proposal.entry_date))
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError("Cette proposition a déjà reçu une réponse.")
    if not accept and not reason.strip():
        raise ValidationError({"decline_reason": "Indiquez le motif du refus."})
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.decline_reason = "" if accept else reason.strip()
    proposal.answered_by = user
    proposal.answered_at = timezone.now()
    proposal.save()
    request = proposal.request
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.WAITING
    request.save(update_fields=["status", "updated_at"])
    return proposal
