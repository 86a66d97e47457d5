"""The anchors every page is compared with: a bare view and a minimal 50-row list view;
and what any list of youths costs before its own content."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from coparcours.core.access import visible_youths
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def minimal_list(request: HttpRequest) -> HttpResponse:
    """50 rows of one table through the site's layout: the cheapest real page."""
    rows = Organisation.objects.order_by("pk")[:50]
    return render(request, "bench/minimal_list.html", {"rows": rows})


@login_required
def youths_under_policy(request: HttpRequest) -> HttpResponse:
    """25 names of youths through the access policy, counted and paginated, with the
    listing's audit line: the least a page of personal data costs."""
    youths = (
        visible_youths(request.user, Youth.objects.active())
        .only("last_name", "first_names")
        .order_by("last_name", "first_names", "pk")
    )
    page = Paginator(youths, 25).get_page(request.GET.get("page"))
    return render(request, "bench/youths_under_policy.html", {"page": page})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/list/", minimal_list),
    path("bench/youths/", youths_under_policy),
    path("", include("coparcours.urls")),
]
