from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.cej.factories import PartnershipSettingsFactory, PathwayFactory
from coparcours.cej.models import Pathway, StageChange
from coparcours.cej.rules import Stage
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, OrganisationKind
from coparcours.youths.factories import YouthFactory
from tests.cej.conftest import member
from tests.housing.conftest import Gme, build_gme


@pytest.fixture
def gme(db) -> Gme:
    return build_gme(capacity_b=10, capacity_c=10)


@pytest.fixture
def partnership(db):
    porteur = OrganisationFactory(name="Porteur test")
    mission_locale = OrganisationFactory(
        name="Mission locale test", kind=OrganisationKind.MISSION_LOCALE
    )
    funder = OrganisationFactory(name="DREETS test", kind=OrganisationKind.DREETS)
    partnership = ConsortiumFactory(name="CEJ-JR test", kind=ConsortiumKind.CEJ_JR, funder=funder)
    ConsortiumMemberFactory(consortium=partnership, organisation=porteur, is_lead=True)
    ConsortiumMemberFactory(consortium=partnership, organisation=mission_locale)
    PartnershipSettingsFactory(partnership=partnership, minimum_weekly_hours=15)
    return partnership


def pathway(partnership, identified: datetime.date, stages: list[str] = (), **fields) -> Pathway:
    """A pathway identified on ``identified`` that went through ``stages`` (a day each)."""
    porteur = partnership.members.get(is_lead=True).organisation
    mission_locale = partnership.members.get(is_lead=False).organisation
    youth = YouthFactory(owner_organisation=porteur)
    found = PathwayFactory(
        youth=youth,
        partnership=partnership,
        identified_on=identified,
        author_organisation=porteur,
        mission_locale=mission_locale,
        **fields,
    )
    previous = Stage.IDENTIFIED
    for n, stage in enumerate(stages, start=1):
        StageChange.objects.create(
            youth=youth,
            author_organisation=porteur,
            pathway=found,
            from_stage=previous,
            to_stage=stage,
            on=identified + datetime.timedelta(days=n),
        )
        previous = stage
    return found


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


__all__ = ["client", "member", "pathway"]
