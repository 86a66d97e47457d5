"""The CEJ-JR pathway list: paginated in the database, filters kept across pages, and a
number of queries that does not grow with the number of pathways."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.cej.views.pathways import PAGE_SIZE


def _open(world, count: int, *, first: int = 0) -> list:
    return [
        world.outreach(youth_fields={"last_name": f"Nom{n:03d}", "first_names": "Prénom"})
        for n in range(first, first + count)
    ]


def _names(html: str) -> list[str]:
    return re.findall(r"NOM\d{3}", html)


def test_the_list_is_cut_into_pages_of_the_caseload_size(world, client_for):
    _open(world, PAGE_SIZE + 5)
    client = client_for(world.referent)
    first = client.get("/cej/").content.decode()
    assert f"{PAGE_SIZE + 5} parcours" in first
    assert _names(first) == [f"NOM{n:03d}" for n in range(PAGE_SIZE)]
    assert "Page 1 sur 2" in first
    second = client.get("/cej/?page=2").content.decode()
    assert _names(second) == [f"NOM{n:03d}" for n in range(PAGE_SIZE, PAGE_SIZE + 5)]
    # Past the end, Django's paginator shows the last page rather than an error.
    assert _names(client.get("/cej/?page=99").content.decode()) == _names(second)


def test_filters_are_kept_from_page_to_page(world, client_for):
    pathways = _open(world, PAGE_SIZE + 5)
    Pathway.objects.filter(pk__in=[p.pk for p in pathways[:3]]).update(stage=Stage.REMOBILISATION)
    client = client_for(world.referent)
    # Every name contains "Nom": the text filter keeps the 27 identified ones, over two pages.
    first = client.get("/cej/?q=nom&etape=identified").content.decode()
    assert f"{PAGE_SIZE + 2} parcours" in first and "Page 1 sur 2" in first
    assert "?q=nom&amp;etape=identified&amp;page=2" in first
    second = client.get("/cej/?q=nom&etape=identified&page=2").content.decode()
    assert _names(first) + _names(second) == [f"NOM{n:03d}" for n in range(3, PAGE_SIZE + 5)]
    # A filter that keeps few pathways leaves a single page, without pagination links.
    remobilising = client.get("/cej/?etape=remobilisation").content.decode()
    assert _names(remobilising) == ["NOM000", "NOM001", "NOM002"]
    assert "Page 1 sur" not in remobilising
    assert _names(client.get("/cej/?q=Nom004").content.decode()) == ["NOM004"]
    assert "Aucun parcours" in client.get("/cej/?etape=contract").content.decode()


def test_the_api_list_is_paginated_by_the_database(world, client_for):
    _open(world, 7)
    response = client_for(world.referent).get("/api/v1/cej/pathways?limit=3&offset=6")
    body = response.json()
    assert body["count"] == 7
    assert [row["stage"] for row in body["items"]] == ["identified"]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/cej/", "/cej/?etape=identified&q=nom", "/cej/?page=2"])
def test_the_query_count_does_not_grow_with_the_pathways(
    world, client_for, url, django_assert_max_num_queries
):
    _open(world, 2)
    # Both users: the porteur's referent (owner) and the mission locale's counsellor (partner).
    clients = [client_for(world.referent), client_for(world.counsellor)]
    for client in clients:  # a session's first request also records its activity
        client.get("/")
    few = [_queries(client, url) for client in clients]
    _open(world, 2 * PAGE_SIZE, first=2)
    many = [_queries(client, url) for client in clients]
    assert many == few
    for client in clients:
        with django_assert_max_num_queries(12):
            client.get(url)


def test_the_list_reads_what_its_rows_show_not_the_youths_records(world, client_for):
    """A list of pathways shows names, stages and dates: it does not read the youths'
    contact details, nationality or placement orders (nor builds them for nothing)."""
    _open(world, 3)
    client = client_for(world.referent)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/cej/").content.decode()
    assert len(_names(page)) == 3
    rows = [q["sql"] for q in captured if 'FROM "cej_pathway"' in q["sql"] and "LIMIT" in q["sql"]]
    assert rows, [q["sql"] for q in captured]
    for column in ("phone", "address", "nationality", "placement_order_reference", "guardian"):
        assert f'"youths_youth"."{column}"' not in rows[0]
