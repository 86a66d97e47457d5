"""Every signed-in page but the home says where it sits: a breadcrumb from the home page
through its section, whose links only lead where the person may go."""

import re

import pytest

from coparcours.organisations.models import Role

pytestmark = pytest.mark.django_db

CRUMBS = re.compile(r'<nav class="breadcrumb" aria-label="Fil d.Ariane">(.*?)</nav>', re.S)


def _crumbs(client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    found = CRUMBS.search(response.content.decode())
    if found is None:
        return []
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', found.group(1))


def test_a_record_page_leads_back_through_its_section(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    youth = world.youth
    assert _crumbs(client, "/") == []  # the home page needs none
    assert _crumbs(client, f"/jeunes/{youth.pk}/") == [("/", "Accueil"), ("/jeunes/", "Jeunes")]
    assert _crumbs(client, f"/jeunes/{youth.pk}/notes/ajouter/") == [
        ("/", "Accueil"),
        ("/jeunes/", "Jeunes"),
        (f"/jeunes/{youth.pk}/", str(youth)),
    ]


def test_a_section_the_role_may_not_open_is_not_offered(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    crumbs = _crumbs(client, f"/jeunes/{world.youth.pk}/protection-des-donnees/")
    assert crumbs == [("/", "Accueil")]  # neither « Jeunes » nor the record: both refused
    for url, _ in crumbs:
        assert client.get(url).status_code == 200
