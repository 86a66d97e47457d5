"""Co-accompaniment: the partnership's "who does what" and the youth's action plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.cej.models import ActionPlan, CharterLine, Pathway, PlanAction
from coparcours.cej.models.plan import DIMENSION_CATEGORIES, ActionStatus, Dimension, PartnerSide
from coparcours.cej.services.committee import require_committee_member
from coparcours.cej.services.common import (
    EE,
    require_not_future,
    require_open_pathway,
    require_own_write,
)
from coparcours.core.access import (
    Action,
    SharedAct,
    active_memberships,
    check,
    member_organisation,
    require_act,
)
from coparcours.organisations.models import Consortium, Organisation

#: The default "who does what": the mission locale on employment and training,
#: the porteur on global social support.
DEFAULT_CHARTER = {
    Dimension.EMPLOYMENT: (
        PartnerSide.MISSION_LOCALE,
        "Offre de service de la mission locale : orientation, formation, emploi, allocation.",
    ),
    Dimension.MOBILITY: (PartnerSide.SHARED, "Permis, transports, aides à la mobilité."),
}


DEFAULT_SUPPORT = "Accompagnement social global par le porteur."


def charter(partnership: Consortium) -> list[CharterLine]:
    """The partnership's "who does what", created with the defaults the first time."""
    existing = {line.dimension: line for line in partnership.cej_charter_lines.all()}
    missing = [
        CharterLine(
            partnership=partnership,
            dimension=dimension,
            lead=DEFAULT_CHARTER.get(dimension, (PartnerSide.PORTEUR, ""))[0],
            what=DEFAULT_CHARTER.get(dimension, ("", DEFAULT_SUPPORT))[1],
        )
        for dimension in Dimension.values
        if dimension not in existing
    ]
    if missing:
        CharterLine.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {line.dimension: line for line in partnership.cej_charter_lines.all()}
    return [existing[dimension] for dimension in Dimension.values]


@transaction.atomic
def update_charter(
    user: Any, organisation: Organisation, partnership: Consortium, lines: dict[str, tuple]
) -> list[CharterLine]:
    """Partners of the committee edit the "who does what": ``{dimension: (lead, what)}``."""
    require_committee_member(user, organisation, partnership)
    current = {line.dimension: line for line in charter(partnership)}
    for dimension, (lead, what) in lines.items():
        if dimension not in current:
            raise ValidationError({"dimension": "Dimension inconnue."})
        if lead not in PartnerSide.values:
            raise ValidationError({f"lead_{dimension}": "Choisissez qui s'en charge."})
        line = current[dimension]
        if (line.lead, line.what) != (lead, what.strip()):
            line.lead, line.what = lead, what.strip()
            line.save()
    return list(current.values())


def partners_of(pathway: Pathway) -> dict[int, Organisation]:
    """The organisations that co-accompany in the pathway: the porteur and its mission
    locale."""
    return {
        pathway.author_organisation_id: pathway.author_organisation,
        pathway.mission_locale_id: pathway.mission_locale,
    }


@transaction.atomic
def start_plan(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    diagnosis_on: datetime.date,
    diagnosis: str = "",
) -> ActionPlan:
    """The shared plan, written after the partners' shared diagnosis: one per youth."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.SHARED_PLAN)
    require_own_write(user, pathway, organisation, EE)
    require_open_pathway(pathway)
    require_not_future(diagnosis_on, "diagnosis_on", "Le diagnostic partagé")
    if ActionPlan.objects.filter(pathway=pathway).exists():
        raise ValidationError("Ce jeune a déjà un plan d'action.")
    return ActionPlan.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        diagnosis_on=diagnosis_on,
        diagnosis=diagnosis.strip(),
    )


@transaction.atomic
def add_plan_action(
    user: Any,
    organisation: Organisation,
    plan: ActionPlan,
    *,
    dimension: str,
    objective: str,
    action: str,
    owner_organisation: Organisation,
    owner: Any,
    due_on: datetime.date,
) -> PlanAction:
    """An action towards an objective of one dimension, owned by one organisation and one
    person of it. Its category follows the dimension (a health action is health data)."""
    organisation = member_organisation(user, organisation)
    pathway = plan.pathway
    require_open_pathway(pathway)
    if dimension not in Dimension.values:
        raise ValidationError({"dimension": "Choisissez une dimension."})
    require_own_write(user, pathway, organisation, DIMENSION_CATEGORIES[dimension])
    partners = partners_of(pathway)
    if owner_organisation is None or owner_organisation.pk not in partners:
        raise ValidationError(
            {"owner_organisation": "L'action revient au porteur ou à la mission locale."}
        )
    if owner is None or owner_organisation.pk not in {
        org for org, _role in active_memberships(owner)
    }:
        raise ValidationError({"owner": f"Choisissez une personne membre de {owner_organisation}."})
    if not objective.strip() or not action.strip():
        raise ValidationError("Indiquez l'objectif et l'action.")
    if due_on < plan.diagnosis_on:
        raise ValidationError({"due_on": "L'échéance suit le diagnostic partagé."})
    item = PlanAction(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        plan=plan,
        dimension=dimension,
        objective=objective.strip(),
        action=action.strip(),
        owner_organisation=owner_organisation,
        owner=owner,
        due_on=due_on,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_action_status(
    user: Any, organisation: Organisation, item: PlanAction, status: str
) -> PlanAction:
    organisation = member_organisation(user, organisation)
    check(
        user,
        item.plan.pathway.youth,
        item.category,
        Action.WRITE,
        author_organisation_id=item.author_organisation_id,
        obj=item,
        within_organisation_id=organisation.pk,
    )
    if status not in ActionStatus.values:
        raise ValidationError({"status": "État inconnu."})
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    return item
