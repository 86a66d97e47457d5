"""Interviews and syntheses, and the mission locale's counsellor of a youth."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.cej.models import Interview, Pathway
from coparcours.cej.models.interviews import InterviewKind
from coparcours.cej.services.common import EE, require_own_write
from coparcours.core.access import SharedAct, active_memberships, member_organisation, require_act
from coparcours.organisations.models import Organisation, Role
from coparcours.youths import services as youth_services


@transaction.atomic
def record_interview(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    kind: str,
    category: str,
    title: str,
    text: str,
    occurred_on: datetime.date,
) -> Interview:
    """An individual or tripartite interview, or a synthesis shared with the partners
    around the youth. The text is a note of the youth's record in the category chosen, so the
    access policy decides who reads it (a health synthesis stays with its author)."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.INTERVIEWS)
    if kind not in InterviewKind.values:
        raise ValidationError({"kind": "Choisissez le type d'entretien."})
    note = youth_services.add_note(
        user,
        pathway.youth,
        organisation,
        category=category,
        title=title,
        text=text,
        occurred_on=occurred_on,
    )
    return Interview.objects.create(pathway=pathway, kind=kind, note=note)


@transaction.atomic
def set_counsellor(
    user: Any, organisation: Organisation, pathway: Pathway, counsellor: Any
) -> Pathway:
    """Name the mission locale's counsellor who receives this youth's Monday follow-up."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.COUNSELLOR)
    require_own_write(user, pathway, organisation, EE)
    if counsellor is not None and (pathway.mission_locale_id, Role.COUNSELLOR) not in set(
        active_memberships(counsellor)
    ):
        raise ValidationError(
            {"counsellor": f"Choisissez un·e conseiller·ère de {pathway.mission_locale}."}
        )
    pathway.counsellor = counsellor
    pathway.save(update_fields=["counsellor", "updated_at"])
    return pathway
