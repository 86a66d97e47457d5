"""Sites of the members and their capacity, the funder's waves of places, loans of a site
between members."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing import charts
from coparcours.housing.forms import CapacityChangeForm, SiteForm, SiteLoanForm, WaveForm
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.sites import CapacityChange, Site, Wave
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.housing.selectors import roles
from coparcours.housing.selectors import sites as site_selectors
from coparcours.housing.services import coordination as coordination_services
from coparcours.housing.services import sites as site_services
from coparcours.housing.views.common import form_page, staff_ids, submit
from coparcours.organisations.models import Consortium, Organisation


def _require_site_access(request: HttpRequest) -> None:
    if not (roles.coordinated_consortia(request.user).exists() or staff_ids(request)):
        raise PermissionDenied("Réservé à la coordination et aux équipes des membres.")


@requires(Capability.HOUSING_MEMBER)
def sites(request: HttpRequest) -> HttpResponse:
    """Sites the user manages (all the GME's for its coordination, its own for a member's
    staff) with today's opened capacity and occupancy."""
    _require_site_access(request)
    site_list = list(
        site_selectors.managed_sites(request.user).order_by("organisation__name", "name")
    )
    today = timezone.localdate()
    by_site: dict[int, occupancy_selectors.OccupancyRow] = {}
    for consortium_id in {site.consortium_id for site in site_list}:
        ids = [site.pk for site in site_list if site.consortium_id == consortium_id]
        rows = occupancy_selectors.daily_occupancy(
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
            "can_declare": site_selectors.site_declaring_choices(request.user)[1].exists(),
        },
    )


def _managed_site(request: HttpRequest, pk: int) -> Site:
    return get_object_or_404(site_selectors.managed_sites(request.user), pk=pk)


@requires(Capability.HOUSING_MEMBER)
def site_create(request: HttpRequest) -> HttpResponse:
    consortia, organisations = site_selectors.site_declaring_choices(request.user)
    if not organisations.exists():
        raise PermissionDenied("Réservé à la coordination et aux équipes des membres.")
    form = SiteForm(
        request.POST or None,
        consortia=consortia,
        organisations=organisations,
        initial={"consortium": consortia.first(), "organisation": organisations.first()},
    )
    site = submit(
        request,
        form,
        lambda data: site_services.declare_site(
            request.user,
            data.pop("consortium"),
            data.pop("organisation"),
            **data,
        ),
        "Site déclaré : indiquez maintenant ses places.",
    )
    if site:
        return redirect("housing:site", pk=site.pk)
    return form_page(request, form, "Déclarer un site d'hébergement", "housing:sites")


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
    if submit(
        request,
        form,
        lambda data: site_services.update_site(request.user, site, **data),
        "Site modifié (l'historique est conservé).",
    ):
        return redirect("housing:site", pk=site.pk)
    return form_page(request, form, f"Modifier le site {site.name}", "housing:sites")


@requires(Capability.HOUSING_MEMBER)
def capacity_create(request: HttpRequest, pk: int) -> HttpResponse:
    site = _managed_site(request, pk)
    form = CapacityChangeForm(
        request.POST or None,
        waves=site.consortium.waves.all(),
        initial={"planned_on": timezone.localdate()},
    )
    if submit(
        request,
        form,
        lambda data: site_services.record_capacity_change(request.user, site, **data),
        "Évolution de capacité enregistrée.",
    ):
        return redirect("housing:site", pk=site.pk)
    return form_page(request, form, f"Places du site {site.name}", "housing:sites")


@requires(Capability.HOUSING_MEMBER)
def capacity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(
        CapacityChange.objects.filter(
            site__in=site_selectors.managed_sites(request.user)
        ).select_related("site__consortium"),
        pk=pk,
    )
    form = CapacityChangeForm(
        request.POST or None, instance=change, waves=change.site.consortium.waves.all()
    )
    if submit(
        request,
        form,
        lambda data: site_services.update_capacity_change(request.user, change, **data),
        "Évolution de capacité modifiée (l'historique est conservé).",
    ):
        return redirect("housing:site", pk=change.site_id)
    return form_page(
        request, form, f"Modifier une évolution de capacité — {change.site.name}", "housing:sites"
    )


# --- Waves ---------------------------------------------------------------------------------


def _wave_consortium(request: HttpRequest) -> Consortium:
    consortium = site_selectors.wave_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied("Réservé au financeur et à la coordination du groupement.")
    return consortium


@requires(Capability.HOUSING_WAVES)
def waves(request: HttpRequest) -> HttpResponse:
    """Waves decided by the funder: planned against actually opened places, over time and
    per wave (aggregates: the funder sees no member's internal data)."""
    consortium = _wave_consortium(request)
    capacity = site_selectors.capacity_history(consortium)
    return render(
        request,
        "housing/waves.html",
        {
            "consortium": consortium,
            "progress": site_selectors.wave_progress(consortium),
            "capacity": capacity,
            "capacity_chart": charts.capacity_chart(capacity, timezone.localdate()),
            "coordination": coordination_services.is_coordination(request.user, consortium),
        },
    )


@requires(Capability.HOUSING_WAVES)
def wave_create(request: HttpRequest) -> HttpResponse:
    consortium = _wave_consortium(request)
    form = WaveForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: site_services.record_wave(request.user, consortium, **data),
        "Vague enregistrée : chaque membre indique les ouvertures de ses sites.",
    ):
        return redirect("housing:waves")
    return form_page(request, form, f"Nouvelle vague — {consortium.name}", "housing:waves")


@requires(Capability.HOUSING_WAVES)
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(
        Wave.objects.filter(consortium__in=site_selectors.wave_consortia(request.user)), pk=pk
    )
    form = WaveForm(request.POST or None, instance=wave)
    if submit(
        request,
        form,
        lambda data: site_services.update_wave(request.user, wave, **data),
        "Vague modifiée (l'historique est conservé).",
    ):
        return redirect("housing:waves")
    return form_page(request, form, f"Modifier la vague {wave.name}", "housing:waves")


# --- Site loans ----------------------------------------------------------------------------


@requires(Capability.HOUSING_MEMBER)
def loans(request: HttpRequest) -> HttpResponse:
    """Sites lent between members at short notice under a convention."""
    _require_site_access(request)
    return render(
        request,
        "housing/loans.html",
        {"loans": site_selectors.visible_loans(request.user).order_by("-start_date", "-pk")},
    )


@requires(Capability.HOUSING_MEMBER)
def loan_create(request: HttpRequest) -> HttpResponse:
    _require_site_access(request)
    managed = site_selectors.managed_sites(request.user)
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
    if submit(
        request,
        form,
        lambda data: site_services.lend_site(
            request.user, data.pop("site"), data.pop("borrower"), **data
        ),
        "Mise à disposition enregistrée : le membre accueillant y héberge dès son début.",
    ):
        return redirect("housing:loans")
    return form_page(request, form, "Prêter un site à un autre membre", "housing:loans")
