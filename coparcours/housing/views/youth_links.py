"""The youth's own space from their stay: the hosting member gives, sends and closes the
youth's link (``space.giving``; docs/youth-space.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from coparcours.core.access import Category, visible_youth_data
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing.models.stays import Stay
from coparcours.housing.youth_section import may_give_link, require_link_giver
from coparcours.space import giving


def _giver(request: HttpRequest, pk: int) -> giving.Giver:
    """The hosting member giving the youth's link from a stay its user may see."""
    stays = visible_youth_data(request.user, Stay.objects.select_related("youth"))
    stay = get_object_or_404(stays, pk=pk)
    return giving.Giver(
        youth=stay.youth,
        may=may_give_link(request.user, stay),
        check=lambda: require_link_giver(request.user, stay),
        create_url=reverse("housing:stay_youth_link", args=[stay.pk]),
        send_url=reverse("housing:stay_youth_link_send", args=[stay.pk]),
        back_url=reverse("housing:stay", args=[stay.pk]),
        back_label="Séjour",
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
@require_POST
def youth_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-time link and its QR code for the hosted youth's own space (7 days)."""
    return giving.give_link(request, _giver(request, pk))


@requires(
    Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING, Category.CONTACT]
)
@require_POST
def youth_link_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the link just created to the youth's own number or address."""
    return giving.send_link(request, _giver(request, pk))


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def youth_access_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the youth's access, after a confirmation saying its consequence."""
    return giving.close_access(request, _giver(request, pk))


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def youth_pin_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the code a youth chose, after a confirmation saying its consequence."""
    return giving.reset_pin(request, _giver(request, pk))
