"""What the coordination reads on its pages: the waiting list by urgency then date, the
saturation alert, entries and exits per month, the calendar heat-map, and the decision
taken at majority from the web form (CASF L.222-5)."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from django.utils import timezone

from coparcours.housing.models import AfterEighteen, HousingSettings
from coparcours.housing.models.requests import Urgency
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.housing.selectors import requests as request_selectors
from coparcours.housing.selectors import stays as stay_selectors
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.models import Role
from coparcours.youths.models import Assignment, Youth
from coparcours.youths.rules import add_years

from .conftest import TODAY, build_gme

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_the_waiting_list_is_ordered_by_urgency_then_requested_date(gme):
    filed = [
        gme.file(reference="NORMAL-TOT", urgency=Urgency.NORMAL, requested_date=TODAY()),
        gme.file(reference="IMM-TARD", urgency=Urgency.IMMEDIATE, requested_date=TODAY() + 5 * DAY),
        gme.file(reference="HAUTE", urgency=Urgency.HIGH, requested_date=TODAY() + DAY),
        gme.file(reference="IMM-TOT", urgency=Urgency.IMMEDIATE, requested_date=TODAY() + 2 * DAY),
    ]
    request_services.put_on_waiting_list(gme.coordinator, filed[0])
    expected = ["IMM-TOT", "IMM-TARD", "HAUTE", "NORMAL-TOT"]
    assert [r.reference for r in request_selectors.waiting_list(gme.consortium)] == expected
    page = gme.client(gme.lead, Role.COORDINATOR).get("/hebergement/").content.decode()
    shown = re.findall(r">(IMM-TOT|IMM-TARD|HAUTE|NORMAL-TOT)</a>", page)
    assert shown == expected


def test_the_saturation_alert_follows_the_dated_threshold(gme):
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    gme.place(entry=TODAY() - 3 * DAY)
    gme.place(entry=TODAY() - 2 * DAY)  # site B full: 2 of 3 places of the GME
    page = coordination.get("/hebergement/").content.decode()
    assert "Alerte de saturation" not in page  # 66.7 % < 95 %
    assert page.count('class="badge late">saturation') == 1  # member B is at 100 %
    HousingSettings.objects.create(
        valid_from=TODAY() - DAY, saturation_threshold_percent=60, source="test"
    )
    page = coordination.get("/hebergement/").content.decode()
    assert "Alerte de saturation : le groupement est occupé à 66,7 % (seuil 60 %)" in page
    occupancy = coordination.get("/hebergement/occupation/?par=kind").content.decode()
    assert "saturation" in occupancy and "Maison d&#x27;enfants (MECS)" in occupancy


def test_entries_exits_and_transfers_per_month(gme):
    first = TODAY().replace(day=1)
    early = max(first - 40 * DAY, TODAY() - 60 * DAY)
    stay = gme.place(entry=early, birth_date=TODAY() - 16 * 365 * DAY, age=None, sex="F")
    stay_services.transfer(gme.coordinator, stay, gme.site_c, early + 3 * DAY, "schooling")
    other = gme.place(entry=early + DAY)
    stay_services.record_exit(gme.coordinator, other, early + 5 * DAY, "family")
    moves = occupancy_selectors.monthly_movements(gme.consortium, early.replace(day=1))
    by_month = {m.month: (m.entries, m.exits, m.transfers) for m in moves}
    assert sum(e for e, _, _ in by_month.values()) == 2  # a transfer is no new entry
    assert sum(x for _, x, _ in by_month.values()) == 1
    assert sum(t for _, _, t in by_month.values()) == 1
    page = gme.client(gme.lead, Role.COORDINATOR).get("/hebergement/occupation/")
    assert page.context["movements"] == moves
    assert "Entrées et sorties par mois" in page.content.decode()


def test_the_calendar_heat_map_shows_a_year_of_daily_rates(gme):
    gme.place(entry=TODAY() - 30 * DAY)
    html = gme.client(gme.lead, Role.COORDINATOR).get("/hebergement/occupation/").content.decode()
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    heatmap = base64.b64decode(images[2]).decode()
    assert "d'occupation" in heatmap or "d&#x27;occupation" in heatmap
    assert all(day in heatmap for day in ("lun.", "dim."))
    assert "Calendrier d'occupation du groupement" in html


def test_the_decision_at_majority_from_the_web_form(gme):
    birth = TODAY() - datetime.timedelta(days=17 * 365 + 200)
    stay = gme.place(birth_date=birth, age=None)
    majority = stay.youth.majority_date
    host = gme.client(gme.member_b, Role.REFERENT)
    url = f"/hebergement/sejours/{stay.pk}/majorite/"
    data = {
        "decision": "young_adult_contract",
        "start_date": majority.isoformat(),
        "end_date": majority.replace(year=majority.year + 1).isoformat(),
    }
    body = host.post(url, data).content.decode()
    assert "exige l&#x27;accord du Département" in body
    body = host.post(url, {**data, "start_date": (majority - DAY).isoformat()}).content.decode()
    assert "commence à la majorité" in body
    future = {**data, "funder_agreement_on": (TODAY() + DAY).isoformat()}
    assert "pas de date future" in host.post(url, future).content.decode()
    assert not AfterEighteen.objects.exists()
    response = host.post(url, {**data, "funder_agreement_on": TODAY().isoformat()})
    assert response.status_code == 302
    decision = AfterEighteen.objects.get()
    assert decision.funder_agreement_on == TODAY() and decision.author_organisation == gme.member_b
    page = host.get(f"/hebergement/sejours/{stay.pk}/").content.decode()
    assert "Contrat jeune majeur" in page


def test_coming_majorities_list_only_the_youths_the_coordination_accompanies():
    """The coordinator's alert names hosted youths turning 18 soon, but only those its
    organisation still accompanies: never an anonymised record, nor a youth whose
    coordination assignment has ended (the access policy, applied to the few candidates)."""
    gme = build_gme(capacity_b=4)
    turning_18 = add_years(TODAY() + 20 * DAY, -18)
    entry = TODAY() - 10 * DAY
    kept = gme.place(entry=entry, birth_date=turning_18, age=None)
    anonymised = gme.place(entry=entry, birth_date=turning_18, age=None)
    left = gme.place(entry=entry, birth_date=turning_18, age=None)
    gme.place(
        entry=entry, birth_date=add_years(TODAY() + 300 * DAY, -18), age=None
    )  # not within the delay
    Youth.objects.filter(pk=anonymised.youth_id).update(anonymised_at=timezone.now())
    Assignment.objects.filter(youth=left.youth, organisation=gme.lead).update(
        end_date=TODAY() - DAY
    )

    coming = stay_selectors.coming_majorities(gme.coordinator, gme.consortium)

    assert [c.stay.pk for c in coming] == [kept.pk]
    assert coming[0].days_left == 20
    page = gme.client(gme.lead, Role.COORDINATOR).get("/hebergement/")
    assert [c.stay.pk for c in page.context["majorities"]] == [kept.pk]
    assert (
        stay_selectors.coming_majorities(gme.user(gme.outsider, Role.COORDINATOR), gme.consortium)
        == []
    )
