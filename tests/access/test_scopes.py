"""Where a capability holds (core.access.scopes): the consortia and organisations in which
a person's memberships hold it, read from the same table and standings as the routes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from coparcours.core.access import (
    Capability,
    consortia_where,
    may_in_consortium,
    members_who_may,
    organisations_where,
    require_in_consortium,
)
from coparcours.finance.services.balances import may_import_for
from coparcours.finance.services.common import require_manager
from coparcours.housing.services import coordination as coordination_services
from coparcours.organisations.models import ConsortiumMember


def test_the_coordination_holds_its_gme_and_nothing_else(demo):
    coordination = demo.users["coordination"]
    assert list(consortia_where(coordination, Capability.HOUSING_COORDINATION)) == [demo.gme]
    assert not may_in_consortium(coordination, Capability.HOUSING_COORDINATION, demo.cej_jr)
    assert may_in_consortium(coordination, Capability.FINANCE_MANAGE, demo.gme)


def test_a_funder_holds_what_its_funding_gives(demo):
    departement = demo.users["departement"]
    assert may_in_consortium(departement, Capability.HOUSING_WAVES, demo.gme)
    assert may_in_consortium(departement, Capability.HOUSING_REQUEST_FILE, demo.gme)
    assert not may_in_consortium(departement, Capability.HOUSING_COORDINATION, demo.gme)
    assert not may_in_consortium(departement, Capability.FINANCE_MANAGE, demo.gme)
    with pytest.raises(PermissionDenied, match="coordination"):
        coordination_services.require_coordination(departement, demo.gme)


def test_a_member_holds_nothing_of_the_lead(demo):
    """The ASRL referent works in a GME member, not in its lead (Alefpa)."""
    referent = demo.users["referente"]
    assert demo.asrl.pk in organisations_where(referent, Capability.HOUSING_MEMBER)
    assert not may_in_consortium(referent, Capability.HOUSING_COORDINATION, demo.gme)
    with pytest.raises(PermissionDenied, match="mandataire"):
        require_manager(referent, demo.gme)


def test_a_member_that_left_the_gme_loses_what_it_held_there(demo):
    finance_officer = demo.users["finances"]
    assert may_in_consortium(finance_officer, Capability.FINANCE_MANAGE, demo.gme)
    ConsortiumMember.objects.filter(consortium=demo.gme, is_lead=True).update(
        left_on=datetime.date(2020, 1, 1)
    )
    fresh = type(finance_officer).objects.get(pk=finance_officer.pk)  # no cached memberships
    assert not may_in_consortium(fresh, Capability.FINANCE_MANAGE, demo.gme)
    assert not may_import_for(fresh, demo.gme, demo.temps_de_vie)


def test_a_refusal_names_its_reason():
    with pytest.raises(PermissionDenied, match="réservé"):
        require_in_consortium(None, Capability.FINANCE, 0, "réservé")


def test_a_job_notifies_those_who_hold_the_capability_there(demo):
    notified = {m.user for m in members_who_may(demo.alefpa.pk, Capability.HOUSING_COORDINATION)}
    assert notified == {demo.users["coordination"]}
    assert members_who_may(demo.asrl.pk, Capability.HOUSING_COORDINATION) == []
