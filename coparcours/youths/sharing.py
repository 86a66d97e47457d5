"""Who may record or withdraw a share of a youth's data (the youth's consent, or a share on
the legal basis of CASF L.226-2-2 and L.121-6-2).

A share of organisation O's data is recorded by a person of O whose role may *write* the
categories it opens (``ROLE_RIGHTS``): professional secrecy binds O (Code pénal 226-13), so
no other organisation lifts it for O. It is withdrawn by O, by the recipient (which thereby
loses access) or by the youth (RGPD art. 7-3), never by a third party.

Whose data a share opens: only the recording organisation's (``Share.opened_by``, from
``Consent.author_organisation``), besides the recipient's own: a share by the owner opens
the owner's part of the record, never a co-accompanying partner's; a partner's share opens
the partner's part only (docs/access.md, "Two families of questions").

Pure rules: the services decide with them, audit, and raise
:class:`~coparcours.youths.refusals.Refused`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coparcours.core.access import AccessFacts, Action, Category, Grant, decide
from coparcours.youths.refusals import Refused


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str

    def error(self) -> Refused:
        return Refused(self.code, self.message)


NOT_WRITABLE = "consent_not_writable"
NOT_A_PARTY = "consent_withdrawal_not_a_party"

WITHDRAWAL_REFUSAL = Refusal(
    NOT_A_PARTY,
    "Seules l'organisation qui a enregistré ce partage, l'organisation destinataire et "
    "l'organisation référente du jeune peuvent le retirer ; le jeune peut aussi le retirer "
    "lui-même.",
)


def recording_refusal(
    memberships: Iterable[tuple[int, str]],
    facts: AccessFacts,
    *,
    acting_organisation_id: int,
    recipient_organisation_id: int,
    categories: Iterable[str],
) -> Refusal | None:
    """Why the user, acting for an organisation, may not record this share; ``None`` if
    they may. A share to the acting organisation itself is left to the validation (it
    needs none)."""
    mine = [(org, role) for org, role in memberships if org == acting_organisation_id]
    wanted = [Category.IDENTITY, *(c for c in Category.values if c in set(categories))]
    unwritable = [
        category
        for category in dict.fromkeys(wanted)
        if decide(mine, facts, category, Action.WRITE, acting_organisation_id) is None
    ]
    if Category.IDENTITY in unwritable or (
        unwritable and recipient_organisation_id != acting_organisation_id
    ):
        labels = ", ".join(str(Category(c).label).lower() for c in unwritable)
        return Refusal(
            NOT_WRITABLE,
            "Un partage s'enregistre par une personne de l'organisation dont il ouvre les "
            "informations, autorisée à les modifier : votre rôle ne vous permet pas de "
            f"modifier ces informations ({labels}).",
        )
    return None


def withdrawal_grant(
    memberships: Iterable[tuple[int, str]],
    facts: AccessFacts,
    *,
    author_organisation_id: int,
    recipient_organisation_id: int,
    owner_organisation_id: int,
) -> Grant | None:
    """The membership through which the user may withdraw the share, or ``None``: a role
    that may write the record, in the recording organisation, the recipient or the owner
    (whose data every share opens, see above)."""
    parties = {author_organisation_id, recipient_organisation_id, owner_organisation_id}
    theirs = [(org, role) for org, role in memberships if org in parties]
    return decide(theirs, facts, Category.IDENTITY, Action.WRITE)
