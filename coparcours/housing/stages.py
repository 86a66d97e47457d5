"""The hosting situations offered to the caseload's stage filter (see ``youths.stages``)."""

import datetime

from django.db.models import Q, QuerySet

from coparcours.core.access import Category
from coparcours.housing.models import AfterEighteen, Stay
from coparcours.housing.models.majority import MajorityDecision
from coparcours.youths.stages import StageSource

HOSTED = "hosted"
AFTER_18 = "after_18"
LEFT = "left"


def rows_at_stage(stage: str, on: datetime.date) -> QuerySet:
    """Stays or after-18 decisions that place a youth at ``stage`` on ``on``.

    Hosted: a stay in progress. After 18: a follow-up or contrat jeune majeur in force.
    Left: a stay ended and none in progress (each row is one of the ended stays).
    """
    if stage == HOSTED:
        return Stay.objects.active(on)
    if stage == AFTER_18:
        return (
            AfterEighteen.objects.filter(start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
            .exclude(decision=MajorityDecision.EXIT)
        )
    return Stay.objects.filter(end_date__lte=on).exclude(
        youth__in=Stay.objects.active(on).values("youth")
    )


SOURCE = StageSource(
    key="housing",
    label="Hébergement",
    category=Category.HOUSING,
    choices=(
        (HOSTED, "Accueilli·e"),
        (AFTER_18, "Suivi après 18 ans"),
        (LEFT, "Sorti·e de l'hébergement"),
    ),
    rows_at_stage=rows_at_stage,
)
