from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.housing.factories import CapacityChangeFactory, SiteFactory
from coparcours.housing.models import PlacementRequest, Site, Stay
from coparcours.housing.models.requests import Urgency
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import Consortium, Organisation, OrganisationKind, Role

TODAY = timezone.localdate

#: Each filed request names another youth (the same name would be a likely duplicate).
_REQUEST_NUMBERS = itertools.count(1)


@dataclass
class Gme:
    """A GME: lead A (the coordination works there), members B and C, funder F."""

    consortium: Consortium
    lead: Organisation
    member_b: Organisation
    member_c: Organisation
    funder: Organisation
    outsider: Organisation
    site_b: Site
    site_c: Site
    users: dict = field(default_factory=dict)

    def user(self, organisation: Organisation, role: str):
        key = (organisation.pk, role)
        if key not in self.users:
            user = UserFactory()
            MembershipFactory(
                user=user,
                organisation=organisation,
                role=role,
                start_date=datetime.date(2020, 1, 1),
            )
            self.users[key] = user
        return self.users[key]

    @property
    def coordinator(self):
        return self.user(self.lead, Role.COORDINATOR)

    @property
    def funder_user(self):
        return self.user(self.funder, Role.FUNDER_VIEWER)

    def client(self, organisation: Organisation, role: str) -> Client:
        client = Client()
        client.force_login(self.user(organisation, role))
        return client

    def file(self, **fields) -> PlacementRequest:
        data = {
            "reference": "ASE-1",
            "last_name": f"Sow-{next(_REQUEST_NUMBERS)}",
            "first_names": "Aliou",
            "age": 15,
            "sex": "M",
            "urgency": Urgency.HIGH,
            "requested_date": TODAY(),
        }
        data.update(fields)
        return request_services.file_request(self.funder_user, self.consortium, **data)

    def place(self, site: Site | None = None, entry: datetime.date | None = None, **fields) -> Stay:
        """File, propose, accept and admit: the whole single-entry flow."""
        site = site or self.site_b
        entry = entry or TODAY()
        request = self.file(**fields)
        proposal = request_services.propose(self.coordinator, request, site, max(entry, TODAY()))
        staff = self.user(site.organisation, Role.REFERENT)
        request_services.answer_proposal(staff, proposal, accept=True)
        return stay_services.admit(self.coordinator, proposal, entry)


def build_gme(capacity_b: int = 2, capacity_c: int = 1, suffix: str = "") -> Gme:
    funder = OrganisationFactory(
        name=f"Département test{suffix}", kind=OrganisationKind.DEPARTEMENT
    )
    consortium = ConsortiumFactory(name=f"GME test{suffix}", funder=funder)
    lead = OrganisationFactory(name=f"Association A (mandataire){suffix}")
    member_b = OrganisationFactory(name=f"Association B{suffix}")
    member_c = OrganisationFactory(name=f"Association C{suffix}")
    outsider = OrganisationFactory(name=f"Association hors groupement{suffix}")
    ConsortiumMemberFactory(consortium=consortium, organisation=lead, is_lead=True)
    ConsortiumMemberFactory(consortium=consortium, organisation=member_b)
    ConsortiumMemberFactory(consortium=consortium, organisation=member_c)
    site_b = SiteFactory(consortium=consortium, organisation=member_b, name="Maison B")
    site_c = SiteFactory(
        consortium=consortium,
        organisation=member_c,
        name="Appartements C (filles)",
        min_age=15,
        accepted_sex="F",
    )
    opened = datetime.date(2019, 1, 1)
    CapacityChangeFactory(site=site_b, places=capacity_b, planned_on=opened)
    CapacityChangeFactory(site=site_c, places=capacity_c, planned_on=opened)
    return Gme(consortium, lead, member_b, member_c, funder, outsider, site_b, site_c)


@pytest.fixture
def gme(db) -> Gme:
    return build_gme()
