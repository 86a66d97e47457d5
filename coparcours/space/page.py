"""The youth's own page: whom to call, then each programme's part (``programmes``), as far
as the link's creator may read it today, audited as one reading in the youth's access log
naming the creator (docs/decisions.md, 17)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.space.contacts import Contact
from coparcours.space.models import YouthLink
from coparcours.space.programmes import programmes
from coparcours.space.reader import reader_of
from coparcours.youths.models import Youth


@dataclass(frozen=True)
class Section:
    """One programme's part of the page and the template that shows it."""

    key: str
    template: str
    data: Any


@dataclass
class YouthPage:
    """What the youth's page shows: only what the link's creator may read."""

    youth: Youth
    contacts: list[Contact] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Any:
        """The data of one programme's part, ``None`` when it is not shown."""
        return next((s.data for s in self.sections if s.key == key), None)


def youth_page(link: YouthLink) -> YouthPage | None:
    """The page of the link's youth as far as its creator may read it today; ``None`` when
    the creator may read none of it any more (left the organisation, consent withdrawn,
    account deleted)."""
    youth = link.youth
    day = timezone.localdate()
    reader = reader_of(link, day)
    page = YouthPage(youth)
    for programme in programmes():
        data = programme.section(link, reader, day)  # None where it does not accompany them
        if data is None:
            continue
        page.sections.append(Section(programme.key, programme.template, data))
        page.contacts.extend(data.contacts)
    if not page.sections:
        return None
    organisation = link.organisation or youth.owner_organisation
    record(
        None,
        AuditEvent.READ,
        organisation=organisation,
        youth_id=youth.pk,
        obj=youth,
        reason=f"page du jeune, lien créé par {link.created_by}, {organisation.name}",
    )
    return page
