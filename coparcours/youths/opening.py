"""Opening a youth's record: who may, and the duplicate check that comes first.

The duplicate check says whether a person is already known to another organisation: an
answer about someone's accompaniment (Code pénal 226-13). So only a person who may open a
record for the acting organisation reaches it: a role whose rights include writing the
identity (``ROLE_RIGHTS``, the casework roles that write; a finance officer only reads).
Anyone else is refused before any lookup, with the same answer whoever is named.

Every check is audited, as one line: who searched, for which organisation, how many
records matched (visible to them, elsewhere). Not the names searched: the log is
append-only and outlives the records it mentions, so names written in it would survive the
anonymisation or the erasure of the very record they name (RGPD art. 5-1-c, 5-1-e and 17).
Nor the ids of the records found elsewhere, which the searcher's organisation may not know
and would read in its own audit search. The route is kept without its query string
(``core.middleware``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from coparcours.core.access import ROLE_RIGHTS, Action, Category, active_memberships
from coparcours.core.audit import record, record_refusal
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation
from coparcours.youths import selectors
from coparcours.youths.refusals import Refused

OPENING_REFUSED = "youth_opening_not_allowed"
OPENING_REFUSAL = (
    "Seules les personnes qui peuvent ouvrir un dossier pour votre organisation (référent, "
    "coordination, direction, conseiller) créent un dossier et vérifient les doublons."
)


def may_open_records(memberships: Iterable[tuple[int, str]], organisation_id: int | None) -> bool:
    """Whether one of the memberships, in the organisation, may open a record (pure)."""
    return any(
        organisation == organisation_id
        and Action.WRITE in ROLE_RIGHTS.get(role, {}).get(Category.IDENTITY, frozenset())
        for organisation, role in memberships
    )


def require_opener(user: Any, organisation: Organisation | None) -> None:
    """Refuse, audited and before any lookup, a user who may not open a record for the
    organisation they act for."""
    organisation_id = getattr(organisation, "pk", None)
    if not may_open_records(active_memberships(user), organisation_id):
        record_refusal(user, category=Category.IDENTITY, reason="Ouverture d'un dossier : refusée")
        raise Refused(OPENING_REFUSED, OPENING_REFUSAL)


def duplicate_check(
    user: Any,
    organisation: Organisation | None,
    last_name: str,
    first_names: str,
    birth_date: datetime.date | None,
) -> selectors.DuplicateCheck:
    """The duplicate warning before a record is opened, by any entry point: refused to who
    may not open one, audited with its counts only (see the module's docstring)."""
    require_opener(user, organisation)
    found = selectors.duplicate_check(user, last_name, first_names, birth_date)
    total = len(found.visible) + found.elsewhere
    plural = "s" if total > 1 else ""
    record(
        user,
        AuditEvent.LIST,
        organisation=organisation,
        category=Category.IDENTITY,
        reason=f"Recherche de doublons avant l'ouverture d'un dossier : {total} dossier{plural} "
        f"semblable{plural} (visibles : {len(found.visible)}, ailleurs : {found.elsewhere})",
    )
    return found
