"""Tables of what members and youths answer: a campaign's self-assessments compared across
members, and the youths' anonymous voice questionnaire."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Avg, Count

from coparcours.organisations.models import Consortium
from coparcours.reporting.indicators.common import Period, mean
from coparcours.reporting.tables import ADDS_UP, Table, mask_table


def campaign_table(campaign: Any) -> Table:
    """Each member's self-assessment score (1 to 4) per criterion of a campaign, and the
    mean across members (results are compared across members). One query each for
    the criteria, the members and the scores."""
    from coparcours.reporting.models import SelfAssessment

    members = list(
        campaign.consortium.members.select_related("organisation").order_by("organisation__name")
    )
    scores = {
        (row["criterion_id"], row["organisation_id"]): row["score"]
        for row in SelfAssessment.objects.filter(criterion__campaign=campaign).values(
            "criterion_id", "organisation_id", "score"
        )
    }
    rows = []
    for criterion in campaign.criteria.all():
        values = [scores.get((criterion.pk, m.organisation_id)) for m in members]
        given = [v for v in values if v is not None]
        rows.append([criterion.label, *values, mean(given)])
    return Table(
        f"Auto-évaluations — {campaign.title}",
        ["Critère", *[m.organisation.name for m in members], "Moyenne"],
        rows,
        chart=list(range(1, len(members) + 1)),
    )


def voice_table(partnerships: Sequence[Consortium], period: Period, masked: bool = True) -> Table:
    """Youths' anonymous answers in the period: how many, and the mean of each question
    (1 = pas du tout, 4 = tout à fait). Answers are anonymous, so the table is masked for
    every reader, not only funders (``masked=False``: for a funder's publication, which
    masks it with the rest). One aggregate query."""
    from coparcours.reporting.models import VoiceAnswer

    rows = [
        [
            row["partnership__name"],
            row["n"],
            round(row["adhesion"], 1),
            round(row["support"], 1),
            round(row["life"], 1),
        ]
        for row in VoiceAnswer.objects.filter(
            partnership__in=partnerships,
            month__gte=period.start.replace(day=1),
            month__lt=period.end,
        )
        .values("partnership__name")
        .annotate(
            n=Count("id"),
            adhesion=Avg("adhesion"),
            support=Avg("support"),
            life=Avg("quality_of_life"),
        )
        .order_by("partnership__name")
    ]
    table = Table(
        "Parole des jeunes (questionnaire anonyme, 1 à 4)",
        [
            "Partenariat",
            "Réponses",
            "Envie de continuer",
            "Accompagnement perçu",
            "Qualité de vie",
        ],
        rows,
        counts={1},
        basis={2: [1], 3: [1], 4: [1]},
        chart=[2, 3, 4],
        over_time=ADDS_UP,
    )
    return mask_table(table) if masked else table
