"""Outreach: a referent records a youth spotted, which opens a CEJ-JR pathway."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coparcours.cej.models import Pathway, StageChange
from coparcours.cej.models.pathway import Registration
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import EE, require_not_future
from coparcours.cej.services.eligibility import record_eligibility_check
from coparcours.cej.services.partnerships import missions_locales_of, porteur_of
from coparcours.core.access import Action, Relation, check, member_organisation
from coparcours.organisations.models import Consortium, ConsortiumKind, Organisation
from coparcours.youths import services as youth_services
from coparcours.youths.models import Assignment, Youth


@transaction.atomic
def record_outreach(
    user: Any,
    organisation: Organisation,
    partnership: Consortium,
    *,
    youth: Youth | None = None,
    youth_fields: dict[str, Any] | None = None,
    mission_locale: Organisation | None = None,
    identified_on: datetime.date,
    spotted_where: str,
    spotted_by: str,
    spotted_how: str,
    registration: str,
    registered_on: datetime.date | None = None,
) -> Pathway:
    """A referent records a youth spotted: it opens a CEJ-JR pathway at stage identified, makes
    the mission locale a CEJ-JR partner of the youth and checks eligibility at entry."""
    organisation = member_organisation(user, organisation)
    if partnership.kind != ConsortiumKind.CEJ_JR:
        raise ValidationError("Choisissez un partenariat CEJ-JR.")
    if porteur_of(partnership) != organisation:
        raise PermissionDenied("Seul le porteur du partenariat ouvre un parcours CEJ-JR.")
    require_not_future(identified_on, "identified_on", "La date de repérage")
    missions = missions_locales_of(partnership)
    if mission_locale is None and len(missions) == 1:
        mission_locale = missions[0]
    if mission_locale not in missions:
        raise ValidationError(
            {"mission_locale": "Choisissez une mission locale membre du partenariat."}
        )
    if registration == Registration.NEVER and registered_on is not None:
        raise ValidationError(
            {"registered_on": "Un jeune jamais inscrit n'a pas de date d'inscription."}
        )
    if registered_on is not None:
        require_not_future(registered_on, "registered_on", "La date d'inscription")
    if youth is None:
        youth = youth_services.create_youth(user, organisation, **(youth_fields or {}))
    check(
        user,
        youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if Pathway.objects.open().filter(youth=youth).exists():
        raise ValidationError("Ce jeune a déjà un parcours CEJ-JR en cours.")
    pathway = Pathway(
        youth=youth,
        author_organisation=organisation,
        partnership=partnership,
        mission_locale=mission_locale,
        referent=user,
        identified_on=identified_on,
        spotted_where=spotted_where.strip(),
        spotted_by=spotted_by.strip(),
        spotted_how=spotted_how,
        registration=registration,
        registered_on=registered_on,
        stage=Stage.IDENTIFIED,
        stage_since=identified_on,
    )
    pathway.full_clean()
    pathway.save()
    StageChange.objects.create(
        youth=youth,
        author_organisation=organisation,
        pathway=pathway,
        from_stage="",
        to_stage=Stage.IDENTIFIED,
        on=identified_on,
        by=user,
        comment=f"Repérage : {pathway.spotted_where}",
    )
    already_partner = (
        Assignment.objects.active(identified_on)
        .filter(youth=youth, organisation=mission_locale)
        .exists()
    )
    if not already_partner:
        youth_services.add_assignment(
            user,
            youth,
            mission_locale,
            "Parcours CEJ-JR : accompagnement vers l'emploi et la formation",
            identified_on,
            relation=Relation.CEJ_PARTNER,
        )
    record_eligibility_check(user, pathway, identified_on, at_entry=True)
    return pathway
