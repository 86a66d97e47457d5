"""The sides of a pathway (core/access/sides.py) on the pages: an association that
accompanies the youth and may read the pathway, but carries neither side of it, sees the
co-accompaniment without the porteur's and the mission locale's controls, and is refused
before the forms they lead to; the porteur keeps them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from coparcours.cej.services.hours import add_activity
from coparcours.core.access import Category
from coparcours.organisations.factories import ConsortiumMemberFactory
from coparcours.organisations.models import Role
from coparcours.youths.factories import AssignmentFactory, ConsentFactory

from .conftest import TODAY, member
from .test_pathway_services import _to_remobilisation

CONTROLS = {
    "activites/ajouter/": "Planifier ou noter une activité",
    "entretiens/ajouter/": "Ajouter un entretien ou une synthèse",
    "plan/": "Ouvrir le plan d'action",
    "conseiller/": "Conseiller·ère destinataire du suivi du lundi",
}


@pytest.fixture
def third_party(world):
    """The youth's pathway in remobilisation, and a referent of an association of the
    partnership that also accompanies the youth, with the porteur's consent on education
    and employment."""
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    ConsortiumMemberFactory(consortium=world.partnership, organisation=world.unrelated)
    AssignmentFactory(youth=pathway.youth, organisation=world.unrelated)
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.unrelated,
        categories=[Category.EDUCATION_EMPLOYMENT],
        start_date=datetime.date(2024, 1, 1),
        author_organisation=world.porteur,
    )
    return pathway, member(world.unrelated, Role.REFERENT)


def test_the_porteur_sees_the_controls_of_the_co_accompaniment(world, third_party, client_for):
    pathway, _third = third_party
    page = client_for(world.referent).get(f"/cej/parcours/{pathway.pk}/accompagnement/")
    text = page.content.decode()
    for label in CONTROLS.values():
        assert label in text
    assert "Créer un lien pour le jeune" in text


def test_a_third_accompanying_organisation_reads_without_the_controls(
    world, third_party, client_for
):
    pathway, third = third_party
    client = client_for(third)
    page = client.get(f"/cej/parcours/{pathway.pk}/accompagnement/")
    assert page.status_code == 200
    text = page.content.decode()
    for address, label in CONTROLS.items():
        assert label not in text
        refused = client.get(f"/cej/parcours/{pathway.pk}/{address}")
        assert refused.status_code == 403, address
    assert "Créer un lien pour le jeune" not in text
    assert client.post(f"/cej/parcours/{pathway.pk}/lien-jeune/").status_code == 403
    with pytest.raises(PermissionDenied, match="planifient les activités"):
        add_activity(
            third,
            world.unrelated,
            pathway,
            kind="workshop",
            title="Atelier",
            starts_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10))),
            duration_minutes=60,
            responsible=world.unrelated,
        )
