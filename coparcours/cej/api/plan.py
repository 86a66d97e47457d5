"""The youth's shared action plan and its actions."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import HttpError

from coparcours.accounts.models import User
from coparcours.cej import selectors
from coparcours.cej.api.router import PATHWAY_DATA, accompaniment_of, router
from coparcours.cej.models import ActionPlan, PlanAction
from coparcours.cej.services.plan import add_plan_action, set_action_status, start_plan
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires
from coparcours.organisations.models import Organisation


class PlanActionOut(Schema):
    id: int
    dimension: str
    category: str
    objective: str
    action: str
    owner_organisation_id: int
    owner_id: int
    due_on: datetime.date
    status: str
    author_organisation_id: int


class PlanOut(Schema):
    id: int
    diagnosis_on: datetime.date
    diagnosis: str
    author_organisation_id: int
    actions: list[PlanActionOut]
    hidden_actions: int


class PlanIn(Schema):
    organisation_id: int | None = None
    diagnosis_on: datetime.date
    diagnosis: str = ""


class PlanActionIn(Schema):
    organisation_id: int | None = None
    dimension: str
    objective: str
    action: str
    owner_organisation_id: int
    owner_id: int
    due_on: datetime.date


class StatusIn(Schema):
    organisation_id: int | None = None
    status: str


@router.get("/pathways/{pathway_id}/plan", response=PlanOut, summary="Plan d'action")
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def get_plan(request: HttpRequest, pathway_id: int):
    _pathway, page = accompaniment_of(request, pathway_id)
    if page.plan is None:
        raise HttpError(404, "Pas de plan d'action.")
    return {
        "id": page.plan.pk,
        "diagnosis_on": page.plan.diagnosis_on,
        "diagnosis": page.plan.diagnosis,
        "author_organisation_id": page.plan.author_organisation_id,
        "actions": page.actions,
        "hidden_actions": page.hidden_actions,
    }


@router.post(
    "/pathways/{pathway_id}/plan", response={201: PlanOut}, summary="Ouvrir le plan d'action"
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_plan(request: HttpRequest, pathway_id: int, payload: PlanIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    plan = start_plan(
        request.auth,
        organisation,
        pathway,
        diagnosis_on=payload.diagnosis_on,
        diagnosis=payload.diagnosis,
    )
    return Status(
        201,
        {
            "id": plan.pk,
            "diagnosis_on": plan.diagnosis_on,
            "diagnosis": plan.diagnosis,
            "author_organisation_id": plan.author_organisation_id,
            "actions": [],
            "hidden_actions": 0,
        },
    )


@router.post(
    "/pathways/{pathway_id}/plan/actions",
    response={201: PlanActionOut},
    summary="Ajouter une action (une organisation, une personne)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_plan_action(request: HttpRequest, pathway_id: int, payload: PlanActionIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    plan = get_object_or_404(ActionPlan, pathway=pathway)
    item = add_plan_action(
        request.auth,
        organisation,
        plan,
        dimension=payload.dimension,
        objective=payload.objective,
        action=payload.action,
        owner_organisation=Organisation.objects.filter(pk=payload.owner_organisation_id).first(),
        owner=User.objects.filter(pk=payload.owner_id).first(),
        due_on=payload.due_on,
    )
    return Status(201, item)


@router.post(
    "/pathways/{pathway_id}/plan/actions/{action_id}/status",
    response=PlanActionOut,
    summary="Changer l'état d'une action",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def update_plan_action(request: HttpRequest, pathway_id: int, action_id: int, payload: StatusIn):
    _pathway, item = selectors.pathway_record_for(
        request.auth, pathway_id, PlanAction.objects.all(), action_id, within="plan__pathway"
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    return set_action_status(request.auth, organisation, item, payload.status)
