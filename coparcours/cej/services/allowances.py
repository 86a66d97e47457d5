"""Sanctions during the CEJ contract and the one-off PACEA allowance."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.cej import rules
from coparcours.cej.models import MissedAction, PaceaAllowanceRequest, Pathway, SanctionScale
from coparcours.cej.models.allowances import AllowanceDecision
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import EE, require_not_future
from coparcours.core.access import Action, SharedAct, check, member_organisation, require_act
from coparcours.organisations.models import Organisation


@transaction.atomic
def propose_sanction(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    occurred_on: datetime.date,
    description: str,
) -> MissedAction:
    """The counsellor records a missed action and the sanction the dated scale proposes."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.SANCTION)
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if pathway.stage != Stage.CONTRACT:
        raise ValidationError("Un manquement ne se constate que pendant le contrat CEJ.")
    require_not_future(occurred_on, "occurred_on", "Un manquement")
    if pathway.contract_start and occurred_on < pathway.contract_start:
        raise ValidationError(
            {"occurred_on": "Un manquement ne peut pas précéder le début du contrat CEJ."}
        )
    if not description.strip():
        raise ValidationError({"description": "Décrivez l'action manquée."})
    scale = SanctionScale.objects.in_force(occurred_on)
    if scale is None:
        raise ValidationError("Aucun barème de sanctions en vigueur à cette date.")
    number = pathway.missed_actions.exclude(decision="waived").count() + 1
    steps = list(scale.steps.all())
    step = next((s for s in steps if s.breach_number == number), steps[-1] if steps else None)
    if step is None:
        raise ValidationError("Le barème de sanctions en vigueur n'a aucun palier.")
    return MissedAction.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        occurred_on=occurred_on,
        description=description.strip(),
        breach_number=number,
        proposed_effect=step.effect,
        reduction_percent=step.reduction_percent,
        proposed_by=user,
    )


@transaction.atomic
def decide_sanction(
    user: Any,
    organisation: Organisation,
    missed: MissedAction,
    *,
    confirmed: bool,
    youth_observations: str,
    decided_on: datetime.date,
) -> MissedAction:
    """The mission locale decides after the youth could present observations; effective on
    the first day of the following month (R.5131-18)."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, missed.pathway, SharedAct.SANCTION)
    check(
        user,
        missed.pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=missed.author_organisation_id,
        within_organisation_id=organisation.pk,
    )
    if missed.decision != "pending":
        raise ValidationError("Ce manquement a déjà été décidé.")
    require_not_future(decided_on, "decided_on", "Une décision")
    if decided_on < missed.occurred_on:
        raise ValidationError({"decided_on": "La décision ne peut pas précéder le manquement."})
    if confirmed and not youth_observations.strip():
        raise ValidationError(
            {"youth_observations": "Le jeune doit avoir pu présenter ses observations."}
        )
    missed.youth_observations = youth_observations.strip()
    missed.decision = "confirmed" if confirmed else "waived"
    missed.decided_on = decided_on
    missed.effective_from = rules.first_of_next_month(decided_on) if confirmed else None
    missed.save()
    return missed


@transaction.atomic
def request_pacea_allowance(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    requested_on: datetime.date,
    requested_by: str,
    amount: Decimal,
) -> PaceaAllowanceRequest:
    """A one-off PACEA allowance during remobilisation (FAQ 2023); never during a CEJ."""
    organisation = member_organisation(user, organisation)
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if pathway.stage in {Stage.CONTRACT, Stage.EXIT}:
        raise ValidationError(
            "Le PACEA ne peut pas courir en même temps que le CEJ : pas d'allocation ponctuelle "
            "pendant le contrat."
        )
    require_not_future(requested_on, "requested_on", "Une demande")
    if not requested_by.strip():
        raise ValidationError({"requested_by": "Indiquez qui demande l'allocation."})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Le montant doit être positif."})
    request = PaceaAllowanceRequest(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        requested_on=requested_on,
        requested_by=requested_by.strip(),
        amount=amount,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def decide_pacea_allowance(
    user: Any,
    organisation: Organisation,
    request: PaceaAllowanceRequest,
    *,
    granted: bool,
    decided_on: datetime.date,
) -> PaceaAllowanceRequest:
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, request.pathway, SharedAct.PACEA_DECISION)
    check(
        user,
        request.pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=request.author_organisation_id,
        within_organisation_id=organisation.pk,
    )
    if request.decision != AllowanceDecision.PENDING:
        raise ValidationError("Cette demande a déjà été décidée.")
    require_not_future(decided_on, "decided_on", "Une décision")
    if decided_on < request.requested_on:
        raise ValidationError({"decided_on": "La décision ne peut pas précéder la demande."})
    if granted and request.pathway.stage in {Stage.CONTRACT, Stage.EXIT}:
        raise ValidationError(
            "Le PACEA ne peut pas courir en même temps que le CEJ : la demande ne peut plus "
            "être accordée."
        )
    request.decision = AllowanceDecision.GRANTED if granted else AllowanceDecision.REFUSED
    request.decided_on = decided_on
    request.save()
    return request
