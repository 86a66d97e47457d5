"""The youth asks from their own space that their data be erased (RGPD art. 17): the
request lands with the data-protection officer of the record's organisation, the youth's
own act in the access log, answered within a month; one pending request at a time."""

from __future__ import annotations

from django.test import Client

from coparcours.accounts.factories import UserFactory
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Role
from coparcours.youths.models import ErasureRequest
from coparcours.youths.models.erasure import ErasureRequester, ErasureStatus

from .conftest import born, plain
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)

ERASURE = "/mon-espace/effacement/"


def test_the_youths_request_reaches_the_data_protection_officer(world, pathway, client_for):  # noqa: F811
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    asked = plain(phone.get(ERASURE).content.decode())
    assert "Envoyer ma demande" in asked and "dans un mois au plus" in asked
    sent = phone.post(ERASURE, {"reason": "Je ne veux plus être suivie."}, follow=True)
    page = plain(sent.content.decode())
    assert "Votre demande est envoyée depuis le" in page and "vous répondra avant le" in page
    request = ErasureRequest.objects.get(youth=pathway.youth)
    assert (request.requester, request.status, request.recorded_by) == (
        ErasureRequester.YOUTH,
        ErasureStatus.PENDING,
        None,
    )
    assert request.reason == "Je ne veux plus être suivie."
    assert request.author_organisation == pathway.youth.owner_organisation
    line = AuditLog.objects.filter(event=AuditEvent.WRITE, youth_id=pathway.youth_id).latest("pk")
    assert line.user is None and "depuis son espace" in line.reason
    phone.post(ERASURE, {"reason": "Encore"})  # a second tap: still one request
    assert ErasureRequest.objects.filter(youth=pathway.youth).count() == 1
    dpo = UserFactory()
    MembershipFactory(
        user=dpo, organisation=pathway.youth.owner_organisation, role=Role.DATA_PROTECTION_OFFICER
    )
    home = plain(client_for(dpo).get("/").content.decode())
    assert "Demande d'effacement du" in home and "(le jeune)" in home


def test_a_request_without_a_motive_says_where_it_came_from(world, pathway, client_for):  # noqa: F811
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    phone.post(ERASURE, {"reason": "  "})
    assert "depuis son espace" in ErasureRequest.objects.get(youth=pathway.youth).reason
    assert Client().post(ERASURE, {"reason": "x"}).status_code == 403
