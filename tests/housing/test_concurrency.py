"""No double booking: two coordinators admitting two youths to the last free place at the
same moment, on PostgreSQL with real concurrent transactions (threads, row locks)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from coparcours.accounts.factories import UserFactory
from coparcours.housing.models import Stay
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Role
from coparcours.youths.models import Youth

from .conftest import TODAY, build_gme

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite has no row locks (it serialises whole write "
        "transactions) and its flush after a transactional test is refused by the audit "
        "log's append-only triggers",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_admissions_to_the_last_place_exactly_one_succeeds():
    gme = build_gme(capacity_b=1)
    staff = gme.user(gme.member_b, Role.REFERENT)
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=gme.lead, role=Role.COORDINATOR)
    coordinators = [gme.coordinator, colleague]
    proposals = []
    for reference in ("ASE-A", "ASE-B"):
        request = gme.file(reference=reference, last_name=reference)
        proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
        request_services.answer_proposal(staff, proposal, accept=True)
        proposals.append(proposal)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def admit(user, proposal) -> None:
        try:
            barrier.wait(timeout=10)
            stay_services.admit(user, proposal)
            outcomes.append("admitted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=admit, args=(user, proposal))
        for user, proposal in zip(coordinators, proposals, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("admitted") == 1, outcomes
    refusal = next(o for o in outcomes if o != "admitted")
    assert "Plus de place libre" in refusal and "Rien n'a été enregistré" in refusal
    assert Stay.objects.filter(site=gme.site_b).count() == 1
    assert Youth.objects.count() == 1  # the refused admission left no record behind
