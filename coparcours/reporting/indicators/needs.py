"""The register of unmet needs, aggregated by territory (the département of the youth's
organisation) and dimension (docs/domain-rules.md, "Unmet needs"): needs noticed, met and
abandoned in the period with the median delay to an answer, and those still open at its
end. Counts of needs of the consortia's members; a funder reads the first table only, in
its publication under statistical secrecy (reporting.publication)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q

from coparcours.needs import rules
from coparcours.needs.models import NeedDimension, NeedStatus, UnmetNeed
from coparcours.organisations.models import Consortium
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.tables import ADDS_UP, Table

FLOW_TITLE = "Besoins sans réponse, constatés et réponses"
OPEN_TITLE = "Besoins encore sans réponse à la fin de la période"
_PLACE = ["Département", "Dimension"]

Place = tuple[str, str]


def _needs(consortium: Consortium, members: Iterable[int] | None) -> Q:
    organisations = consortium.members.values("organisation_id")
    found = Q(author_organisation_id__in=organisations, youth__anonymised_at__isnull=True)
    if members is not None:
        found &= Q(author_organisation_id__in=list(members))
    return found


def _rows(found: dict[Place, list]) -> list[list]:
    """Rows by département then dimension (in the dimensions' order)."""
    order = {value: n for n, value in enumerate(NeedDimension.values)}
    return [
        [departement, NeedDimension(dimension).label, *found[(departement, dimension)]]
        for departement, dimension in sorted(found, key=lambda p: (p[0], order[p[1]]))
    ]


def flow_table(
    consortia: Sequence[Consortium], period: Period, members: Iterable[int] | None = None
) -> Table:
    """Needs noticed in the period, met and abandoned in it, and the median days from the
    notice to the answer of those met: events dated in the period, so a quarter's counts
    are its months' added up (``ADDS_UP``). One query per consortium."""
    counts: dict[Place, list[int]] = defaultdict(lambda: [0, 0, 0])
    delays: dict[Place, list[int]] = defaultdict(list)
    in_period = Q(since__gte=period.start, since__lt=period.end) | Q(
        closed_on__gte=period.start, closed_on__lt=period.end
    )
    for consortium in consortia:
        rows = UnmetNeed.objects.filter(_needs(consortium, members), in_period).values_list(
            "youth__owner_organisation__departement_code",
            "dimension",
            "since",
            "status",
            "closed_on",
        )
        for departement, dimension, since, status, closed_on in rows:
            place = (departement, dimension)
            if period.start <= since < period.end:
                counts[place][0] += 1
            if closed_on is not None and period.start <= closed_on < period.end:
                counts[place][1 if status == NeedStatus.MET else 2] += 1
                if status == NeedStatus.MET:
                    delays[place].append(rules.delay_days(since, closed_on))
    found = {
        place: [*values, rules.median_delay(delays[place])] for place, values in counts.items()
    }
    return Table(
        title=FLOW_TITLE,
        headers=[
            *_PLACE,
            "Besoins constatés",
            "Besoins satisfaits",
            "Besoins abandonnés",
            "Délai médian jusqu'à la réponse (jours)",
        ],
        rows=_rows(found),
        counts={2, 3, 4},
        basis={5: [3]},
        total_row=True,
        chart=[2, 3],
        over_time=ADDS_UP,
    )


def open_table(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    members: Iterable[int] | None = None,
) -> Table:
    """Needs still open at the end of the period (or today, for a period still running):
    how many, how many for more than the days after which a referent is reminded, and the
    days since the oldest was noticed. For the consortium's own steering only. One query
    per consortium."""
    day = min(period.end, today + datetime.timedelta(days=1))  # open on the day before
    stale = rules.stale_before(day - datetime.timedelta(days=1))
    counts: dict[Place, list[int]] = defaultdict(lambda: [0, 0, 0])
    open_then = Q(since__lt=day) & (Q(closed_on__isnull=True) | Q(closed_on__gte=day))
    for consortium in consortia:
        rows = UnmetNeed.objects.filter(_needs(consortium, members), open_then).values_list(
            "youth__owner_organisation__departement_code", "dimension", "since"
        )
        for departement, dimension, since in rows:
            cell = counts[(departement, dimension)]
            cell[0] += 1
            cell[1] += since < stale
            cell[2] = max(cell[2], (day - datetime.timedelta(days=1) - since).days)
    return Table(
        title=OPEN_TITLE,
        headers=[
            *_PLACE,
            "Besoins ouverts",
            f"dont depuis plus de {rules.STALE_AFTER_DAYS} jours",
            "Le plus ancien (jours)",
        ],
        rows=_rows(counts),
        counts={2, 3},
        basis={4: [2]},
        total_row=True,
        chart=[2, 3],
        row_parts=[((3,), 2)],
    )


def needs_tables(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    members: Iterable[int] | None = None,
) -> list[Table]:
    """The register's two tables for the consortium's steering (not masked)."""
    if not consortia:
        return []
    return [flow_table(consortia, period, members), open_table(consortia, period, today, members)]
