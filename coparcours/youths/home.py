"""The "my caseload" panel of the referents' and counsellors' home pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from coparcours.core.access import Capability, acting_organisation_id, visible_youths
from coparcours.organisations.home import HomePanel
from coparcours.youths.models import Consent, Youth

#: How far ahead the panel warns that a consent will lapse.
CONSENT_WARNING_DAYS = 30


def caseload_summary(request: HttpRequest) -> dict[str, Any]:
    """Counts of the user's youths, the most recently updated ones, and consents lapsing soon.

    Three queries whatever the caseload's size; only youths the policy lets the user list.
    """
    user = request.user
    organisation_id = acting_organisation_id(request)
    today = timezone.localdate()
    youths = visible_youths(user, Youth.objects.active())
    mine = youths.filter(referent=user)
    lapsing = (
        Consent.objects.active(today)
        .filter(
            youth__in=youths.filter(owner_organisation_id=organisation_id),
            end_date__isnull=False,
            end_date__lte=today + datetime.timedelta(days=CONSENT_WARNING_DAYS),
        )
        .select_related("youth", "organisation")
        .order_by("end_date", "pk")
    )
    counts = youths.aggregate(
        mine_count=Count("pk", filter=Q(referent=user)),
        organisation_count=Count("pk", filter=Q(owner_organisation_id=organisation_id)),
        shared_count=Count("pk", filter=~Q(owner_organisation_id=organisation_id)),
    )
    return {
        **counts,
        "recent": list(
            mine.select_related("owner_organisation").order_by("-updated_at", "-pk")[:5]
        ),
        "lapsing_consents": list(lapsing[:10]),
        "warning_days": CONSENT_WARNING_DAYS,
    }


PANEL = HomePanel(
    capability=Capability.CASELOAD,
    template="youths/home_panel.html",
    context=caseload_summary,
    order=10,
)
