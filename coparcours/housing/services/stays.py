"""Stays: the admission of a youth on an accepted proposal, transfers between sites,
exits and co-accompaniment.

The hosting member and the coordination accompany a hosted youth through
``youths.Assignment`` rows (relations ``hosting`` and ``gme_coordination``) created and
ended here, in the same transaction as the stay; the access policy does the rest.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coparcours.core.access import Action, Category, Relation, check
from coparcours.housing import rules
from coparcours.housing.models.requests import (
    PlacementRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from coparcours.housing.models.sites import Site
from coparcours.housing.models.stays import ExitReason, Stay, Transfer, TransferReason
from coparcours.housing.selectors.occupancy import free_places
from coparcours.housing.selectors.roles import lead_organisation_id
from coparcours.housing.services.coordination import (
    is_coordination,
    require_coordination,
    require_member_staff,
)
from coparcours.housing.services.requests import known_youth, open_request, request_age
from coparcours.organisations.models import Organisation
from coparcours.youths import services as youth_services
from coparcours.youths.models import Assignment, Youth
from coparcours.youths.models.records import AgeAssessment


def _lock_sites(*sites: Site) -> dict[int, Site]:
    """Lock site rows in a fixed order (no deadlock): admissions to a site are serialised."""
    ids = sorted({site.pk for site in sites})
    return {
        site.pk: site for site in Site.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def _require_free_place(site: Site, day: datetime.date) -> None:
    if free_places([site.pk], day)[site.pk] <= 0:
        raise ValidationError(
            {
                "site": f"Plus de place libre à {site.name} à partir du {day:%d/%m/%Y} : "
                "la place vient peut-être d'être attribuée. Rien n'a été enregistré."
            }
        )


def _require_no_overlap(youth: Youth, start: datetime.date) -> None:
    """A youth never has two stays at once (stays are half-open [start, end))."""
    if (
        Stay.objects.filter(youth=youth)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .exists()
    ):
        raise ValidationError("Ce jeune a déjà un séjour en cours ou postérieur à cette date.")


def _assignment(
    user: Any, youth: Youth, organisation_id: int, relation: str, role: str, start: datetime.date
) -> Assignment | None:
    """The organisation accompanies the youth from ``start`` (none needed for the owner's
    hosting, nor if the same relation is already in force)."""
    if relation == Relation.HOSTING and organisation_id == youth.owner_organisation_id:
        return None
    if (
        Assignment.objects.active(start)
        .filter(youth=youth, organisation_id=organisation_id, relation=relation)
        .exists()
    ):
        return None
    assignment = Assignment(
        youth=youth,
        organisation_id=organisation_id,
        relation=relation,
        role=role,
        start_date=start,
        created_by=user,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def _end_assignment(assignment: Assignment | None, on: datetime.date) -> None:
    if assignment is not None and (assignment.end_date is None or assignment.end_date > on):
        assignment.end_date = on
        assignment.save(update_fields=["end_date", "updated_at"])


def _open_stay(
    user: Any,
    youth: Youth,
    site: Site,
    start: datetime.date,
    request: PlacementRequest | None,
    coordination_assignment: Assignment | None = None,
    reason: str = "",
) -> Stay:
    """Open a stay after the checks; the host and the coordination accompany the youth."""
    operator = site.operator_on(start)
    lead_id = lead_organisation_id(site.consortium)
    hosting = _assignment(
        user, youth, operator.pk, Relation.HOSTING, f"Hébergement — {site.name}", start
    )
    if coordination_assignment is None:
        coordination_assignment = _assignment(
            user,
            youth,
            lead_id,
            Relation.GME_COORDINATION,
            f"Coordination du {site.consortium.name}",
            start,
        )
    stay = Stay(
        youth=youth,
        site=site,
        author_organisation=operator,
        request=request,
        start_date=start,
        hosting_assignment=hosting,
        coordination_assignment=coordination_assignment,
        created_by=user,
    )
    stay.full_clean()
    stay.save()
    check(
        user,
        youth,
        Category.HOUSING,
        Action.WRITE,
        author_organisation_id=operator.pk,
        obj=stay,
        reason=reason,
    )
    return stay


def _youth_from_request(request: PlacementRequest, owner: Organisation) -> Youth:
    """The record of a newly hosted youth, owned by the hosting member."""
    youth = Youth(
        owner_organisation=owner,
        last_name=request.last_name or request.reference,
        first_names=request.first_names or "(à compléter)",
        sex=request.sex,
        birth_date=request.birth_date,
        birth_date_is_declared=request.birth_date is not None,
        is_unaccompanied_minor=True,
        age_assessment=AgeAssessment.MINOR,
        ase_service=str(request.funder),
        guardian=f"{request.funder} (tutelle)",
    )
    youth.full_clean()
    youth.save()
    return youth


@transaction.atomic
def admit(user: Any, proposal: Proposal, entry_date: datetime.date | None = None) -> Stay:
    """The youth arrives: the accepted proposal becomes a stay. The site row is locked, so
    two admissions to its last free place cannot both succeed."""
    proposal = Proposal.objects.select_related("request", "site__consortium").get(pk=proposal.pk)
    entry_date = entry_date or proposal.entry_date
    site = proposal.site
    if not is_coordination(user, site.consortium):
        require_member_staff(user, site.operator_on(entry_date))
    site = _lock_sites(site)[site.pk]
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    request = open_request(proposal.request)
    if proposal.status != ProposalStatus.ACCEPTED:
        raise ValidationError("Le membre doit d'abord accepter la proposition.")
    if entry_date > timezone.localdate():
        raise ValidationError(
            {"entry_date": "L'admission s'enregistre à l'arrivée : pas de date future."}
        )
    refusal = rules.site_accepts(
        site.min_age, site.max_age, site.accepted_sex, request_age(request, entry_date), request.sex
    )
    if refusal:
        raise ValidationError({"site": refusal})
    _require_free_place(site, entry_date)
    youth = (
        request.youth
        or known_youth(request)
        or _youth_from_request(request, site.operator_on(entry_date))
    )
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    _require_no_overlap(youth, entry_date)
    stay = _open_stay(user, youth, site, entry_date, request)
    proposal.status = ProposalStatus.ADMITTED
    proposal.save(update_fields=["status", "updated_at"])
    request.status = RequestStatus.ADMITTED
    request.youth = youth
    request.save(update_fields=["status", "youth", "updated_at"])
    return stay


@transaction.atomic
def record_past_stay(
    user: Any,
    youth: Youth,
    site: Site,
    start: datetime.date,
    end: datetime.date | None,
    *,
    exit_reason: str = "",
    exit_details: str = "",
    reason: str,
) -> Stay:
    """A stay brought in from the member's earlier records (an import, which checked the
    site's public, the dates, overlaps and places over its whole file): recorded as its
    admission and its exit would have been, the host and the coordination accompanying the
    youth for its days. ``reason`` says so in the access log."""
    require_member_staff(user, site.operator_on(start))
    site = _lock_sites(site)[site.pk]
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    stay = _open_stay(user, youth, site, start, None, reason=reason)
    if end is not None:
        stay.end_date = end
        stay.exit_reason = exit_reason
        stay.exit_details = exit_details
        stay.full_clean()
        stay.save()
        _end_assignment(stay.hosting_assignment, end)
        _end_assignment(stay.coordination_assignment, end)
    return stay


def _youth_age(youth: Youth, stay: Stay, on: datetime.date) -> int | None:
    if youth.birth_date is not None:
        return rules.declared_age(youth.birth_date, None, on)
    return request_age(stay.request, on) if stay.request else None


@transaction.atomic
def transfer(
    user: Any, stay: Stay, to_site: Site, on: datetime.date, reason: str, details: str = ""
) -> Transfer:
    """A réorientation (for instance to secure the youth's schooling) closes the stay and
    opens the next one at another site, usually another member's."""
    stay = Stay.objects.select_related("youth", "site__consortium", "request").get(pk=stay.pk)
    require_coordination(user, stay.site.consortium)
    check(
        user,
        stay.youth,
        Category.HOUSING,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
    )
    sites = _lock_sites(stay.site, to_site)
    to_site = sites[to_site.pk]
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    errors: dict[str, str] = {}
    if stay.end_date is not None:
        raise ValidationError("Ce séjour est déjà clos.")
    if to_site.pk == stay.site_id:
        errors["to_site"] = "Choisissez un autre site que le site actuel."
    elif to_site.consortium_id != stay.site.consortium_id:
        errors["to_site"] = "Ce site n'appartient pas au groupement."
    else:
        refusal = rules.site_accepts(
            to_site.min_age,
            to_site.max_age,
            to_site.accepted_sex,
            _youth_age(stay.youth, stay, on),
            stay.youth.sex,
        )
        if refusal:
            errors["to_site"] = refusal
    if on <= stay.start_date:
        errors["on"] = "La réorientation doit suivre la date d'entrée du séjour."
    elif on > timezone.localdate():
        errors["on"] = "La réorientation s'enregistre le jour du départ : pas de date future."
    if reason not in TransferReason.values:
        errors["reason"] = "Choisissez le motif de la réorientation."
    if errors:
        raise ValidationError(errors)
    _require_free_place(to_site, on)
    stay.end_date = on
    stay.exit_reason = ExitReason.TRANSFER
    stay.exit_details = details
    stay.save()
    _end_assignment(stay.hosting_assignment, on)
    next_stay = _open_stay(
        user, stay.youth, to_site, on, stay.request, stay.coordination_assignment
    )
    return Transfer.objects.create(
        from_stay=stay, to_stay=next_stay, reason=reason, details=details, decided_by=user
    )


@transaction.atomic
def record_exit(user: Any, stay: Stay, on: datetime.date, reason: str, details: str = "") -> Stay:
    """The youth leaves the consortium (majority, return to family, another département,
    run-away…): the host and the coordination stop accompanying from that day."""
    stay = Stay.objects.select_related("youth", "site__consortium").get(pk=stay.pk)
    check(
        user,
        stay.youth,
        Category.HOUSING,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
    )
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    errors: dict[str, str] = {}
    if stay.end_date is not None:
        raise ValidationError("Ce séjour est déjà clos.")
    if on <= stay.start_date:
        errors["on"] = (
            f"La sortie ne peut pas précéder ni égaler l'entrée (le {stay.start_date:%d/%m/%Y})."
        )
    elif on > timezone.localdate():
        errors["on"] = "La sortie s'enregistre quand elle a lieu : pas de date future."
    if reason not in ExitReason.values or reason == ExitReason.TRANSFER:
        errors["reason"] = "Choisissez le motif de sortie (une réorientation se fait à part)."
    if errors:
        raise ValidationError(errors)
    stay.end_date = on
    stay.exit_reason = reason
    stay.exit_details = details
    stay.save()
    _end_assignment(stay.hosting_assignment, on)
    _end_assignment(stay.coordination_assignment, on)
    return stay


@transaction.atomic
def co_accompany(
    user: Any, stay: Stay, organisation: Organisation, role: str, start: datetime.date
) -> Assignment:
    """A complex situation accompanied by two associations of the consortium;
    the owning organisation decides, as for any co-accompaniment."""
    if not stay.site.consortium.members.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": "Choisissez une association du groupement."})
    return youth_services.add_assignment(
        user, stay.youth, organisation, role, start, relation=Relation.CO_ACCOMPANIMENT
    )
