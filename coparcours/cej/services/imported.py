"""A pathway brought in from a porteur's earlier records (``imports``): checked as outreach
and the stage moves check theirs, then recorded with the history those acts would have
written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.cej import rules
from coparcours.cej.models import ContractDuration, Pathway, StageChange
from coparcours.cej.models.pathway import Registration
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import EE
from coparcours.cej.services.eligibility import record_eligibility_check
from coparcours.cej.services.reviews import schedule_reviews
from coparcours.core.access import Action, Relation, check
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths import services as youth_services
from coparcours.youths.models import Assignment, Youth

#: Stages reached only through the remobilisation, whose reviews are then scheduled.
AFTER_REMOBILISATION = {Stage.REMOBILISATION, Stage.CONTRACT}


@dataclass
class ImportedPathway:
    """A pathway as a file line describes it."""

    FROM_FILE: ClassVar[tuple[str, ...]] = (
        "identified_on",
        "spotted_where",
        "spotted_by",
        "spotted_how",
        "registration",
        "registered_on",
        "stage",
        "stage_since",
        "contract_start",
        "exit_outcome",
    )

    line: int
    youth: Youth
    partnership: Consortium
    mission_locale: Organisation
    referent: Any
    counsellor: Any
    identified_on: datetime.date
    spotted_where: str
    spotted_by: str
    spotted_how: str
    registration: str
    registered_on: datetime.date | None
    stage: str
    stage_since: datetime.date
    contract_start: datetime.date | None
    exit_outcome: str | None
    contract_months: int | None


def check_pathway(pathway: ImportedPathway, today: datetime.date) -> None:
    """Raise ``ValidationError`` by field for what the product's acts would refuse."""
    errors: dict[str, str] = {}
    _check_dates(pathway, today, errors)
    _check_age(pathway, errors)
    _check_registration(pathway, errors)
    _check_contract(pathway, errors)
    if pathway.stage == Stage.EXIT and not pathway.exit_outcome:
        errors["exit_outcome"] = "une sortie a son issue."
    if pathway.stage != Stage.EXIT and pathway.exit_outcome:
        errors["exit_outcome"] = "une issue pour un parcours qui n'est pas sorti."
    if errors:
        raise ValidationError(errors)


def _check_dates(pathway: ImportedPathway, today: datetime.date, errors: dict[str, str]) -> None:
    if pathway.identified_on > today:
        errors["identified_on"] = "le repérage ne peut pas être daté dans le futur."
    if pathway.stage_since > today:
        errors["stage_since"] = "une étape ne commence pas dans le futur."
    elif pathway.stage_since < pathway.identified_on:
        errors["stage_since"] = "l'étape ne peut pas précéder le repérage."
    elif pathway.stage == Stage.IDENTIFIED and pathway.stage_since != pathway.identified_on:
        errors["stage_since"] = "un jeune repéré l'est depuis le jour de son repérage."


def _check_age(pathway: ImportedPathway, errors: dict[str, str]) -> None:
    age = pathway.youth.age(pathway.identified_on)
    problem = rules.cej_age_problem(age)
    if problem:
        errors["birth_date"] = problem


def _check_registration(pathway: ImportedPathway, errors: dict[str, str]) -> None:
    if pathway.registration == Registration.NEVER and pathway.registered_on is not None:
        errors["registered_on"] = "un jeune jamais inscrit n'a pas de date d'inscription."
    elif pathway.registered_on and pathway.registered_on > pathway.identified_on:
        errors["registered_on"] = "l'inscription connue au repérage le précède."


def _check_contract(pathway: ImportedPathway, errors: dict[str, str]) -> None:
    signed = pathway.contract_start is not None
    if pathway.stage == Stage.CONTRACT and not signed:
        errors["contract_start"] = "un contrat CEJ a son jour de début."
    if signed and pathway.stage not in {Stage.CONTRACT, Stage.EXIT}:
        errors["contract_start"] = "un contrat pour un jeune qui n'est pas à l'étape du contrat."
    if not signed:
        if pathway.contract_months:
            errors["contract_months"] = "une durée sans début de contrat."
        return
    if not pathway.identified_on < pathway.contract_start <= pathway.stage_since or (
        pathway.stage == Stage.CONTRACT and pathway.contract_start != pathway.stage_since
    ):
        errors["contract_start"] = "le contrat commence après le repérage, le jour de l'étape."
    durations = ContractDuration.objects.in_force(pathway.contract_start)
    planned = durations.planned_months if durations else 12
    pathway.contract_months = pathway.contract_months or planned
    if not 1 <= pathway.contract_months <= planned:
        errors["contract_months"] = f"la durée prévue va de 1 à {planned} mois."


@transaction.atomic
def record_imported_pathway(
    user: Any, organisation: Organisation, pathway: ImportedPathway, *, reason: str
) -> Pathway:
    """The pathway, its stage history, the mission locale accompanying the youth from the
    outreach, its reviews from the remobilisation and the eligibility at entry."""
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
        reason=reason,
    )
    record = Pathway(
        youth=pathway.youth,
        author_organisation=organisation,
        partnership=pathway.partnership,
        mission_locale=pathway.mission_locale,
        referent=pathway.referent,
        counsellor=pathway.counsellor,
        identified_on=pathway.identified_on,
        spotted_where=pathway.spotted_where,
        spotted_by=pathway.spotted_by,
        spotted_how=pathway.spotted_how,
        registration=pathway.registration,
        registered_on=pathway.registered_on,
        stage=pathway.stage,
        stage_since=pathway.stage_since,
        contract_start=pathway.contract_start,
        contract_months=pathway.contract_months if pathway.contract_start else None,
        exit_on=pathway.stage_since if pathway.stage == Stage.EXIT else None,
        exit_outcome=pathway.exit_outcome or "",
    )
    record.full_clean()
    record.save()
    _history(user, organisation, record)
    if (
        not Assignment.objects.active(record.identified_on)
        .filter(youth=record.youth, organisation=record.mission_locale)
        .exists()
    ):
        youth_services.add_assignment(
            user,
            record.youth,
            record.mission_locale,
            "Parcours CEJ-JR : accompagnement vers l'emploi et la formation",
            record.identified_on,
            relation=Relation.CEJ_PARTNER,
        )
    if record.stage in AFTER_REMOBILISATION:
        schedule_reviews(record)
    record_eligibility_check(user, record, record.identified_on, at_entry=True)
    return record


def _history(user: Any, organisation: Organisation, record: Pathway) -> None:
    changes = [("", Stage.IDENTIFIED, record.identified_on)]
    if record.stage != Stage.IDENTIFIED:
        changes.append((Stage.IDENTIFIED, record.stage, record.stage_since))
    for from_stage, to_stage, on in changes:
        StageChange.objects.create(
            youth=record.youth,
            author_organisation=organisation,
            pathway=record,
            from_stage=from_stage,
            to_stage=to_stage,
            on=on,
            by=user,
            comment="Import d'un parcours en cours",
        )
