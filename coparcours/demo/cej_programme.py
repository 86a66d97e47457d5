"""The Nord demo's CEJ-JR programme: a workshop at the porteur tomorrow afternoon with Sarah
Roussel registered by her referent, and the mission locale's permanence in two days with
her slot booked (docs/domain-rules.md, "CEJ-JR: collective sessions and permanences").

Called from ``nord.py`` after the co-accompaniment; loading twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.organisations.models import Consortium, Organisation


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_cej_programme(
    org: dict[str, Organisation], users: dict[str, User], cej_jr: Consortium
) -> None:
    """One session with a registration and one permanence with a booking, through the
    services."""
    from coparcours.cej.models import CollectiveSession, Pathway
    from coparcours.cej.services.sessions import (
        book_slot,
        create_session,
        open_permanence,
        register_youth,
    )

    if CollectiveSession.objects.filter(partnership=cej_jr).exists():
        return
    pathway = Pathway.objects.filter(partnership=cej_jr, youth__last_name="Roussel").first()
    if pathway is None:
        return
    referent, porteur = users["referente"], org["porteur"]
    counsellor = users["conseiller"]
    session = create_session(
        referent,
        porteur,
        cej_jr,
        kind="workshop",
        title="Atelier « Préparer un entretien d'embauche »",
        organiser=porteur,
        place="Locaux du porteur, salle Jean-Bart",
        starts_at=_at(1, 14),
        ends_at=_at(1, 16),
        capacity=10,
    )
    register_youth(referent, porteur, session, pathway)
    permanence = open_permanence(
        counsellor,
        org["mission_locale"],
        cej_jr,
        counsellor=counsellor,
        place="Locaux du porteur, bureau de la mission locale",
        starts_at=_at(2, 9),
        ends_at=_at(2, 12),
        slot_minutes=30,
    )
    book_slot(referent, porteur, permanence.slots.first(), pathway)
