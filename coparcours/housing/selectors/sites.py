"""Sites, waves and loans the user manages, and the capacity planned and opened over
time (aggregates the funder may see)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.db.models import Q, QuerySet, Sum

from coparcours.housing.models.sites import CapacityChange, Site, SiteLoan, Wave
from coparcours.housing.selectors.roles import (
    coordinated_consortia,
    funded_consortia,
    staff_organisation_ids,
)
from coparcours.organisations.models import Consortium, ConsortiumKind, Organisation


def managed_site_filter(user: Any) -> Q:
    """Sites of the GMEs the user coordinates, and sites of the members where the user is
    on the staff (each member declares its own sites)."""
    staff_ids = staff_organisation_ids(user)
    return Q(consortium__in=coordinated_consortia(user)) | Q(
        organisation_id__in=staff_ids, consortium__kind=ConsortiumKind.GME
    )


def managed_sites(user: Any) -> QuerySet[Site]:
    return (
        Site.objects.filter(managed_site_filter(user))
        .select_related("organisation", "consortium")
        .distinct()
    )


def site_declaring_choices(user: Any) -> tuple[QuerySet[Consortium], QuerySet[Organisation]]:
    """GMEs and members for which the user may declare a site: all members of the GMEs the
    user coordinates, the user's own organisations in the GMEs they belong to."""
    coordinated = coordinated_consortia(user)
    staff_ids = staff_organisation_ids(user)
    consortia = Consortium.objects.filter(
        Q(pk__in=coordinated.values("pk"))
        | Q(kind=ConsortiumKind.GME, members__organisation_id__in=staff_ids)
    ).distinct()
    organisations = Organisation.objects.filter(
        Q(consortium_memberships__consortium__in=coordinated.values("pk"))
        | Q(pk__in=staff_ids, consortium_memberships__consortium__kind=ConsortiumKind.GME)
    ).distinct()
    return consortia, organisations


def wave_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs whose waves the user sees and records: coordinated or funded ones."""
    return Consortium.objects.filter(
        Q(pk__in=coordinated_consortia(user).values("pk"))
        | Q(pk__in=funded_consortia(user).values("pk"))
    )


@dataclass(frozen=True)
class WaveProgress:
    wave: Wave
    planned_at_sites: int
    opened: int


def wave_progress(consortium: Consortium) -> list[WaveProgress]:
    """Each wave's decided places against those planned at sites and actually opened
    (aggregates only: what the funder may see). One query."""
    waves = Wave.objects.filter(consortium=consortium).annotate(
        at_sites=Sum("changes__places"),
        opened=Sum("changes__places", filter=Q(changes__opened_on__isnull=False)),
    )
    return [WaveProgress(w, w.at_sites or 0, w.opened or 0) for w in waves]


def visible_loans(user: Any) -> QuerySet[SiteLoan]:
    """Loans of a coordinated GME's sites, or where the user's member lends or borrows."""
    staff_ids = staff_organisation_ids(user)
    return (
        SiteLoan.objects.filter(
            Q(site__consortium__in=coordinated_consortia(user))
            | Q(site__organisation_id__in=staff_ids)
            | Q(borrower_id__in=staff_ids)
        )
        .select_related("site__organisation", "borrower")
        .distinct()
    )


@dataclass(frozen=True)
class CapacityPoint:
    day: datetime.date
    planned: int
    opened: int


def capacity_history(consortium: Consortium) -> list[CapacityPoint]:
    """Planned and actually opened places over time (cumulated at each change date)."""
    changes = CapacityChange.objects.filter(site__consortium=consortium)
    planned = dict(
        changes.values("planned_on").annotate(n=Sum("places")).values_list("planned_on", "n")
    )
    opened = dict(
        changes.filter(opened_on__isnull=False)
        .values("opened_on")
        .annotate(n=Sum("places"))
        .values_list("opened_on", "n")
    )
    days = sorted(set(planned) | set(opened))
    planned_totals = accumulate(planned.get(day, 0) for day in days)
    opened_totals = accumulate(opened.get(day, 0) for day in days)
    return [
        CapacityPoint(day, p, o)
        for day, p, o in zip(days, planned_totals, opened_totals, strict=True)
    ]
