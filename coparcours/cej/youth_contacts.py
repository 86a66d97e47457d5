"""Who the youth may call, shown in their own space: the referent of their pathway at the
porteur and their counsellor at the mission locale, each with their organisation and the
number they gave for youths (else their organisation's reception). Someone who has left the
organisation is not shown: the youth is sent to its reception (docs/youth-space.md)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from coparcours.cej.models import Pathway
from coparcours.organisations.models import Membership
from coparcours.space.contacts import Contact

REFERENT = gettext_lazy("Référent de votre parcours")
COUNSELLOR = gettext_lazy("Conseiller à la mission locale")


def contacts_of(pathway: Pathway, day: datetime.date) -> list[Contact]:
    """The pathway's referent and counsellor still in their organisation on ``day`` (with
    ``referent``, ``counsellor`` and both organisations selected, one query)."""
    sides = [
        (REFERENT, pathway.author_organisation, pathway.referent),
        (COUNSELLOR, pathway.mission_locale, pathway.counsellor),
    ]
    named = {person.pk for _role, _organisation, person in sides if person is not None}
    present = set(
        Membership.objects.active(day)
        .filter(user_id__in=named, organisation_id__in=[o.pk for _r, o, _p in sides if o])
        .values_list("user_id", "organisation_id")
    )
    return [
        Contact(
            role,
            organisation,
            person if person is not None and (person.pk, organisation.pk) in present else None,
        )
        for role, organisation, person in sides
        if organisation is not None
    ]
