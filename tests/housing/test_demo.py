"""The Nord demo loads the GME's housing history since 2018, and loading it again changes
nothing."""

from __future__ import annotations

import datetime

import pytest

from coparcours.demo.nord import load_nord_demo
from coparcours.housing.models import (
    CapacityChange,
    PlacementRequest,
    SeriousIncident,
    Site,
    SiteLoan,
    Stay,
)
from coparcours.housing.models.incidents import IncidentKind, IncidentStatus
from coparcours.housing.selectors import sites as site_selectors

pytestmark = pytest.mark.django_db


def test_demo_history_of_places(demo):
    history = site_selectors.capacity_history(demo.gme)
    opened_by = {point.day: point.opened for point in history}
    assert history[-1].opened == 1100 and history[-1].planned == 1130
    first_wave = max(o for day, o in opened_by.items() if day <= datetime.date(2019, 5, 31))
    assert first_wave == 400
    second = max(o for day, o in opened_by.items() if day <= datetime.date(2019, 9, 30))
    assert second == 500
    in_2020 = max(o for day, o in opened_by.items() if day <= datetime.date(2020, 10, 31))
    assert in_2020 == 520
    loan = SiteLoan.objects.get()
    assert loan.borrower == demo.alefpa and loan.site.organisation == demo.asrl
    assert loan.site.operator_on(datetime.date(2020, 4, 1)) == demo.alefpa


def test_loading_the_demo_again_changes_nothing(demo):
    models = (Site, CapacityChange, Stay, PlacementRequest, SiteLoan, SeriousIncident)
    before = [model.objects.count() for model in models]
    load_nord_demo()
    assert [model.objects.count() for model in models] == before


def test_the_demo_holds_one_runaway_and_one_serious_incident(demo):
    runaway = SeriousIncident.objects.get(kind=IncidentKind.RUNAWAY)
    assert runaway.organisation == demo.temps_de_vie
    assert runaway.status == IncidentStatus.ACKNOWLEDGED and runaway.returned_on is None
    assert [y.youth.last_name for y in runaway.youths.all()] == ["Camara"]
    assert runaway.details.get().category == "health"
    incident = SeriousIncident.objects.exclude(kind=IncidentKind.RUNAWAY).get()
    assert incident.organisation == demo.asrl and incident.status == IncidentStatus.DECLARED
    assert not incident.youths.exists()
