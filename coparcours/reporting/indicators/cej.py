"""CEJ-JR steering tables on the pathways: the funnel, exits by outcome and durations, and
the partnership dashboard's tables in order (the follow-up ones in :mod:`.cej_follow_up`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Count, Exists, OuterRef, Q

from coparcours.cej.models import EligibilityCheck, Pathway, StageChange
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.cej.rules import Stage
from coparcours.organisations.models import Consortium
from coparcours.reporting.indicators.cej_follow_up import (
    progress_table,
    reviews_table,
    weekly_hours_table,
)
from coparcours.reporting.indicators.common import Period, mean, partner_filter, rate
from coparcours.reporting.indicators.surveys import voice_table
from coparcours.reporting.tables import ADDS_UP, Table

FUNNEL_STEPS = [
    ("identified", "Repéré·es"),
    ("eligible", "Éligibles"),
    ("pre_cej", "Pré CEJ-JR"),
    ("remobilisation", "Remobilisation"),
    ("contract", "Contrat CEJ"),
    ("exit", "Sorti·es"),
]


def _reached(stage: str) -> Exists:
    return Exists(StageChange.objects.filter(pathway=OuterRef("pk"), to_stage=stage))


def funnel_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """The CEJ-JR funnel of the youths identified in the period, with conversions.

    Definition (the stages of docs/domain-rules.md, "Stages"): a youth counts at a step when their
    pathway reached it (a stage change to it, or for "eligible" an eligibility check found
    eligible); the cohort is the pathways identified in [start, end). Conversion = share of
    the identified youths that reached the step. One aggregate query.
    """
    cohort = Pathway.objects.filter(
        partner_filter("", organisation_ids),
        partnership__in=partnerships,
        identified_on__gte=period.start,
        identified_on__lt=period.end,
    ).annotate(
        was_eligible=Exists(
            EligibilityCheck.objects.filter(pathway=OuterRef("pk"), status="eligible")
        ),
        was_pre=_reached(Stage.PRE_CEJ),
        was_remob=_reached(Stage.REMOBILISATION),
        was_contract=_reached(Stage.CONTRACT),
        was_exit=_reached(Stage.EXIT),
    )
    figures = cohort.aggregate(
        identified=Count("id"),
        eligible=Count("id", filter=Q(was_eligible=True)),
        pre_cej=Count("id", filter=Q(was_pre=True)),
        remobilisation=Count("id", filter=Q(was_remob=True)),
        contract=Count("id", filter=Q(was_contract=True) | Q(contract_start__isnull=False)),
        exit=Count("id", filter=Q(was_exit=True) | Q(exit_on__isnull=False)),
    )
    total = figures["identified"]
    rows = [[label, figures[key], rate(figures[key], total)] for key, label in FUNNEL_STEPS]
    return Table(
        "Entonnoir CEJ-JR (jeunes repérés sur la période)",
        ["Étape", "Jeunes", "Part des repérés (%)"],
        rows,
        counts={1},
        basis={2: [1]},
        within_first={1},  # every step counts youths identified in the period
        over_time=ADDS_UP,
    )


def exits_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Exits in the period by outcome (the quantitative targets, reported beside progress)."""
    found = dict(
        Pathway.objects.filter(
            partner_filter("", organisation_ids),
            partnership__in=partnerships,
            exit_on__gte=period.start,
            exit_on__lt=period.end,
        )
        .values("exit_outcome")
        .annotate(n=Count("id"))
        .values_list("exit_outcome", "n")
    )
    rows = [[label, found.get(value, 0)] for value, label in ExitOutcome.choices]
    return Table(
        "Sorties par issue",
        ["Issue", "Jeunes"],
        rows,
        counts={1},
        total_row=True,
        over_time=ADDS_UP,
    )


def durations_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Average days from identification to contract and from contract to exit.

    Definition: over the pathways whose contract started (resp. who exited) in the period;
    dates read in one query each, averaged here (an average over fewer than 5 youths is
    secret for funders, rule 3).
    """
    base = Pathway.objects.filter(
        partner_filter("", organisation_ids), partnership__in=partnerships
    )
    to_contract = [
        (c - i).days
        for i, c in base.filter(
            contract_start__gte=period.start, contract_start__lt=period.end
        ).values_list("identified_on", "contract_start")
    ]
    to_exit = [
        (e - c).days
        for c, e in base.filter(
            exit_on__gte=period.start, exit_on__lt=period.end, contract_start__isnull=False
        ).values_list("contract_start", "exit_on")
    ]
    rows = [
        ["Du repérage au contrat", len(to_contract), mean(to_contract)],
        ["Du contrat à la sortie", len(to_exit), mean(to_exit)],
    ]
    return Table(
        "Durées des parcours",
        ["Durée", "Jeunes", "Moyenne (jours)"],
        rows,
        counts={1},
        basis={2: [1]},
        chart=[2],
        over_time=ADDS_UP,
    )


def cej_tables(
    partnerships: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    masked_voice: bool = True,
) -> list[Table]:
    """All the CEJ-JR tables, in the dashboard's order, for the pathways the chosen partner
    takes part in; the youths' voice is anonymous, so it stays the whole partnership's
    (masked here unless a funder's publication masks it with the rest)."""
    return [
        funnel_table(partnerships, period, organisation_ids),
        exits_table(partnerships, period, organisation_ids),
        durations_table(partnerships, period, organisation_ids),
        weekly_hours_table(partnerships, period, organisation_ids),
        reviews_table(partnerships, period, today, organisation_ids),
        progress_table(partnerships, period, organisation_ids),
        voice_table(partnerships, period, masked_voice),
    ]
