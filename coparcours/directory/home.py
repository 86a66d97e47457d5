"""The "À traiter" block of the directory: the orientations the acting organisation sent
that a structure answered since the user's previous sign-in (accepted, or refused with its
reason), for the referent or counsellor to tell the youth and act on it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import (
    AccessFacts,
    Action,
    Capability,
    Category,
    Relation,
    acting_membership,
    decide,
    may,
    visible_youth_data,
)
from coparcours.directory.models import Referral, ReferralStatus
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone, new_since, todo_of
from coparcours.youths.models import Youth


def own_readable_categories(organisation_id: int, role: str) -> list[str]:
    """The categories of its own organisation's data the membership reads on a youth that
    organisation accompanies (the policy's pure decision)."""
    facts = AccessFacts(relations={organisation_id: frozenset({Relation.OWNER})})
    return [
        category
        for category in Category.values
        if decide(
            [(organisation_id, role)],
            facts,
            category,
            Action.READ,
            author_organisation_id=organisation_id,
        )
        is not None
    ]


def answered_referrals(request: HttpRequest) -> Todo | None:
    """Referrals sent by the acting organisation, answered since the user's previous
    sign-in, on youths it still accompanies and in categories the user reads (those the
    referral's page opens), the latest answer first. Two queries. ``None`` for a role that
    sends no referral (no youth records)."""
    membership = acting_membership(request)
    if membership is None or not may(membership, Capability.YOUTH_RECORDS):
        return None
    organisation_id = membership.organisation_id
    user = request.user
    since = new_since(user)
    referrals = visible_youth_data(
        user,
        Referral.objects.filter(
            author_organisation_id=organisation_id,
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.REFUSED],
            answered_at__gte=since,
            category__in=own_readable_categories(organisation_id, membership.role),
        ),
    )
    referrals = (
        referrals.filter(
            youth__in=Youth.objects.accompanied_ids([organisation_id], timezone.localdate())
        )
        .select_related("youth", "service__structure")
        .order_by("-answered_at", "-pk")
    )

    def row(referral: Referral) -> TodoRow:
        answer = referral.get_status_display().lower()
        if referral.status == ReferralStatus.REFUSED:
            answer = f"{answer} : {referral.get_refusal_reason_display().lower()}"
        answered = timezone.localtime(referral.answered_at)
        return TodoRow(
            label=str(referral.youth),
            detail=f"{referral.service.nom} ({referral.service.structure.nom}), "
            f"réponse du {answered:%d/%m/%Y}",
            badge=answer,
            tone=Tone.NEW,
            url=reverse("directory:referral", args=[referral.pk]),
            action="Voir l'orientation",
        )

    return todo_of(referrals, row)


ANSWERED_BLOCK = TodoBlock(
    key="answered_referrals",
    title="Orientations ayant reçu une réponse",
    capability=Capability.CASELOAD,
    find=answered_referrals,
    empty="Aucune réponse à vos orientations depuis votre dernière visite.",
    order=50,
)
