"""Web pages and API of the housing: the whole flow, French refusals with nothing saved,
and a bounded number of SQL queries on the coordination's pages."""

from __future__ import annotations

import base64
import datetime
import re

import matplotlib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.housing.factories import CapacityChangeFactory, SiteFactory, StayFactory
from coparcours.housing.models import PlacementRequest, Proposal, Stay
from coparcours.housing.models.requests import ProposalStatus, RequestStatus
from coparcours.organisations.models import Role
from coparcours.reporting import grids
from coparcours.youths.factories import AssignmentFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_the_whole_flow_through_the_web_pages(gme):
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    response = funder.post(
        "/hebergement/demandes/nouvelle/",
        {
            "reference": "ASE-WEB-1",
            "last_name": "Konaté",
            "first_names": "Issa",
            "age": "15",
            "sex": "M",
            "urgency": "immediate",
            "requested_date": TODAY().isoformat(),
        },
    )
    placement = PlacementRequest.objects.get()
    assert response.status_code == 302 and placement.status == RequestStatus.RECEIVED
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    queue = coordination.get("/hebergement/").content.decode()
    assert "ASE-WEB-1" in queue
    assert '<span class="badge late" data-urgency="immediate">' in queue  # a shelter at once
    detail = coordination.get(f"/hebergement/demandes/{placement.pk}/").content.decode()
    assert gme.site_b.name in detail and gme.site_c.name not in detail  # girls only
    response = coordination.post(
        f"/hebergement/demandes/{placement.pk}/proposer/",
        {"site": gme.site_b.pk, "entry_date": TODAY().isoformat()},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    member = gme.client(gme.member_b, Role.REFERENT)
    assert "ASE-WEB-1" in member.get("/hebergement/propositions/").content.decode()
    assert member.post(f"/hebergement/propositions/{proposal.pk}/accepter/").status_code == 302
    response = member.post(
        f"/hebergement/propositions/{proposal.pk}/admission/", {"entry_date": TODAY().isoformat()}
    )
    stay = Stay.objects.get()
    assert response.status_code == 302 and response.url == f"/hebergement/sejours/{stay.pk}/"
    status = funder.get("/hebergement/demandes/").content.decode()
    assert 'data-status="admitted"' in status


def test_bad_input_gets_a_french_message_and_nothing_is_saved(gme):
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    response = funder.post(
        "/hebergement/demandes/nouvelle/",
        {
            "reference": "ASE-PASSE",
            "age": "15",
            "sex": "M",
            "urgency": "normal",
            "requested_date": (TODAY() - DAY).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être dans le passé" in response.content.decode()
    assert not PlacementRequest.objects.exists()
    stay = gme.place(entry=TODAY() - 5 * DAY)
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    response = coordination.post(
        f"/hebergement/sejours/{stay.pk}/sortie/",
        {"on": (TODAY() - 6 * DAY).isoformat(), "reason": "family"},
    )
    assert "ne peut pas précéder" in response.content.decode()
    response = coordination.post(
        f"/hebergement/sejours/{stay.pk}/reorienter/",
        {"to_site": gme.site_c.pk, "on": TODAY().isoformat(), "reason": "schooling"},
    )
    assert "que des filles" in response.content.decode()
    stay.refresh_from_db()
    assert stay.end_date is None and Stay.objects.count() == 1


def test_the_whole_flow_through_the_api(gme):
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    past = funder.post(
        "/api/v1/housing/requests",
        {
            "reference": "API-0",
            "age": 15,
            "sex": "F",
            "urgency": "high",
            "requested_date": (TODAY() - DAY).isoformat(),
        },
        content_type="application/json",
    )
    assert past.status_code == 422 and "passé" in past.json()["detail"][0]["msg"]
    response = funder.post(
        "/api/v1/housing/requests",
        {
            "reference": "API-1",
            "age": 16,
            "sex": "F",
            "urgency": "high",
            "requested_date": TODAY().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    found = coordination.get(
        f"/api/v1/housing/availability?start={TODAY().isoformat()}&age=16&sex=F"
    ).json()
    assert {f["site_id"] for f in found} == {gme.site_b.pk, gme.site_c.pk}
    assert (
        funder.get(
            f"/api/v1/housing/availability?start={TODAY().isoformat()}&age=16&sex=F"
        ).status_code
        == 403
    )
    proposal = coordination.post(
        f"/api/v1/housing/requests/{request_id}/proposals",
        {"site_id": gme.site_c.pk, "entry_date": TODAY().isoformat()},
        content_type="application/json",
    ).json()
    member = gme.client(gme.member_c, Role.DIRECTOR)
    answer = member.post(
        f"/api/v1/housing/proposals/{proposal['id']}/answer",
        {"accept": True},
        content_type="application/json",
    )
    assert answer.json()["status"] == ProposalStatus.ACCEPTED
    admitted = coordination.post(
        f"/api/v1/housing/proposals/{proposal['id']}/admit", {}, content_type="application/json"
    )
    assert admitted.status_code == 201, admitted.content
    stay = Stay.objects.get()
    stay.start_date = TODAY() - 20 * DAY  # arrived earlier
    stay.save()
    moved = coordination.post(
        f"/api/v1/housing/stays/{stay.pk}/transfer",
        {"to_site_id": gme.site_b.pk, "on": TODAY().isoformat(), "reason": "complex"},
        content_type="application/json",
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["host_organisation_id"] == gme.member_b.pk
    assert funder.get(f"/api/v1/housing/requests/{request_id}").json()["status"] == "admitted"


def test_the_funder_sees_occupancy_with_small_counts_masked(gme):
    """The coordination reads each day; the funder its publication on the fixed grid
    (reporting.publication): the youths hosted on average over each ended month, by member
    or kind, never by site nor for the whole GME."""
    month = next(g for g in grids.published(TODAY()) if g.kind == grids.MONTH)
    gme.place(entry=month.start + 2 * DAY)
    day = f"start={month.start + 5 * DAY}&end={month.start + 6 * DAY}"
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    assert coordination.get(f"/api/v1/housing/occupancy?{day}").json()[0]["occupied"] == 1
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    refused = funder.get(f"/api/v1/housing/occupancy?{day}&by=kind")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "period_off_grid"
    assert "hors de la grille" in refused.json()["detail"][0]["msg"]
    whole = f"start={month.start}&end={month.end}"
    rows = funder.get(f"/api/v1/housing/occupancy?{whole}&by=kind").json()
    assert [(row["day"], row["occupied"]) for row in rows] == [(month.start.isoformat(), None)]
    by_site = funder.get(f"/api/v1/housing/occupancy?{whole}&by=site")
    assert by_site.status_code == 422
    assert by_site.json()["detail"][0]["type"] == "by_site_refused"
    assert "jamais par site" in by_site.json()["detail"][0]["msg"]
    whole_gme = funder.get(f"/api/v1/housing/occupancy?{whole}")  # by=consortium
    assert whole_gme.status_code == 422
    assert whole_gme.json()["detail"][0]["type"] == "by_consortium_refused"
    # zero reveals no one: shown, as on the steering dashboards
    earlier = next(g for g in grids.published(month.start) if g.kind == grids.MONTH)
    empty = funder.get(
        f"/api/v1/housing/occupancy?start={earlier.start}&end={earlier.end}&by=organisation"
    )
    assert {(row["occupied"], row["rate"]) for row in empty.json()} == {(0, 0)}
    member = gme.client(gme.member_b, Role.DIRECTOR).get(f"/api/v1/housing/occupancy?{whole}")
    assert member.status_code == 403
    too_long = coordination.get("/api/v1/housing/occupancy?start=2020-01-01&end=2022-01-01")
    assert too_long.status_code == 422


def _grow(gme, n: int) -> None:
    """n more sites, each with a hosted youth, a waiting request and history."""
    for i in range(n):
        site = SiteFactory(consortium=gme.consortium, organisation=gme.member_b)
        CapacityChangeFactory(site=site, places=3, planned_on=datetime.date(2020, 1, 1))
        stay = StayFactory(
            site=site,
            start_date=TODAY() - 100 * DAY,
            youth__birth_date=TODAY() - datetime.timedelta(days=18 * 365 - 30 - i),
        )
        AssignmentFactory(
            youth=stay.youth,
            organisation=gme.lead,
            relation="gme_coordination",
            start_date=stay.start_date,
        )
        StayFactory(site=site, start_date=TODAY() - 300 * DAY, end_date=TODAY() - 200 * DAY)
        gme.file(reference=f"ASE-{n}-{i}")


PAGES = [
    "/hebergement/",
    "/hebergement/occupation/",
    "/hebergement/sites/",
    "/hebergement/sejours/",
    "/hebergement/demandes/",
]


@pytest.mark.parametrize("url", PAGES)
def test_coordination_pages_keep_a_bounded_number_of_queries(
    gme, url, django_assert_max_num_queries
):
    client = gme.client(gme.lead, Role.COORDINATOR)
    _grow(gme, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(gme, 12)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(small) <= 25, [q["sql"] for q in small.captured_queries]


def test_charts_are_drawn_on_the_server_as_svg(gme):
    gme.place(entry=TODAY() - 3 * DAY)
    html = gme.client(gme.lead, Role.COORDINATOR).get("/hebergement/occupation/").content.decode()
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 3
    assert all(base64.b64decode(image).lstrip().startswith(b"<?xml") for image in images)
    assert b"Places ouvertes" in base64.b64decode(images[0])
    assert matplotlib.get_backend().lower() == "agg"
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main  # no chart library in the browser


def test_the_stays_list_comes_a_page_at_a_time(gme, monkeypatch):
    from coparcours.housing.views import stays as stay_views

    monkeypatch.setattr(stay_views, "STAYS_PAGE", 2)
    client = gme.client(gme.lead, Role.COORDINATOR)
    _grow(gme, 3)

    first = client.get("/hebergement/sejours/")
    second = client.get("/hebergement/sejours/?page=2")

    assert first.context["page"].paginator.count == 3
    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1
    assert "3 séjours visibles par votre organisation (page 1 sur 2)" in first.content.decode()
    assert "page=2" in first.content.decode()
    shown = {stay.pk for stay, _ in first.context["rows"] + second.context["rows"]}
    assert len(shown) == 3
