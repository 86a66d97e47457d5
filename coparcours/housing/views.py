"""Web pages of the GME housing: the funder's requests, the coordination's queue,
availability and occupancy, the members' proposals, stays (under the access policy)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.core.access import Action, Category, check, guard, visible_youth_data
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.housing import charts, rules, selectors, services
from coparcours.housing.forms import (
    AdmitForm,
    AfterEighteenForm,
    AvailabilityForm,
    CapacityChangeForm,
    CoAccompanimentForm,
    DeclineForm,
    ExitForm,
    ProposalForm,
    RequestForm,
    SiteForm,
    SiteLoanForm,
    TransferForm,
    WaveForm,
)
from coparcours.housing.models import (
    CapacityChange,
    HousingSettings,
    PlacementRequest,
    Proposal,
    RequestStatus,
    Site,
    Stay,
    Wave,
)
from coparcours.organisations.models import Consortium, Organisation


def _coordinated(request: HttpRequest) -> Consortium:
    consortium = selectors.coordinated_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied(services.NOT_COORDINATION)
    return consortium


def _staff_organisation_ids(request: HttpRequest) -> set[int]:
    return selectors.staff_organisation_ids(request.user)


def _form_page(request: HttpRequest, form: Form, title: str, back: str, **extra) -> HttpResponse:
    return render(
        request, "housing/form_page.html", {"form": form, "title": title, "back": back, **extra}
    )


def _submit(
    request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], Any], success: str
) -> Any:
    """Run a service on a valid form; its refusals become form errors (nothing saved)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, success)
    return result


# --- Home of the housing --------------------------------------------------------------------


@requires(Capability.HOUSING)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordination's desk: queue, waiting list, occupancy, majorities coming."""
    consortium = selectors.coordinated_consortia(request.user).order_by("name").first()
    if consortium is None:
        if selectors.funder_organisation_ids(request.user):
            return redirect("housing:requests")
        if _staff_organisation_ids(request):
            return redirect("housing:proposals")
        raise PermissionDenied("L'hébergement du groupement n'est pas accessible à ce rôle.")
    settings_in_force = HousingSettings.in_force()
    by_member = selectors.occupancy_today(consortium, "organisation", settings=settings_in_force)
    occupied = sum(g.occupied for g in by_member)
    capacity = sum(g.capacity for g in by_member)
    return render(
        request,
        "housing/dashboard.html",
        {
            "consortium": consortium,
            "waiting": list(selectors.waiting_list(consortium)),
            "in_progress": list(
                PlacementRequest.objects.filter(
                    consortium=consortium,
                    status__in=[RequestStatus.PROPOSED, RequestStatus.ACCEPTED],
                ).prefetch_related("proposals__site__organisation")
            ),
            "by_member": by_member,
            "total": selectors.GroupOccupancy(
                consortium.name,
                occupied,
                capacity,
                rules.is_saturated(
                    occupied, capacity, settings_in_force.saturation_threshold_percent
                ),
            ),
            "threshold": settings_in_force.saturation_threshold_percent,
            "majorities": selectors.coming_majorities(request.user, consortium, settings_in_force),
            "alert_days": settings_in_force.coordinator_alert_days,
        },
    )


# --- Requests --------------------------------------------------------------------------------


@requires(Capability.HOUSING_REQUESTS)
def request_list(request: HttpRequest) -> HttpResponse:
    """The funder's requests and their status (the coordination sees all of its GME's)."""
    requests = selectors.requests_for(request.user).order_by("-created_at", "-pk")
    funder = selectors.funded_consortia(request.user).order_by("name").first()
    is_funder = bool(selectors.funder_organisation_ids(request.user))
    if not is_funder and not selectors.coordinated_consortia(request.user).exists():
        raise PermissionDenied(
            "Les demandes de placement sont réservées au financeur et à la coordination."
        )
    return render(
        request,
        "housing/requests.html",
        {"requests": requests, "can_file": funder is not None},
    )


@requires(Capability.HOUSING_REQUEST_FILE, categories=[Category.IDENTITY])
def request_create(request: HttpRequest) -> HttpResponse:
    consortium = selectors.funded_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied("Seul le service financeur du groupement dépose des demandes.")
    form = RequestForm(request.POST or None, initial={"requested_date": timezone.localdate()})
    filed = _submit(
        request,
        form,
        lambda data: services.file_request(request.user, consortium, **data),
        "Votre demande est transmise à la coordination du groupement.",
    )
    if filed:
        return redirect("housing:request", pk=filed.pk)
    return _form_page(
        request, form, f"Nouvelle demande de placement — {consortium.name}", "housing:requests"
    )


