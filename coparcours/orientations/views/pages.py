"""A partnership's public page (its link and QR code for the partners, opened or closed by
the porteur, the GME's coordination or its funder), and the directory's list of the open
pages that every professional may pass on."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.orientations import selectors, services
from coparcours.orientations.models import OrientationPage


def public_url(page: OrientationPage) -> str:
    path = reverse("orientations:orient", args=[page.token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@requires(Capability.ORIENTATION_PAGES)
def page_list(request: HttpRequest) -> HttpResponse:
    """The partnerships whose page the user opens or closes, each with its link and QR."""
    partnerships = []
    for consortium in selectors.managed_partnerships(request.user):
        page = getattr(consortium, "orientation_page", None)
        url = public_url(page) if page else ""
        partnerships.append(
            {
                "consortium": consortium,
                "page": page,
                "url": url,
                "qr_svg": segno.make(url, error="m").svg_inline(scale=4) if page else "",
            }
        )
    return render(request, "orientations/pages.html", {"partnerships": partnerships})


@requires(Capability.ORIENTATION_PAGES)
@require_POST
def page_switch(request: HttpRequest, consortium_id: int) -> HttpResponse:
    """Open or close a partnership's page (its history keeps who and when)."""
    consortium = get_object_or_404(selectors.managed_partnerships(request.user), pk=consortium_id)
    opening = request.POST.get("open") == "1"
    try:
        services.set_page_open(request.user, consortium, opening)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Page d'orientation de {consortium} {'ouverte' if opening else 'fermée'}.",
        )
    return redirect("orientations:pages")


@requires(Capability.DIRECTORY)
def directory(request: HttpRequest) -> HttpResponse:
    """The partnerships' open pages, whose link any professional may hand a partner."""
    pages = [{"page": page, "url": public_url(page)} for page in selectors.open_pages()]
    return render(request, "orientations/directory.html", {"pages": pages})
