"""The CEJ-JR stages offered to the caseload's stage filter (see ``youths.stages``)."""

import datetime

from django.db.models import QuerySet

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.core.access import Category
from coparcours.youths.stages import StageSource


def pathways_at_stage(stage: str, on: datetime.date) -> QuerySet[Pathway]:
    """Pathways currently at ``stage`` (the stage is the pathway's present state)."""
    return Pathway.objects.filter(stage=stage)


SOURCE = StageSource(
    key="cej",
    label="Parcours CEJ-JR",
    category=Category.EDUCATION_EMPLOYMENT,
    choices=tuple(Stage.choices),
    rows_at_stage=pathways_at_stage,
)
