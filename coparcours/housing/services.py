"""Operations of the GME housing. Each one checks who may act and runs in one transaction:
on a refusal, a clear French message and nothing saved.

The hosting member and the coordination accompany a hosted youth through
``youths.Assignment`` rows (relations ``hosting`` and ``gme_coordination``) created and
ended here, in the same transaction as the stay; the access policy does the rest.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Relation,
    check,
    may_in_consortium,
    members_who_may,
    require_in_consortium,
)
from coparcours.housing import rules, selectors
from coparcours.housing.models import (
    AfterEighteen,
    CapacityChange,
    ExitReason,
    HousingSettings,
    MajorityDecision,
    MajorityReminder,
    PlacementRequest,
    Proposal,
    ProposalStatus,
    ReminderKind,
    RequestStatus,
    Site,
    SiteLoan,
    Stay,
    Transfer,
    TransferReason,
    Wave,
)
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths import services as youth_services
from coparcours.youths.models import AgeAssessment, Assignment, Youth
from coparcours.youths.rules import MAJORITY_AGE, add_years

NOT_COORDINATION = "Seule la coordination du groupement peut faire cette opération."


def require_coordination(user: Any, consortium: Consortium) -> None:
    """The coordination is the funder's single interlocutor (docs/access.md, scoped acts)."""
    require_in_consortium(user, Capability.HOUSING_COORDINATION, consortium, NOT_COORDINATION)


def is_coordination(user: Any, consortium: Consortium) -> bool:
    return may_in_consortium(user, Capability.HOUSING_COORDINATION, consortium)


def require_member_staff(user: Any, organisation: Organisation) -> None:
    if organisation.pk not in selectors.staff_organisation_ids(user):
        raise PermissionDenied(f"Seule l'équipe de {organisation} peut répondre pour ce site.")


# --- Sites, capacity, loans -------------------------------------------------------------


def require_site_manager(user: Any, site: Site) -> None:
    """The coordination of the GME or the staff of the member owning the site."""
    if not is_coordination(user, site.consortium):
        require_member_staff(user, site.organisation)


SITE_FIELDS = (
    "name",
    "kind",
    "host_establishment",
    "address",
    "postal_code",
    "city",
    "min_age",
    "max_age",
    "accepted_sex",
)


@transaction.atomic
def declare_site(
    user: Any, consortium: Consortium, organisation: Organisation, **fields: Any
) -> Site:
    """A member declares one of its own sites: kind, address, age and sex accepted. Its
    places come with capacity changes, never with the site itself."""
    site = Site(consortium=consortium, organisation=organisation, **fields)
    require_site_manager(user, site)
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def update_site(user: Any, site: Site, **fields: Any) -> Site:
    """Edit a site's declaration; its member and GME do not change (history kept)."""
    require_site_manager(user, site)
    site = Site.objects.select_for_update().get(pk=site.pk)
    for name, value in fields.items():
        if name not in SITE_FIELDS:
            raise ValueError(f"{name} is not an editable field of a site")
        setattr(site, name, value)
    site.full_clean()
    site.save()
    return site


def _validate_capacity_change(change: CapacityChange) -> None:
    errors: dict[str, str] = {}
    if change.places == 0:
        errors["places"] = "Indiquez un nombre de places non nul."
    if change.wave is not None and change.wave.consortium_id != change.site.consortium_id:
        errors["wave"] = "Cette vague concerne un autre groupement."
    if errors:
        raise ValidationError(errors)
    change.full_clean()


@transaction.atomic
def record_capacity_change(
    user: Any,
    site: Site,
    places: int,
    planned_on: datetime.date,
    opened_on: datetime.date | None = None,
    wave: Wave | None = None,
) -> CapacityChange:
    """Places opened or closed at a site; the opened capacity never goes negative."""
    require_site_manager(user, site)
    site = Site.objects.select_for_update().get(pk=site.pk)
    change = CapacityChange(
        site=site, wave=wave, places=places, planned_on=planned_on, opened_on=opened_on
    )
    _validate_capacity_change(change)
    change.save()
    _check_capacity_never_negative(site)
    return change


@transaction.atomic
def update_capacity_change(
    user: Any,
    change: CapacityChange,
    places: int,
    planned_on: datetime.date,
    opened_on: datetime.date | None = None,
    wave: Wave | None = None,
) -> CapacityChange:
    """Correct a capacity change, typically to record the actual opening date of a wave's
    places at the site (for instance 50 places decided, 20 opened the next year). History kept."""
    site = Site.objects.select_for_update().get(pk=change.site_id)
    require_site_manager(user, site)
    change = CapacityChange.objects.select_for_update().get(pk=change.pk)
    change.places, change.planned_on, change.opened_on, change.wave = (
        places,
        planned_on,
        opened_on,
        wave,
    )
    _validate_capacity_change(change)
    change.save()
    _check_capacity_never_negative(site)
    return change


