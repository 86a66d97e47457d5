"""Recording a youth's unmet need, linking the referrals tried, and closing it (met or
abandoned): each act decided by the access policy for the need's category, in a
transaction, kept in the need's history (docs/domain-rules.md, "Unmet needs")."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import Action, check, member_organisation
from coparcours.directory.models import Referral
from coparcours.needs import rules
from coparcours.needs.models import DIMENSION_CATEGORIES, NeedDimension, NeedStatus, UnmetNeed
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth


def _referrals(youth: Youth, author_id: int, referrals: Iterable[Referral]) -> list[Referral]:
    """The referrals tried for a need: the youth's, sent by the need's organisation."""
    found = list(referrals)
    if any(r.youth_id != youth.pk or r.author_organisation_id != author_id for r in found):
        raise ValidationError(
            {
                "referrals": "Seules les orientations de ce jeune envoyées par votre organisation "
                "peuvent être reliées au besoin."
            }
        )
    return found


def _text_errors(description: str) -> dict[str, str]:
    if not description.strip():
        return {"description": "Décrivez le besoin : ce qui manque au jeune et ce qu'il demande."}
    return {}


def _check_write(user: Any, need: UnmetNeed) -> None:
    """The audited write on a need: its recording organisation's data of its category."""
    check(
        user,
        need.youth,
        need.category,
        Action.WRITE,
        author_organisation_id=need.author_organisation_id,
        obj=need,
    )


@transaction.atomic
def record_need(
    user: Any,
    youth: Youth,
    acting: Organisation,
    *,
    dimension: str,
    since: datetime.date,
    description: str,
    referrals: Iterable[Referral] = (),
) -> UnmetNeed:
    """Record a need the youth has and no one answers yet, in the category of its
    dimension (a mental-health need is mental-health data). Nothing is written on error."""
    acting = member_organisation(user, acting)
    if dimension not in NeedDimension.values:
        raise ValidationError({"dimension": "Choisissez la dimension du besoin."})
    category = DIMENSION_CATEGORIES[dimension]
    check(user, youth, category, Action.WRITE, within_organisation_id=acting.pk)
    errors = rules.date_errors(since, None, timezone.localdate()) | _text_errors(description)
    if errors:
        raise ValidationError(errors)
    tried = _referrals(youth, acting.pk, referrals)
    need = UnmetNeed.objects.create(
        youth=youth,
        author_organisation=acting,
        recorded_by=user,
        dimension=dimension,
        since=since,
        description=description.strip(),
    )
    need.referrals.set(tried)
    return need


@transaction.atomic
def update_need(
    user: Any,
    need: UnmetNeed,
    *,
    since: datetime.date,
    description: str,
    referrals: Iterable[Referral],
) -> UnmetNeed:
    """Correct an open need's date or description and the referrals tried for it."""
    _check_write(user, need)
    if need.status != NeedStatus.OPEN:
        raise ValidationError("Ce besoin est clos : il ne se modifie plus.")
    errors = rules.date_errors(since, None, timezone.localdate()) | _text_errors(description)
    if errors:
        raise ValidationError(errors)
    tried = _referrals(need.youth, need.author_organisation_id, referrals)
    need.since = since
    need.description = description.strip()
    need.save()
    need.referrals.set(tried)
    return need


@transaction.atomic
def close_need(
    user: Any, need: UnmetNeed, *, status: str, closed_on: datetime.date, outcome: str
) -> UnmetNeed:
    """Mark an open need met (how) or abandoned (why) on ``closed_on``, between the day it
    was noticed and today."""
    _check_write(user, need)
    if need.status != NeedStatus.OPEN:
        raise ValidationError("Ce besoin est déjà clos.")
    errors = rules.date_errors(need.since, closed_on, timezone.localdate())
    if status not in (NeedStatus.MET, NeedStatus.ABANDONED):
        errors["status"] = "Indiquez si le besoin a été satisfait ou abandonné."
    if not outcome.strip():
        errors["outcome"] = "Dites comment le besoin a été satisfait, ou pourquoi il est abandonné."
    if errors:
        raise ValidationError(errors)
    need.status = status
    need.closed_on = closed_on
    need.outcome = outcome.strip()
    need.save()
    return need


@transaction.atomic
def reopen_need(user: Any, need: UnmetNeed, reason: str) -> UnmetNeed:
    """Reopen a need met or abandoned (the answer fell through, or it was closed by
    mistake): open again since the day it was first noticed, its delay to an answer counted
    from then; the closing and the reason for reopening stay in its history."""
    _check_write(user, need)
    if need.status == NeedStatus.OPEN:
        raise ValidationError("Ce besoin est déjà sans réponse.")
    if not reason.strip():
        raise ValidationError({"reason": "Dites pourquoi le besoin est de nouveau sans réponse."})
    need.status = NeedStatus.OPEN
    need.closed_on = None
    need.outcome = ""
    need._change_reason = reason.strip()  # simple_history's reason of this version
    need.save()
    return need