def _request_for(request: HttpRequest, pk: int) -> PlacementRequest:
    """A request the user may see (its funder or the coordination), or 404."""
    return get_object_or_404(selectors.requests_for(request.user), pk=pk)


@requires(Capability.HOUSING_REQUESTS, categories=[Category.IDENTITY])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    selectors.record_request_read(request.user, placement)
    coordination = services.is_coordination(request.user, placement.consortium)
    context: dict[str, Any] = {"placement": placement, "coordination": coordination}
    if coordination:
        start = placement.requested_date
        if start < timezone.localdate():
            start = timezone.localdate()
        age = services.request_age(placement, start)
        found = selectors.availability(placement.consortium, start, age, placement.sex)
        context.update(
            {
                "ambiguous_matches": (
                    len(services.likely_known_youths(placement))
                    if placement.youth_id is None and placement.is_open
                    else 0
                ),
                "age": age,
                "search_start": start,
                "available": found,
                "proposals": placement.proposals.select_related("site__organisation"),
                "form": ProposalForm(
                    sites=Site.objects.filter(pk__in=[a.site.pk for a in found]),
                    initial={"entry_date": start},
                ),
            }
        )
    return render(request, "housing/request_detail.html", context)


@requires(Capability.HOUSING_QUEUE)
def request_propose(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    services.require_coordination(request.user, placement.consortium)
    form = ProposalForm(
        request.POST or None, sites=Site.objects.filter(consortium=placement.consortium)
    )
    proposal = _submit(
        request,
        form,
        lambda data: services.propose(request.user, placement, data["site"], data["entry_date"]),
        "La place est proposée au membre, qui doit l'accepter.",
    )
    if proposal:
        return redirect("housing:request", pk=placement.pk)
    return _form_page(request, form, f"Proposer une place — {placement}", "housing:dashboard")


@requires(Capability.HOUSING_QUEUE)
@require_POST
def request_wait(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    try:
        services.put_on_waiting_list(request.user, placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La demande est inscrite en liste d'attente.")
    return redirect("housing:request", pk=placement.pk)


@requires(Capability.HOUSING_REQUESTS)
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    try:
        services.cancel_request(request.user, placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La demande est annulée.")
    return redirect("housing:request", pk=placement.pk)


@requires(Capability.HOUSING_QUEUE)
def availability(request: HttpRequest) -> HttpResponse:
    """Free places across all members for a date, an age and a sex."""
    consortium = _coordinated(request)
    form = AvailabilityForm(request.GET or None)
    found = None
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.availability(consortium, data["start"], data["age"], data["sex"])
    return render(
        request,
        "housing/availability.html",
        {"form": form, "found": found, "consortium": consortium},
    )


# --- Proposals (members) -----------------------------------------------------------------------


@requires(Capability.HOUSING_MEMBER)
def proposals(request: HttpRequest) -> HttpResponse:
    """Places proposed by the coordination to my organisation, waiting for an answer."""
    if not _staff_organisation_ids(request):
        raise PermissionDenied("Réservé aux équipes des associations membres.")
    return render(
        request,
        "housing/proposals.html",
        {"proposals": selectors.proposals_to_answer(request.user)},
    )


def _proposal_for(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(selectors.proposals_for(request.user), pk=pk)


@requires(Capability.HOUSING_MEMBER)
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    try:
        services.answer_proposal(request.user, proposal, accept=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Proposition acceptée : l'admission peut être enregistrée.")
    return redirect("housing:proposal_admit", pk=proposal.pk)


@requires(Capability.HOUSING_MEMBER)
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    form = DeclineForm(request.POST or None)
    if _submit(
        request,
        form,
        lambda data: services.answer_proposal(
            request.user, proposal, accept=False, reason=data["decline_reason"]
        ),
        "Proposition refusée : la coordination est informée.",
    ):
        return redirect("housing:proposals")
    return _form_page(
        request, form, f"Refuser la proposition — {proposal.site.name}", "housing:proposals"
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def proposal_admit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    form = AdmitForm(request.POST or None, initial={"entry_date": proposal.entry_date})
    stay = _submit(
        request,
        form,
        lambda data: services.admit(request.user, proposal, data["entry_date"]),
        "Admission enregistrée : le séjour est ouvert.",
    )
    if stay:
        return redirect("housing:stay", pk=stay.pk)
    return _form_page(
        request,
        form,
        f"Admission à {proposal.site.name}",
        "housing:proposals",
        proposal=proposal,
    )


# --- Stays -----------------------------------------------------------------------------------


@requires(Capability.HOUSING_STAYS, categories=[Category.IDENTITY, Category.HOUSING])
def stay_list(request: HttpRequest) -> HttpResponse:
    """Stays whose housing data the user may read (access policy)."""
    current = request.GET.get("vue", "en-cours") == "en-cours"
    stays = Stay.objects.all()
    if current:
        stays = Stay.objects.active()
    visible = selectors.visible_stays(request.user, stays)
    reminders = selectors.pending_reminders([stay.youth_id for stay in visible])
    return render(
        request,
        "housing/stays.html",
        {
            "rows": [(stay, reminders.get(stay.youth_id, [])) for stay in visible],
            "current": current,
        },
    )


def _stay_for(request: HttpRequest, pk: int, action: str = Action.READ) -> Stay:
    """A stay of a youth the user's organisations accompany, after the policy's check."""
    stays = visible_youth_data(
        request.user,
        Stay.objects.select_related("youth", "site__organisation", "site__consortium"),
    )
    stay = get_object_or_404(stays, pk=pk)
    # a page read is audited here; a write page only leads to the act, audited by the service
    (check if action == Action.READ else guard)(
        request.user,
        stay.youth,
        Category.HOUSING,
        action,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
    )
    return stay


@requires(Capability.HOUSING_STAYS, categories=[Category.IDENTITY, Category.HOUSING])
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay_for(request, pk)
    youth = stay.youth
    history = selectors.visible_stays(request.user, Stay.objects.filter(youth=youth), few_rows=True)
    return render(
        request,
        "housing/stay_detail.html",
        {
            "stay": stay,
            "youth": youth,
            "history": sorted(history, key=lambda s: s.start_date),
            "decisions": stay.after_18.all(),
            "coordination": services.is_coordination(request.user, stay.site.consortium),
        },
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay_for(request, pk, Action.WRITE)
    services.require_coordination(request.user, stay.site.consortium)
    sites = Site.objects.filter(consortium=stay.site.consortium).exclude(pk=stay.site_id)
    form = TransferForm(request.POST or None, sites=sites, initial={"on": timezone.localdate()})
    transfer = _submit(
        request,
        form,
        lambda data: services.transfer(
            request.user, stay, data["to_site"], data["on"], data["reason"], data["details"]
        ),
        "Réorientation enregistrée : un nouveau séjour est ouvert.",
    )
    if transfer:
        return redirect("housing:stay", pk=transfer.to_stay_id)
    return _form_page(request, form, f"Réorienter — {stay.youth}", "housing:stays", stay=stay)


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_exit(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay_for(request, pk, Action.WRITE)
    form = ExitForm(request.POST or None, initial={"on": timezone.localdate()})
    if _submit(
        request,
        form,
        lambda data: services.record_exit(
            request.user, stay, data["on"], data["reason"], data["details"]
        ),
        "Sortie enregistrée.",
    ):
        return redirect("housing:stays")
    return _form_page(request, form, f"Sortie — {stay.youth}", "housing:stays", stay=stay)


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_after_18(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay_for(request, pk, Action.WRITE)
    form = AfterEighteenForm(request.POST or None, initial={"start_date": stay.youth.majority_date})
    if _submit(
        request,
        form,
        lambda data: services.decide_after_18(request.user, stay, **data),
        "Décision à la majorité enregistrée.",
    ):
        return redirect("housing:stay", pk=stay.pk)
    return _form_page(
        request, form, f"Décision à la majorité — {stay.youth}", "housing:stays", stay=stay
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_co_accompany(request: HttpRequest, pk: int) -> HttpResponse:
    stay = _stay_for(request, pk, Action.WRITE)
    members = Organisation.objects.filter(
        consortium_memberships__consortium=stay.site.consortium
    ).exclude(pk=stay.youth.owner_organisation_id)
    form = CoAccompanimentForm(
        request.POST or None, organisations=members, initial={"start": timezone.localdate()}
    )
    if _submit(
        request,
        form,
        lambda data: services.co_accompany(
            request.user, stay, data["organisation"], data["role"], data["start"]
        ),
        "Co-accompagnement enregistré.",
    ):
        return redirect("housing:stay", pk=stay.pk)
    return _form_page(
        request,
        form,
        f"Co-accompagnement par une seconde association — {stay.youth}",
        "housing:stays",
        stay=stay,
    )


# --- Occupancy and sites -----------------------------------------------------------------------

GROUPINGS = {"organisation": "Par membre", "kind": "Par type d'hébergement", "site": "Par site"}


@requires(Capability.HOUSING_QUEUE)
def occupancy(request: HttpRequest) -> HttpResponse:
    """Occupancy of the consortium: planned vs opened places, daily occupancy, heat-map,
    entries and exits per month (aggregates only)."""
    consortium = _coordinated(request)
    by = request.GET.get("par", "organisation")
    if by not in GROUPINGS:
        by = "organisation"
    today = timezone.localdate()
    start = today - datetime.timedelta(days=364)
    end = today + datetime.timedelta(days=1)
    rows = selectors.daily_occupancy(consortium.pk, start, end, by=by)
    whole = selectors.daily_occupancy(consortium.pk, start, end, by="consortium")
    labels = selectors.group_labels(consortium, by)
    capacity = selectors.capacity_history(consortium)
    return render(
        request,
        "housing/occupancy.html",
        {
            "consortium": consortium,
            "by": by,
            "groupings": GROUPINGS,
            "today_rows": selectors.occupancy_today(consortium, by, today),
            "capacity": capacity,
            "capacity_chart": charts.capacity_chart(capacity, today),
            "occupancy_chart": charts.occupancy_chart(
                rows, labels, f"Jeunes hébergés chaque jour — {GROUPINGS[by].lower()}"
            ),
            "heatmap": charts.heatmap(whole, start, today),
            "movements": selectors.monthly_movements(consortium, start.replace(day=1)),
            "threshold": HousingSettings.in_force(today).saturation_threshold_percent,
        },
    )


def _require_site_access(request: HttpRequest) -> None:
    if not (
        selectors.coordinated_consortia(request.user).exists() or _staff_organisation_ids(request)
    ):
        raise PermissionDenied("Réservé à la coordination et aux équipes des membres.")


@requires(Capability.HOUSING_MEMBER)
def sites(request: HttpRequest) -> HttpResponse:
    """Sites the user manages (all the GME's for its coordination, its own for a member's
    staff) with today's opened capacity and occupancy."""
    _require_site_access(request)
    site_list = list(selectors.managed_sites(request.user).order_by("organisation__name", "name"))
    today = timezone.localdate()
    by_site: dict[int, selectors.OccupancyRow] = {}
    for consortium_id in {site.consortium_id for site in site_list}:
        ids = [site.pk for site in site_list if site.consortium_id == consortium_id]
        rows = selectors.daily_occupancy(
            consortium_id, today, today + datetime.timedelta(days=1), "site", ids
        )
        by_site.update({row.key: row for row in rows})
    threshold = HousingSettings.in_force(today).saturation_threshold_percent
    return render(
        request,
        "housing/sites.html",
        {
            "rows": [(site, by_site.get(site.pk)) for site in site_list],
            "threshold": threshold,
            "can_declare": selectors.site_declaring_choices(request.user)[1].exists(),
        },
    )


def _managed_site(request: HttpRequest, pk: int) -> Site:
    return get_object_or_404(selectors.managed_sites(request.user), pk=pk)


@requires(Capability.HOUSING_MEMBER)
def site_create(request: HttpRequest) -> HttpResponse:
    consortia, organisations = selectors.site_declaring_choices(request.user)
    if not organisations.exists():
        raise PermissionDenied("Réservé à la coordination et aux équipes des membres.")
    form = SiteForm(
        request.POST or None,
        consortia=consortia,
        organisations=organisations,
        initial={"consortium": consortia.first(), "organisation": organisations.first()},
    )
    site = _submit(
        request,
        form,
        lambda data: services.declare_site(
            request.user,
            data.pop("consortium"),
            data.pop("organisation"),
            **data,
        ),
        "Site déclaré : indiquez maintenant ses places.",
    )
    if site:
        return redirect("housing:site", pk=site.pk)
    return _form_page(request, form, "Déclarer un site d'hébergement", "housing:sites")


@requires(Capability.HOUSING_MEMBER)
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A site's declaration, its capacity over time, its loans, and the history of changes."""
    site = _managed_site(request, pk)
    changes = site.capacity_changes.select_related("wave").order_by("planned_on", "pk")
    history = sorted(
        [
            *site.history.select_related("history_user"),
            *CapacityChange.history.filter(site_id=site.pk).select_related("history_user"),
        ],
        key=lambda h: h.history_date,
        reverse=True,
    )
    return render(
        request,
        "housing/site_detail.html",
        {
            "site": site,
            "changes": changes,
            "opened": sum(c.places for c in changes if c.opened_on is not None),
            "planned": sum(c.places for c in changes),
            "loans": site.loans.select_related("borrower"),
            "history": history,
        },
    )


@requires(Capability.HOUSING_MEMBER)
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _managed_site(request, pk)
    form = SiteForm(request.POST or None, instance=site)
    if _submit(
        request,
        form,
        lambda data: services.update_site(request.user, site, **data),
        "Site modifié (l'historique est conservé).",
    ):
        return redirect("housing:site", pk=site.pk)
    return _form_page(request, form, f"Modifier le site {site.name}", "housing:sites")


@requires(Capability.HOUSING_MEMBER)
def capacity_create(request: HttpRequest, pk: int) -> HttpResponse:
    site = _managed_site(request, pk)
    form = CapacityChangeForm(
        request.POST or None,
        waves=site.consortium.waves.all(),
        initial={"planned_on": timezone.localdate()},
    )
    if _submit(
        request,
        form,
        lambda data: services.record_capacity_change(request.user, site, **data),
        "Évolution de capacité enregistrée.",
    ):
        return redirect("housing:site", pk=site.pk)
    return _form_page(request, form, f"Places du site {site.name}", "housing:sites")


@requires(Capability.HOUSING_MEMBER)
def capacity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(
        CapacityChange.objects.filter(
            site__in=selectors.managed_sites(request.user)
        ).select_related("site__consortium"),
        pk=pk,
    )
    form = CapacityChangeForm(
        request.POST or None, instance=change, waves=change.site.consortium.waves.all()
    )
    if _submit(
        request,
        form,
        lambda data: services.update_capacity_change(request.user, change, **data),
        "Évolution de capacité modifiée (l'historique est conservé).",
    ):
        return redirect("housing:site", pk=change.site_id)
    return _form_page(
        request, form, f"Modifier une évolution de capacité — {change.site.name}", "housing:sites"
    )


# --- Waves ---------------------------------------------------------------------------------


def _wave_consortium(request: HttpRequest) -> Consortium:
    consortium = selectors.wave_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied("Réservé au financeur et à la coordination du groupement.")
    return consortium


@requires(Capability.HOUSING_WAVES)
def waves(request: HttpRequest) -> HttpResponse:
    """Waves decided by the funder: planned against actually opened places, over time and
    per wave (aggregates: the funder sees no member's internal data)."""
    consortium = _wave_consortium(request)
    capacity = selectors.capacity_history(consortium)
    return render(
        request,
        "housing/waves.html",
        {
            "consortium": consortium,
            "progress": selectors.wave_progress(consortium),
            "capacity": capacity,
            "capacity_chart": charts.capacity_chart(capacity, timezone.localdate()),
            "coordination": services.is_coordination(request.user, consortium),
        },
    )


@requires(Capability.HOUSING_WAVES)
def wave_create(request: HttpRequest) -> HttpResponse:
    consortium = _wave_consortium(request)
    form = WaveForm(request.POST or None)
    if _submit(
        request,
        form,
        lambda data: services.record_wave(request.user, consortium, **data),
        "Vague enregistrée : chaque membre indique les ouvertures de ses sites.",
    ):
        return redirect("housing:waves")
    return _form_page(request, form, f"Nouvelle vague — {consortium.name}", "housing:waves")


@requires(Capability.HOUSING_WAVES)
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(
        Wave.objects.filter(consortium__in=selectors.wave_consortia(request.user)), pk=pk
    )
    form = WaveForm(request.POST or None, instance=wave)
    if _submit(
        request,
        form,
        lambda data: services.update_wave(request.user, wave, **data),
        "Vague modifiée (l'historique est conservé).",
    ):
        return redirect("housing:waves")
    return _form_page(request, form, f"Modifier la vague {wave.name}", "housing:waves")


# --- Site loans ----------------------------------------------------------------------------


@requires(Capability.HOUSING_MEMBER)
def loans(request: HttpRequest) -> HttpResponse:
    """Sites lent between members at short notice under a convention."""
    _require_site_access(request)
    return render(
        request,
        "housing/loans.html",
        {"loans": selectors.visible_loans(request.user).order_by("-start_date", "-pk")},
    )


@requires(Capability.HOUSING_MEMBER)
def loan_create(request: HttpRequest) -> HttpResponse:
    _require_site_access(request)
    managed = selectors.managed_sites(request.user)
    borrowers = Organisation.objects.filter(
        consortium_memberships__consortium__in=managed.values("consortium")
    ).distinct()
    today = timezone.localdate()
    form = SiteLoanForm(
        request.POST or None,
        sites=managed,
        borrowers=borrowers,
        initial={"signed_on": today, "start_date": today},
    )
    if _submit(
        request,
        form,
        lambda data: services.lend_site(
            request.user, data.pop("site"), data.pop("borrower"), **data
        ),
        "Mise à disposition enregistrée : le membre accueillant y héberge dès son début.",
    ):
        return redirect("housing:loans")
    return _form_page(request, form, "Prêter un site à un autre membre", "housing:loans")
