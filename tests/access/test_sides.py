"""The sides of a pathway (core/access/sides.py): each act held by its side or both, none
by a third organisation nor without an acting organisation."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from coparcours.core.access import SharedAct, may_act, require_act

PORTEUR, MISSION_LOCALE, THIRD = 1, 2, 3
PATHWAY = SimpleNamespace(author_organisation_id=PORTEUR, mission_locale_id=MISSION_LOCALE)
HOLDERS = {
    SharedAct.ADMINISTRATIVE_FILE: {PORTEUR},
    SharedAct.SANCTION: {MISSION_LOCALE},
    SharedAct.PACEA_DECISION: {MISSION_LOCALE},
    SharedAct.SHARED_PLAN: {PORTEUR, MISSION_LOCALE},
    SharedAct.ACTIVITIES: {PORTEUR, MISSION_LOCALE},
    SharedAct.INTERVIEWS: {PORTEUR, MISSION_LOCALE},
    SharedAct.REVIEWS: {PORTEUR, MISSION_LOCALE},
    SharedAct.COUNSELLOR: {PORTEUR, MISSION_LOCALE},
    SharedAct.YOUTH_LINK: {PORTEUR, MISSION_LOCALE},
}


@pytest.mark.parametrize("act", list(SharedAct))
def test_each_act_is_held_by_its_sides_only(act):
    assert set(HOLDERS) == set(SharedAct)
    for organisation in (PORTEUR, MISSION_LOCALE, THIRD, None):
        assert may_act(organisation, PATHWAY, act) == (organisation in HOLDERS[act])


def test_the_other_side_is_refused_in_french():
    with pytest.raises(PermissionDenied, match="mission locale du parcours"):
        require_act(PORTEUR, PATHWAY, SharedAct.SANCTION)
    with pytest.raises(PermissionDenied, match="Seul le porteur"):
        require_act(MISSION_LOCALE, PATHWAY, SharedAct.ADMINISTRATIVE_FILE)
    require_act(MISSION_LOCALE, PATHWAY, SharedAct.SANCTION)


def test_an_organisation_on_both_sides_holds_both():
    """A mission locale that carries the pathway itself (porteur and mission locale)."""
    both = SimpleNamespace(author_organisation_id=PORTEUR, mission_locale_id=PORTEUR)
    assert all(may_act(PORTEUR, both, act) for act in SharedAct)
