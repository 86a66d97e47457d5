"""Demo data of the steering dashboards (issue 9): the porteur's director, who reads the
CEJ-JR dashboard. The coordination, the members' directors and quality director and the
two funders of the Nord demo already have their dashboards, fed by the demo's places,
stays, requests and CEJ-JR pathways."""

from __future__ import annotations

import datetime

from coparcours.accounts.factories import UserFactory
from coparcours.accounts.models import User
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Organisation, Role


def load_reporting_demo(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """Add the porteur's director (idempotent, like the rest of the demo)."""
    from coparcours.demo.nord import demo_email

    director = UserFactory(
        email=demo_email("pilotage-cej"), first_name="Claire", last_name="Vandamme"
    )
    if not director.memberships.filter(organisation=org["porteur"], role=Role.DIRECTOR).exists():
        MembershipFactory(
            user=director,
            organisation=org["porteur"],
            role=Role.DIRECTOR,
            start_date=datetime.date(2022, 1, 1),
        )
    users["pilotage-cej"] = director