def _check_capacity_never_negative(site: Site) -> None:
    """After any change, the opened capacity stays ≥ 0 and ≥ the occupancy at every change."""
    changes = list(
        site.capacity_changes.filter(opened_on__isnull=False).order_by("opened_on", "pk")
    )
    negative = rules.first_negative_capacity((c.opened_on, c.places) for c in changes)
    if negative is not None:
        day = f"{negative:%d/%m/%Y}"
        raise ValidationError({"places": f"La capacité du site deviendrait négative le {day}."})
    closings = [c.opened_on for c in changes if c.places < 0]
    for day in closings:
        row = next(
            iter(
                selectors.daily_occupancy(
                    site.consortium_id, day, day + datetime.timedelta(days=1), "site", [site.pk]
                )
            ),
            None,
        )
        if row is not None and row.free < 0:
            raise ValidationError(
                {
                    "places": f"Le {day:%d/%m/%Y}, {row.occupied} jeunes occupent ce site : "
                    f"sa capacité ne peut pas descendre à {row.capacity}."
                }
            )


def require_wave_author(user: Any, consortium: Consortium) -> None:
    """Waves are decided by the funder; its service or the coordination records them."""
    require_in_consortium(
        user,
        Capability.HOUSING_WAVES,
        consortium,
        "Seuls le financeur et la coordination du groupement enregistrent les vagues.",
    )


WAVE_FIELDS = ("name", "decided_on", "planned_places", "planned_start", "planned_end")


@transaction.atomic
def record_wave(user: Any, consortium: Consortium, **fields: Any) -> Wave:
    """The funder decides a wave of places with its planned dates (docs/domain-rules.md,
    "Sites, places and stays")."""
    require_wave_author(user, consortium)
    wave = Wave(consortium=consortium, **{k: v for k, v in fields.items() if k in WAVE_FIELDS})
    wave.full_clean()
    wave.save()
    return wave


@transaction.atomic
def update_wave(user: Any, wave: Wave, **fields: Any) -> Wave:
    """Edit a wave's decision (history kept); per-site openings are capacity changes."""
    require_wave_author(user, wave.consortium)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    for name, value in fields.items():
        if name not in WAVE_FIELDS:
            raise ValueError(f"{name} is not an editable field of a wave")
        setattr(wave, name, value)
    wave.full_clean()
    wave.save()
    return wave


@transaction.atomic
def lend_site(
    user: Any,
    site: Site,
    borrower: Organisation,
    *,
    convention_reference: str,
    signed_on: datetime.date,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> SiteLoan:
    """A member lends a site to another member at short notice under a convention (which may
    be signed in two days, youths hosted from its signature)."""
    require_site_manager(user, site)
    loan = SiteLoan(
        site=site,
        borrower=borrower,
        convention_reference=convention_reference,
        signed_on=signed_on,
        start_date=start_date,
        end_date=end_date,
        created_by=user,
    )
    loan.full_clean()
    loan.save()
    return loan


# --- Placement requests ------------------------------------------------------------------


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


def _open_request(request: PlacementRequest) -> PlacementRequest:
    request = PlacementRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(f"Cette demande est close ({request.get_status_display().lower()}).")
    return request


@transaction.atomic
def put_on_waiting_list(user: Any, request: PlacementRequest) -> PlacementRequest:
    """No place for now: the request waits, ordered by urgency then date."""
    require_coordination(user, request.consortium)
    request = _open_request(request)
    if request.status not in {RequestStatus.RECEIVED, RequestStatus.WAITING}:
        raise ValidationError("Une proposition est en cours pour cette demande.")
    request.status = RequestStatus.WAITING
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def cancel_request(user: Any, request: PlacementRequest) -> PlacementRequest:
    """The funder withdraws its request, or the coordination closes it."""
    funder = request.funder_id in selectors.funder_organisation_ids(user)
    if not funder:
        require_coordination(user, request.consortium)
    request = _open_request(request)
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
    request = _open_request(request)
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
    if selectors.free_places([site.pk], entry_date)[site.pk] <= 0:
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


# --- Stays ---------------------------------------------------------------------------------


def _lock_sites(*sites: Site) -> dict[int, Site]:
    """Lock site rows in a fixed order (no deadlock): admissions to a site are serialised."""
    ids = sorted({site.pk for site in sites})
    return {
        site.pk: site for site in Site.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def _require_free_place(site: Site, day: datetime.date) -> None:
    if selectors.free_places([site.pk], day)[site.pk] <= 0:
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
) -> Stay:
    """Open a stay after the checks; the host and the coordination accompany the youth."""
    operator = site.operator_on(start)
    lead_id = selectors.lead_organisation_id(site.consortium)
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
    check(user, youth, Category.HOUSING, Action.WRITE, author_organisation_id=operator.pk, obj=stay)
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
    request = _open_request(proposal.request)
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


# --- Turning 18 ---------------------------------------------------------------------------


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
                else selectors.lead_organisation_id(stay.site.consortium)
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
