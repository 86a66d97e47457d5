"""Who the youth may call, as their space shows it: a person of an organisation with the
number they gave for youths, or the organisation's reception (docs/youth-space.md)."""

from __future__ import annotations

from dataclasses import dataclass

from coparcours.accounts.models import User
from coparcours.organisations.models import Organisation


@dataclass(frozen=True)
class Contact:
    """A person of an organisation, or its reception when nobody is named there."""

    role: str
    organisation: Organisation
    person: User | None

    @property
    def phone(self) -> str:
        return (self.person.work_phone if self.person else "") or self.organisation.phone
