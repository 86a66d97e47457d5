"""Eligibility of a pathway: the engine's answer, recorded checks, overall assessment."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from coparcours.cej import rules
from coparcours.cej.models import (
    Contact,
    EligibilityCheck,
    EligibilityDerogation,
    Pathway,
    VeilleDuration,
)
from coparcours.cej.models.pathway import Registration
from coparcours.cej.services.common import require_pathway_write
from coparcours.core.access import member_organisation
from coparcours.organisations.models import Consortium, Organisation


def veille_months(day: datetime.date) -> int:
    setting = VeilleDuration.objects.in_force(day)
    if setting is None:
        raise ValidationError(
            f"Aucune durée avant veille n'est paramétrée au {day:%d/%m/%Y} : "
            "demandez à l'administrateur de la renseigner."
        )
    return setting.months


def derogations_for(partnership: Consortium) -> list[rules.Derogation]:
    departement = getattr(getattr(partnership, "cej_settings", None), "departement_code", None)
    if departement is None:
        return []
    return [d.as_rule() for d in EligibilityDerogation.objects.filter(departement_code=departement)]


def eligibility_of_pathways(
    pathways: QuerySet[Pathway], day: datetime.date
) -> dict[int, rules.Verdict]:
    """The engine's verdict for many pathways on one day (pathway id → status and date).

    For jobs over many youths (100,000 youths within 2 s): the last substantial
    contact known on ``day`` is taken per youth in one SQL aggregation, then each pathway is
    one pure call of :func:`rules.verdict_from_summary`. The French reasons are not built
    here: :func:`compute_eligibility` gives them for the youth whose answer is shown or
    recorded (docs/decisions.md, section 23). No access check: callers pass pathways the
    user may read, or use the verdicts for masked aggregates.
    """
    months = veille_months(day)
    last_substantial = dict(
        Contact.objects.filter(
            occurred_on__lte=day,
            is_substantial=True,
            youth_id__in=pathways.values("youth_id"),
        )
        .values("youth_id")
        .annotate(last=Max("occurred_on"))
        .values_list("youth_id", "last")
    )
    derogations: dict[str, list[rules.Derogation]] = {}
    for derogation in EligibilityDerogation.objects.all():
        derogations.setdefault(derogation.departement_code, []).append(derogation.as_rule())
    registered = Registration.REGISTERED
    verdict = rules.verdict_from_summary
    return {
        pathway_id: verdict(
            day,
            registered=registration == registered,
            registered_on=registered_on,
            last_substantial=last_substantial.get(youth_id),
            veille_months=months,
            derogations=derogations.get(departement, ()),
        )
        for pathway_id, youth_id, registration, registered_on, departement in (
            pathways.values_list(
                "pk",
                "youth_id",
                "registration",
                "registered_on",
                "partnership__cej_settings__departement_code",
            ).iterator(chunk_size=10_000)
        )
    }


def compute_eligibility(
    pathway: Pathway, day: datetime.date, contacts: list[Contact] | None = None
) -> rules.Eligibility:
    """The engine's answer for a pathway on a day, from the stored facts (no access check)."""
    if contacts is None:
        contacts = list(Contact.objects.filter(youth_id=pathway.youth_id))
    return rules.eligibility(
        day,
        registered=pathway.registration == Registration.REGISTERED,
        registered_on=pathway.registered_on,
        contacts=[c.as_fact() for c in contacts],
        veille_months=veille_months(day),
        derogations=derogations_for(pathway.partnership),
    )


def record_eligibility_check(
    user: Any, pathway: Pathway, day: datetime.date, at_entry: bool
) -> EligibilityCheck:
    result = compute_eligibility(pathway, day)
    return EligibilityCheck.objects.create(
        youth_id=pathway.youth_id,
        author_organisation_id=pathway.author_organisation_id,
        pathway=pathway,
        checked_on=day,
        at_entry=at_entry,
        status=result.status,
        eligible_from=result.eligible_from,
        reasons=list(result.reasons),
        facts=result.facts,
        checked_by=user,
    )


@transaction.atomic
def check_eligibility(
    user: Any, organisation: Organisation, pathway: Pathway, day: datetime.date | None = None
) -> EligibilityCheck:
    """Record the engine's answer on a day (the entry date by default: eligibility is checked
    at entry into the pathway, not at contract signature)."""
    organisation = member_organisation(user, organisation)
    require_pathway_write(user, pathway, organisation)
    day = day or pathway.identified_on
    return record_eligibility_check(user, pathway, day, at_entry=day == pathway.identified_on)


@transaction.atomic
def add_overall_assessment(
    user: Any,
    organisation: Organisation,
    eligibility_check: EligibilityCheck,
    assessment: str,
    justification: str,
) -> EligibilityCheck:
    """An overall assessment of the situation beyond the single criterion, justified in
    writing (docs/domain-rules.md, "Eligibility")."""
    organisation = member_organisation(user, organisation)
    require_pathway_write(user, eligibility_check.pathway, organisation)
    justification = justification.strip()
    if len(justification) < 20:
        raise ValidationError(
            {
                "justification": "Justifiez l'appréciation globale en quelques phrases "
                "(20 caractères au moins)."
            }
        )
    eligibility_check.overall_assessment = assessment
    eligibility_check.justification = justification
    eligibility_check.assessed_by = user
    eligibility_check.full_clean()
    eligibility_check.save()
    return eligibility_check
