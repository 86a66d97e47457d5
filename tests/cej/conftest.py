from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from coparcours.accounts.factories import UserFactory
from coparcours.cej.factories import PartnershipSettingsFactory
from coparcours.cej.models import Pathway
from coparcours.cej.services.outreach import record_outreach
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, OrganisationKind, Role

TODAY = datetime.date.today()


@dataclass
class CejWorld:
    porteur: object
    mission_locale: object
    unrelated: object
    funder: object
    partnership: object
    referent: object
    counsellor: object

    def outreach(self, **overrides) -> Pathway:
        fields = {
            "youth_fields": {
                "last_name": "Durand",
                "first_names": "Léa",
                "birth_date": datetime.date(2004, 2, 3),
            },
            "identified_on": TODAY,
            "spotted_where": "Accueil de jour, rue Solférino",
            "spotted_by": "Équipe de prévention spécialisée",
            "spotted_how": "street",
            "registration": "registered",
        }
        fields.update(overrides)
        return record_outreach(self.referent, self.porteur, self.partnership, **fields)


def member(organisation, role):
    user = UserFactory()
    MembershipFactory(
        user=user, organisation=organisation, role=role, start_date=datetime.date(2020, 1, 1)
    )
    return user


@pytest.fixture
def world(db) -> CejWorld:
    porteur = OrganisationFactory(name="Porteur CEJ-JR test")
    mission_locale = OrganisationFactory(
        name="Mission locale test", kind=OrganisationKind.MISSION_LOCALE
    )
    unrelated = OrganisationFactory(name="Association sans lien")
    funder = OrganisationFactory(name="DREETS test", kind=OrganisationKind.DREETS)
    partnership = ConsortiumFactory(name="CEJ-JR test", kind=ConsortiumKind.CEJ_JR, funder=funder)
    ConsortiumMemberFactory(consortium=partnership, organisation=porteur, is_lead=True)
    ConsortiumMemberFactory(consortium=partnership, organisation=mission_locale)
    PartnershipSettingsFactory(partnership=partnership, departement_code="59")
    return CejWorld(
        porteur,
        mission_locale,
        unrelated,
        funder,
        partnership,
        member(porteur, Role.REFERENT),
        member(mission_locale, Role.COUNSELLOR),
    )


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def pathway(world):
    """A youth under contract since last week's Monday, shared with the mission locale (the
    co-accompaniment tests'; a module may define its own)."""
    from .co_accompaniment import contract_since_last_week  # it imports this module

    return contract_since_last_week(world)


def born(pathway) -> dict[str, str]:
    """The form data a youth sends to open their space: their date of birth."""
    return {"birth_date": f"{pathway.youth.birth_date:%d/%m/%Y}"}


def plain(page: str) -> str:
    """A page of the youth's space as read: entities decoded, without the ``<bdi>`` that
    keeps names and numbers in their own direction in Arabic."""
    return re.sub(r"</?bdi[^>]*>", "", html.unescape(page))


def give_link(user, organisation, pathway, *, replace: bool = False) -> str:
    """The youth's link given from the pathway, as its page gives it."""
    from coparcours.cej.youth_section import require_link_giver
    from coparcours.space.links import create_youth_link

    grant = require_link_giver(user, organisation, pathway)
    return create_youth_link(user, grant, pathway.youth, replace=replace)
