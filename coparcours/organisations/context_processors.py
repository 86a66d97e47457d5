from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coparcours.core.access.capabilities import Capability, CapabilityMap, may
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


@dataclass(frozen=True)
class Section:
    """A part of the site in the main menu, and the first step of the breadcrumb of its
    pages: shown only to whoever holds its capability (no link leads to a refusal)."""

    app_name: str
    label: str
    url_name: str
    capability: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS = (
    Section("youths", "Jeunes", "youths:caseload", Capability.YOUTH_RECORDS),
    Section("cej", "Parcours CEJ-JR", "cej:list", Capability.CEJ),
    Section("housing", "Hébergement", "housing:dashboard", Capability.HOUSING),
    Section("finance", "Finances", "finance:dashboard", Capability.FINANCE_INVOICES),
    Section("reporting", "Pilotage", "reporting:index", Capability.REPORTING),
    Section("directory", "Annuaire", "directory:search", Capability.DIRECTORY),
    # its team, its consortia and its data brought in (the same people: one entry)
    Section("organisations", "Mon organisation", "organisations:team", Capability.TEAM),
)


def sections_for(membership: Membership | None) -> list[Section]:
    """The sections of the main menu the acting membership may open."""
    return [section for section in SECTIONS if may(membership, section.capability)]


def breadcrumb_section(request: HttpRequest, sections: list[Section]) -> Section | None:
    """The section a page belongs to, for its breadcrumb (none on the section's own page,
    nor where the membership may not open it)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    return next(
        (
            section
            for section in sections
            if section.app_name == match.app_name and section.url_name != match.view_name
        ),
        None,
    )


def current_organisation(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    memberships = getattr(request, "memberships", [])
    options: Callable[[], SafeString] = lambda: membership_options(memberships, membership)  # noqa: E731
    sections = sections_for(membership)
    return {
        "current_membership": membership,
        "current_organisation": membership.organisation if membership else None,
        "user_memberships": memberships,
        # the acting membership's capabilities, for menus, links and buttons
        "can": CapabilityMap(membership),
        # called by the template only where the switcher is shown
        "membership_options": options,
        "sections": sections,
        "breadcrumb_section": breadcrumb_section(request, sections),
    }
