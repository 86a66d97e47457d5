"""The « À traiter » block of the register: the needs the acting organisation recorded that
have waited more than :data:`rules.STALE_AFTER_DAYS` days without a referral waiting for an
answer, for the referent or counsellor to try another service or say the need is met."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability, acting_membership, may, visible_youth_data
from coparcours.directory.home import own_readable_categories
from coparcours.directory.models import ReferralStatus
from coparcours.needs import rules
from coparcours.needs.models import NeedStatus, UnmetNeed
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone, todo_of
from coparcours.youths.models import Youth


def stale_needs(request: HttpRequest) -> Todo | None:
    """Open needs of the acting organisation noticed more than the days allowed ago,
    without a referral waiting for an answer, on youths it still accompanies and in
    categories the person reads; the oldest first. Two queries."""
    membership = acting_membership(request)
    if membership is None or not may(membership, Capability.NEEDS):
        return None
    organisation_id = membership.organisation_id
    today = timezone.localdate()
    waiting = UnmetNeed.referrals.through.objects.filter(
        unmetneed_id=OuterRef("pk"), referral__status=ReferralStatus.OPEN
    )
    needs = visible_youth_data(
        request.user,
        UnmetNeed.objects.filter(
            author_organisation_id=organisation_id,
            status=NeedStatus.OPEN,
            since__lt=rules.stale_before(today),
            category__in=own_readable_categories(organisation_id, membership.role),
        ).filter(~Exists(waiting)),
    )
    needs = (
        needs.filter(youth__in=Youth.objects.accompanied_ids([organisation_id], today))
        .select_related("youth")
        .order_by("since", "pk")
    )

    def row(need: UnmetNeed) -> TodoRow:
        return TodoRow(
            label=str(need.youth),
            detail=f"{need.get_dimension_display()}, depuis le {need.since:%d/%m/%Y}",
            badge=f"sans réponse depuis {(today - need.since).days} jours",
            tone=Tone.LATE,
            url=reverse("needs:need", args=[need.pk]),
            action="Voir le besoin",
        )

    return todo_of(needs, row)


STALE_BLOCK = TodoBlock(
    key="stale_needs",
    title=f"Besoins sans réponse depuis plus de {rules.STALE_AFTER_DAYS} jours",
    capability=Capability.CASELOAD,
    find=stale_needs,
    empty="Aucun besoin resté sans réponse ni orientation en cours.",
    order=55,
)
