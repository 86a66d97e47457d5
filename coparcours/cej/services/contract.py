"""Stage moves: exit, the CEJ contract and its extension, the veille date reached."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.cej import rules
from coparcours.cej.models import (
    AllowanceScale,
    CommitteeDecision,
    ContractDuration,
    ContractExtension,
    Pathway,
    StageChange,
)
from coparcours.cej.models.committee import DecisionKind
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import require_not_future, require_pathway_write
from coparcours.cej.services.eligibility import compute_eligibility
from coparcours.cej.services.reviews import schedule_reviews
from coparcours.core.access import member_organisation
from coparcours.core.formats import euros
from coparcours.organisations.models import Organisation


def move_to_stage(
    user: Any,
    pathway: Pathway,
    target: str,
    on: datetime.date,
    *,
    decision: CommitteeDecision | None = None,
    comment: str = "",
) -> StageChange:
    if not rules.can_move(pathway.stage, target):
        raise ValidationError(
            f"Passage impossible de « {Stage(pathway.stage).label} » à « {Stage(target).label} »."
        )
    if on < pathway.stage_since:
        raise ValidationError(
            f"La date doit suivre l'entrée dans l'étape actuelle ({pathway.stage_since:%d/%m/%Y})."
        )
    change = StageChange.objects.create(
        youth_id=pathway.youth_id,
        author_organisation_id=pathway.author_organisation_id,
        pathway=pathway,
        from_stage=pathway.stage,
        to_stage=target,
        on=on,
        by=user,
        decision=decision,
        comment=comment,
    )
    pathway.stage = target
    pathway.stage_since = on
    pathway.save()
    if target == Stage.REMOBILISATION:
        schedule_reviews(pathway)
    return change


@transaction.atomic
def record_exit(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    on: datetime.date,
    outcome: str,
    decision: CommitteeDecision | None = None,
) -> Pathway:
    organisation = member_organisation(user, organisation)
    require_pathway_write(user, pathway, organisation)
    require_not_future(on, "on", "La sortie")
    if outcome not in ExitOutcome.values:
        raise ValidationError({"outcome": "Choisissez l'issue du parcours."})
    pathway.exit_on = on
    pathway.exit_outcome = outcome
    move_to_stage(user, pathway, Stage.EXIT, on, decision=decision)
    return pathway


@transaction.atomic
def sign_contract(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    start: datetime.date,
    months: int,
    tax_situation: str,
) -> Pathway:
    """The CEJ contract, proposed by the committee, signed during remobilisation.

    Eligibility is not checked again here: it was checked at entry (FAQ CEJ-JR of July 2023).
    The allowance is fixed at signature (D.5131-19) from the dated scale.
    """
    organisation = member_organisation(user, organisation)
    require_pathway_write(user, pathway, organisation)
    if not pathway.decisions.filter(kind=DecisionKind.PROPOSE_CONTRACT).exists():
        raise ValidationError("Le comité doit d'abord proposer le contrat CEJ.")
    durations = ContractDuration.objects.in_force(start)
    if durations is None:
        raise ValidationError("Aucune durée de contrat CEJ n'est paramétrée à cette date.")
    if not 1 <= months <= durations.planned_months:
        raise ValidationError(
            {"months": f"La durée prévue va de 1 à {durations.planned_months} mois."}
        )
    if pathway.youth.birth_date is None:
        raise ValidationError(
            "La date de naissance du jeune est nécessaire pour calculer l'allocation."
        )
    amount, reason = rules.monthly_allowance(
        pathway.youth.age(start),
        tax_situation,
        [s.as_rule() for s in AllowanceScale.objects.all()],
        start,
    )
    pathway.contract_start = start
    pathway.contract_months = months
    pathway.monthly_allowance = amount
    pathway.allowance_reason = reason
    move_to_stage(
        user, pathway, Stage.CONTRACT, start, comment=f"Allocation : {euros(amount)} ({reason})"
    )
    return pathway


@transaction.atomic
def extend_contract(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    months: int,
    reason: str,
    decided_on: datetime.date,
) -> ContractExtension:
    """An exceptional extension, justified, within the dated maximum (R.5131-16 II)."""
    organisation = member_organisation(user, organisation)
    require_pathway_write(user, pathway, organisation)
    if pathway.stage != Stage.CONTRACT:
        raise ValidationError("Seul un contrat CEJ en cours peut être prolongé.")
    if not reason.strip():
        raise ValidationError({"reason": "Une prolongation exige un motif justifié."})
    durations = ContractDuration.objects.in_force(pathway.contract_start)
    if pathway.total_contract_months + months > durations.max_total_months:
        raise ValidationError(
            {"months": f"La durée totale ne peut dépasser {durations.max_total_months} mois."}
        )
    return ContractExtension.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        months=months,
        reason=reason.strip(),
        decided_on=decided_on,
    )


def flag_veille_reached(day: datetime.date) -> list[Pathway]:
    """Flag the youths in pré CEJ-JR whose veille date is reached (docs/domain-rules.md,
    "Stages")."""
    flagged = []
    waiting = Pathway.objects.filter(stage=Stage.PRE_CEJ, veille_reached_on__isnull=True)
    for pathway in waiting.select_related("partnership__cej_settings"):
        if compute_eligibility(pathway, day).eligible:
            pathway.veille_reached_on = day
            pathway.save(update_fields=["veille_reached_on", "updated_at"])
            flagged.append(pathway)
    return flagged
