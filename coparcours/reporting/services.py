"""Evaluation campaigns: the coordination defines the grid, each member scores itself,
and the improvement plan is recorded (quality evaluation by the members' quality
directors; governance evaluation with the same tool). Copil reports generated
and kept in their history."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from coparcours.core.access import Capability, organisations_where
from coparcours.core.pdf import render_pdf
from coparcours.housing.selectors.roles import coordinated_consortia
from coparcours.organisations.models import Consortium, Organisation
from coparcours.reporting import selectors
from coparcours.reporting.models import (
    Campaign,
    CopilReport,
    Criterion,
    ImprovementAction,
    SelfAssessment,
)


@transaction.atomic
def open_campaign(
    user: Any,
    consortium: Consortium,
    kind: str,
    title: str,
    due_on: datetime.date,
    criteria: list[str],
) -> Campaign:
    """Open a campaign with its grid; a campaign without criteria is refused."""
    if not coordinated_consortia(user).filter(pk=consortium.pk).exists():
        raise PermissionDenied("Seule la coordination du groupement ouvre une campagne.")
    labels = [label.strip() for label in criteria if label.strip()]
    if not labels:
        raise ValidationError(
            {
                "criteria": "Une campagne sans critère ne peut pas être ouverte : "
                "ajoutez au moins un critère."
            }
        )
    campaign = Campaign.objects.create(
        consortium=consortium, kind=kind, title=title, due_on=due_on, created_by=user
    )
    Criterion.objects.bulk_create(
        Criterion(campaign=campaign, position=n, label=label) for n, label in enumerate(labels, 1)
    )
    return campaign


def scoring_organisations(user: Any, campaign: Campaign) -> list[Organisation]:
    """Members of the campaign's consortium the user scores for (those where they hold the
    quality evaluations)."""
    own = organisations_where(user, Capability.QUALITY)
    return list(
        Organisation.objects.filter(
            pk__in=own, consortium_memberships__consortium=campaign.consortium
        ).order_by("name")
    )


@transaction.atomic
def score(
    user: Any,
    criterion: Criterion,
    organisation: Organisation,
    value: int,
    evidence: str,
    comment: str = "",
) -> SelfAssessment:
    """A member scores itself on one criterion (again: the score is replaced)."""
    if organisation not in scoring_organisations(user, criterion.campaign):
        raise PermissionDenied("Vous n'évaluez pas ce membre.")
    if not 1 <= value <= 4:
        raise ValidationError({"score": "La note va de 1 à 4."})
    if not evidence.strip():
        raise ValidationError({"evidence": "Indiquez les éléments de preuve de la note."})
    found, _ = SelfAssessment.objects.update_or_create(
        criterion=criterion,
        organisation=organisation,
        defaults={"score": value, "evidence": evidence, "comment": comment, "scored_by": user},
    )
    return found


@transaction.atomic
def plan_action(
    user: Any,
    campaign: Campaign,
    organisation: Organisation,
    action: str,
    owner: str,
    due_on: datetime.date,
) -> ImprovementAction:
    """An action of the improvement plan, by the member itself or the coordination."""
    coordinates = coordinated_consortia(user).filter(pk=campaign.consortium_id).exists()
    if not coordinates and organisation not in scoring_organisations(user, campaign):
        raise PermissionDenied("Vous ne planifiez pas les actions de ce membre.")
    return ImprovementAction.objects.create(
        campaign=campaign, organisation=organisation, action=action, owner=owner, due_on=due_on
    )


#: The filter fields that make the period (shown and stored as the report's dates).
PERIOD_FIELDS = {"start", "end", "periode"}


@transaction.atomic
def generate_copil(user: Any, board: Any, comments: list[dict[str, str]]) -> CopilReport:
    """Render the dashboard (``views.dashboards.Dashboard``, already built under the user's access)
    with a comment per table as the copil PDF, and keep it in the report history as
    generated. The report holds aggregates only (no youth's data), so it is not audited
    as a read of personal data."""
    period = board.form.period
    data = render_pdf(
        "reporting/copil.html",
        {
            "board": board,
            "period": period,
            "masked": board.key == selectors.FUNDER,
            "filters": [
                (board.form.fields[name].label, value)
                for name, value in board.form.cleaned_data.items()
                if name not in PERIOD_FIELDS and value is not None
            ],
            "sections": [
                (table, chart, entry["comment"])
                for (table, chart), entry in zip(board.figures, comments, strict=True)
            ],
        },
    )
    report = CopilReport(
        dashboard=board.key,
        member_scope=board.member_scope,
        start=period.start,
        end=period.end,
        filters={
            name: getattr(value, "pk", value)
            for name, value in board.form.cleaned_data.items()
            if name not in PERIOD_FIELDS and value is not None
        },
        comments=comments,
        created_by=user,
    )
    report.pdf.save(f"{board.key}.pdf", ContentFile(data), save=True)
    report.consortia.set(board.consortia)
    return report
