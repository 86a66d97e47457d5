"""The youth sees who opened their record (RGPD art. 15-1-c): each organisation and the
kind of person who read or wrote it, with the dates and how many times, never the
professionals' names nor the youth's own visits; and closing the youth's access closes
every page of their space."""

from __future__ import annotations

from django.test import Client

from coparcours.core.models import AuditEvent, AuditLog

from .conftest import born, plain
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)

RECIPIENTS = "/mon-espace/acces/"


def _opened(world, pathway, client_for, **headers) -> Client:  # noqa: F811
    phone = Client(headers=headers)
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    return phone


def test_the_youth_sees_which_organisations_opened_their_record(world, pathway, client_for):  # noqa: F811
    client_for(world.referent).get(f"/jeunes/{pathway.youth_id}/")
    client_for(world.counsellor).get(f"/cej/parcours/{pathway.pk}/accompagnement/")
    phone = _opened(world, pathway, client_for)
    phone.get("/mon-espace/")  # the youth's own visit: not a recipient
    page = plain(phone.get(RECIPIENTS).content.decode())
    porteur = page.split('<h2 id="acces-')[1:]
    assert any(
        str(world.porteur) in card and "Un référent de parcours." in card for card in porteur
    )
    assert any(
        str(world.mission_locale) in card and "Un conseiller de la mission locale." in card
        for card in porteur
    )
    assert world.referent.get_full_name() not in page
    assert world.counsellor.get_full_name() not in page
    line = AuditLog.objects.filter(youth_id=pathway.youth_id, event=AuditEvent.READ).latest("pk")
    assert line.user is None and "qui a ouvert son dossier" in line.reason


def test_the_recipients_in_english(world, pathway, client_for):  # noqa: F811
    client_for(world.counsellor).get(f"/cej/parcours/{pathway.pk}/accompagnement/")
    phone = _opened(world, pathway, client_for, accept_language="en")
    page = plain(phone.get(RECIPIENTS).content.decode())
    assert "Who opened my file" in page and "An adviser of the mission locale." in page


def test_closing_the_access_closes_every_page_of_the_space(world, pathway, client_for):  # noqa: F811
    phone = _opened(world, pathway, client_for)
    assert phone.get("/mon-espace/partages/").status_code == 200
    client_for(world.referent).post(f"/cej/parcours/{pathway.pk}/lien-jeune/fermer/")
    for page in (RECIPIENTS, "/mon-espace/partages/", "/mon-espace/"):
        assert phone.get(page).status_code == 403, page
