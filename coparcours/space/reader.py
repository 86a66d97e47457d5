"""The link's creator as the access policy sees them on a day: the youth's space is read
without a login, so it shows no more than the person who gave the link may read today
(Code pénal 226-13; CASF L.226-2-2; docs/decisions.md, 17)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from coparcours.core.access import AccessFacts, Action, Grant, active_memberships, decide
from coparcours.space.models import YouthLink


@dataclass(frozen=True)
class Reader:
    """The link's creator on one day: a pure question per category and author."""

    memberships: list[tuple[int, str]]
    facts: AccessFacts

    def grant(self, category: str, author_organisation_id: int) -> Grant | None:
        return decide(
            self.memberships,
            self.facts,
            category,
            Action.READ,
            author_organisation_id=author_organisation_id,
        )

    def reads(self, category: str, author_organisation_id: int) -> bool:
        return self.grant(category, author_organisation_id) is not None


def reader_of(link: YouthLink, day: datetime.date) -> Reader:
    """The link's creator as the policy sees them on ``day`` (nobody once the account is
    deleted: the space then shows nothing of the record)."""
    creator = link.created_by
    return Reader(
        active_memberships(creator, day) if creator is not None else [],
        link.youth.access_facts(day),
    )
