"""Which serious incidents a person follows, and how far (docs/access.md, "Scoped acts"):
the hosting member's staff and the GME's coordination read the report (``REPORT``); the
GME's funder, the Département, reads the notice only (``NOTICE``: kind, date, site, member,
measures, CASF L.331-8-1). The youths and the details each report holds are then decided
by the youth-data policy, youth by youth."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coparcours.core.access import Capability, Standing, consortia_where
from coparcours.housing.models.incidents import SeriousIncident
from coparcours.housing.selectors.roles import coordinated_consortia, staff_organisation_ids

REPORT, NOTICE = "report", "notice"


def _funded_ids(user: Any) -> set[int]:
    return set(
        consortia_where(
            user, Capability.HOUSING_INCIDENTS, standing=Standing.GME_FUNDER
        ).values_list("pk", flat=True)
    )


def followed(user: Any) -> QuerySet[SeriousIncident]:
    """The incidents of the user's member teams, of the GMEs they coordinate and of the
    GMEs their organisation funds."""
    coordinated = coordinated_consortia(user).values("pk")
    return SeriousIncident.objects.filter(
        Q(organisation_id__in=staff_organisation_ids(user))
        | Q(consortium_id__in=coordinated)
        | Q(consortium_id__in=_funded_ids(user))
    )


def readings(user: Any) -> tuple[set[int], set[int]]:
    """The member teams and the coordinated GMEs through which the user reads reports (the
    rest of :func:`followed` is read as notices)."""
    return staff_organisation_ids(user), set(
        coordinated_consortia(user).values_list("pk", flat=True)
    )


def reading_of(user: Any, incident: SeriousIncident) -> str | None:
    """``REPORT``, ``NOTICE`` or ``None`` (the incident does not concern the user)."""
    staff, coordinated = readings(user)
    if incident.organisation_id in staff or incident.consortium_id in coordinated:
        return REPORT
    if incident.consortium_id in _funded_ids(user):
        return NOTICE
    return None
