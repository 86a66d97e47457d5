"""Helpers shared by the CEJ-JR services: today's date, date checks, write checks."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.core.access import Action, Category, check
from coparcours.organisations.models import Organisation
from coparcours.youths.rules import search_key

EE = Category.EDUCATION_EMPLOYMENT


def local_today() -> datetime.date:
    return timezone.localdate()


def require_not_future(day: datetime.date, field: str, what: str) -> None:
    if day > local_today():
        raise ValidationError({field: f"{what} ne peut pas être datée dans le futur."})


def require_pathway_write(user: Any, pathway: Pathway, organisation: Organisation) -> None:
    """Changing a pathway: write access to the porteur's education-and-employment data."""
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=pathway.author_organisation_id,
        obj=pathway,
        within_organisation_id=organisation.pk,
    )


def normalised_key(text: str) -> str:
    return search_key(text).replace(" ", "_")


def require_own_write(
    user: Any, pathway: Pathway, organisation: Organisation, category: str
) -> None:
    """Writing one's own data of a category about the youth."""
    check(
        user,
        pathway.youth,
        category,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )


def require_open_pathway(pathway: Pathway) -> None:
    if pathway.stage == Stage.EXIT:
        raise ValidationError("Le parcours est terminé.")
