"""The anchors every page is compared with: a bare view and a minimal 50-row list view."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from coparcours.organisations.models import Organisation


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def minimal_list(request: HttpRequest) -> HttpResponse:
    """50 rows of one table through the site's layout: the cheapest real page."""
    rows = Organisation.objects.order_by("pk")[:50]
    return render(request, "bench/minimal_list.html", {"rows": rows})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/list/", minimal_list),
    path("", include("coparcours.urls")),
]
