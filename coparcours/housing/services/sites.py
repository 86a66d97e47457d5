"""Sites, capacity, waves and loans: a member declares its sites and their places, the
funder's waves are recorded, a site is lent to another member under a convention."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.core.access import Capability, require_in_consortium
from coparcours.housing import rules
from coparcours.housing.models.sites import CapacityChange, Site, SiteLoan, Wave
from coparcours.housing.selectors.occupancy import daily_occupancy
from coparcours.housing.services.coordination import is_coordination, require_member_staff
from coparcours.organisations.models import Consortium, Organisation


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
    "night_phone",
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
                daily_occupancy(
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
