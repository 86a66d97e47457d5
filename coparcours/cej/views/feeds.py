"""Calendar (ICS) feeds: created and revoked by their owner, read by their secret address."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import ics, selectors
from coparcours.cej.models import CalendarFeed
from coparcours.cej.services.feeds import create_feed, feed_for_token
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.core.audit import logged_path


@requires(Capability.CEJ)
def feeds(request: HttpRequest) -> HttpResponse:
    """Calendar (ICS) feeds: the user's own, or one youth's; the address is shown once."""
    created_url = ""
    if request.method == "POST":
        pathway = None
        if request.POST.get("pathway"):
            pathway = selectors.pathway_for(request.user, int(request.POST["pathway"]))
        token = create_feed(request.user, pathway)
        created_url = request.build_absolute_uri(reverse("cej:feed", args=[token]))
    return render(
        request,
        "cej/feeds.html",
        {
            "feeds": CalendarFeed.objects.filter(user=request.user).select_related(
                "pathway__youth"
            ),
            "created_url": created_url,
        },
    )


@requires(Capability.CEJ)
@require_POST
def feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    get_object_or_404(CalendarFeed, pk=feed_id, user=request.user).delete()
    messages.success(request, "Agenda supprimé : son adresse ne fonctionne plus.")
    return redirect("cej:feeds")


#: The address written to the audit log for a feed: never its secret token, which the
#: readers of the log could otherwise use.
FEED_PATH_LOGGED = "/cej/agendas/<adresse secrète>.ics"


@public(
    "Calendar feed read by a calendar application: its secret address is the credential, "
    "revocable by its owner."
)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An ICS feed, reached by its secret address (calendar applications send no login);
    read with the rights of its creator, checked again at each fetch. Its audit lines
    carry a masked address."""
    with logged_path(FEED_PATH_LOGGED):
        calendar_feed = feed_for_token(token)
        if calendar_feed is None or not calendar_feed.user.is_active:
            raise Http404
        today = timezone.localdate()
        rows = selectors.planning(
            calendar_feed.user,
            today - datetime.timedelta(days=30),
            today + datetime.timedelta(days=120),
            pathway_id=calendar_feed.pathway_id,
            reason="Agenda ICS lu par son adresse secrète",
        )
    response = HttpResponse(ics.calendar(rows), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
