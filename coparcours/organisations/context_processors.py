from collections.abc import Callable

from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coparcours.core.access.capabilities import CapabilityMap
from coparcours.organisations.models import Membership, Role


def membership_options(memberships: list[Membership], current: Membership | None) -> SafeString:
    """The ``<option>`` elements of the header's organisation switcher, built in Python: a
    coordinator of many GMEs has one per membership on every page (100 options: 2 ms in the
    template language, 0.3 ms here)."""
    roles = {value: str(label) for value, label in Role.choices}
    selected = current.pk if current else None
    return mark_safe(  # noqa: S308 - every value is escaped just above
        "".join(
            f'<option value="{m.pk}"{" selected" if m.pk == selected else ""}>'
            f"{escape(m.organisation.name)} — {escape(roles.get(m.role, m.role))}</option>"
            for m in memberships
        )
    )


def current_organisation(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    memberships = getattr(request, "memberships", [])
    options: Callable[[], SafeString] = lambda: membership_options(memberships, membership)  # noqa: E731
    return {
        "current_membership": membership,
        "current_organisation": membership.organisation if membership else None,
        "user_memberships": memberships,
        # the acting membership's capabilities, for menus, links and buttons
        "can": CapabilityMap(membership),
        # called by the template only where the switcher is shown
        "membership_options": options,
    }
