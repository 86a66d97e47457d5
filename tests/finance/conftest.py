from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.rates import set_daily_rate
from coparcours.housing.factories import PlacementRequestFactory, SiteFactory, StayFactory
from coparcours.housing.models import Site, Stay
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Role
from coparcours.youths.factories import YouthFactory
from tests.housing.conftest import Gme, build_gme

JANUARY = (2025, 1)


@dataclass
class Money:
    """The test GME (lead A, members B and C, funder F) with sites of two kinds, rates and
    January 2025 stays: B MECS 31 days × 180, C MECS 10 days × 210, B diffuse 1 day × 95.50."""

    gme: Gme
    site_b_diffuse: Site
    site_a: Site
    stays: list[Stay]

    @property
    def consortium(self):
        return self.gme.consortium

    @property
    def manager(self):
        return self.gme.user(self.gme.lead, Role.FINANCE_OFFICER)

    def client(self, organisation, role) -> Client:
        return self.gme.client(organisation, role)

    def bill_january(self):
        return bill_month(self.manager, self.consortium, *JANUARY).invoice


JANUARY_TOTAL = Decimal("7775.50")


def build_money(suffix: str = "") -> Money:
    gme = build_gme(suffix=suffix)
    site_b_diffuse = SiteFactory(
        consortium=gme.consortium,
        organisation=gme.member_b,
        kind=SiteKind.DIFFUSE,
        name="Appartements B",
    )
    site_a = SiteFactory(consortium=gme.consortium, organisation=gme.lead, name="Maison A")
    manager = gme.user(gme.lead, Role.FINANCE_OFFICER)
    since = datetime.date(2024, 1, 1)
    for organisation, kind, amount in [
        (gme.member_b, SiteKind.MECS, "180.00"),
        (gme.member_b, SiteKind.DIFFUSE, "95.50"),
        (gme.member_c, SiteKind.MECS, "210.00"),
        (gme.lead, SiteKind.MECS, "200.00"),
    ]:
        set_daily_rate(
            manager, gme.consortium, organisation, kind, since, Decimal(amount), "Arrêté 2024"
        )

    def stay(site, start, end=None, last_name="Jeune"):
        youth = YouthFactory(owner_organisation=site.organisation, last_name=last_name)
        request = PlacementRequestFactory(consortium=gme.consortium, youth=youth)
        return StayFactory(youth=youth, site=site, request=request, start_date=start, end_date=end)

    stays = [
        stay(gme.site_b, datetime.date(2024, 12, 20), last_name="Benaissa"),
        stay(
            gme.site_c,
            datetime.date(2025, 1, 10),
            datetime.date(2025, 1, 20),
            last_name="Coulibaly",
        ),
        stay(site_b_diffuse, datetime.date(2025, 1, 31), last_name="Dembele"),
        stay(site_a, datetime.date(2024, 6, 1), datetime.date(2025, 1, 1), last_name="Amrani"),
    ]
    return Money(gme, site_b_diffuse, site_a, stays)


@pytest.fixture
def money(db) -> Money:
    return build_money()
