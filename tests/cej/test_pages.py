"""The CEJ-JR pages: a pathway from outreach to contract through the web forms, and bounded
queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coparcours.cej.models import Contact, Pathway
from coparcours.cej.rules import Stage
from coparcours.core.access import Category
from coparcours.youths.factories import ConsentFactory

from .conftest import TODAY

SEVEN_MONTHS_AGO = TODAY - datetime.timedelta(days=213)


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("contacts.csv", text.encode(), content_type="text/csv")


def test_referent_journey_through_the_pages(world, client_for):
    client = client_for(world.referent)
    assert "Parcours CEJ-JR" in client.get("/").content.decode()
    response = client.post(
        "/cej/reperage/",
        {
            "partnership": world.partnership.pk,
            "last_name": "Lefort",
            "first_names": "Yanis",
            "birth_date": "2005-04-02",
            "identified_on": TODAY.isoformat(),
            "spotted_where": "Maraude, gare Lille-Flandres",
            "spotted_by": "Prévention spécialisée",
            "spotted_how": "street",
            "registration": "registered",
        },
    )
    assert response.status_code == 302, response.content.decode()
    pathway = Pathway.objects.get()
    url = f"/cej/parcours/{pathway.pk}/"
    bad = client.post(
        url + "contacts/importer/",
        {"file": _csv("date;canal;reponse;intention\n99/99/2025;sms;non;non\n")},
    )
    assert "Ligne 2, colonne « date »" in bad.content.decode()
    assert not Contact.objects.exists()
    sms = TODAY - datetime.timedelta(weeks=3)
    good = client.post(
        url + "contacts/importer/",
        {
            "file": _csv(
                "date;canal;reponse;intention\n"
                f"{sms:%d/%m/%Y};sms;non;non\n{SEVEN_MONTHS_AGO:%d/%m/%Y};entretien;oui;oui\n"
            )
        },
    )
    assert good.status_code == 302
    html = client.get(url).content.decode()
    assert "Éligible</strong>" in html
    assert "1 contact non substantiel" in html
    assert f"<dt>Dernier contact substantiel</dt><dd>{SEVEN_MONTHS_AGO:%d/%m/%Y}</dd>" in html
    response = client.post(
        "/cej/comites/nouveau/",
        {"partnership": world.partnership.pk, "date": TODAY.isoformat(), "participants": "JD"},
    )
    assert response.status_code == 302
    meeting_url = response["Location"]
    assert "Nouvellement repéré" in client.get(meeting_url).content.decode()
    client.post(
        meeting_url, {"pathway": pathway.pk, "kind": "remobilisation", "decided_by": "JD, KH"}
    )
    pathway.refresh_from_db()
    assert pathway.stage == Stage.REMOBILISATION
    client.post(url + "dossier/preparer/")
    item = pathway.dossier_items.first()
    client.post(url + f"dossier/{item.pk}/recueillir/", {"on": TODAY.isoformat()})
    refused = client.post(url + "dossier/transmettre/", follow=True).content.decode()
    assert "Transmission refusée" in refused
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=[Category.ADMIN_DOCUMENTS],
        start_date=TODAY,
        author_organisation=world.porteur,
    )
    sent = client.post(url + "dossier/transmettre/", follow=True).content.decode()
    assert "1 pièce(s) transmise(s)" in sent
    for pdf in ("dossier/dossier.pdf", "attestation.pdf"):
        response = client.get(url + pdf)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    minutes = client.get(meeting_url + "proces-verbal.pdf")
    assert minutes["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("count", [2, 8])
def test_list_pages_use_a_bounded_number_of_queries(
    world, client_for, count, django_assert_max_num_queries
):
    for n in range(count):
        world.outreach(
            youth_fields={"last_name": f"Nom{n}", "first_names": f"Prénom{n}"},
        )
    client = client_for(world.counsellor)
    meeting_client = client_for(world.referent)
    meeting = meeting_client.post(
        "/cej/comites/nouveau/",
        {"partnership": world.partnership.pk, "date": TODAY.isoformat()},
    )["Location"]
    with django_assert_max_num_queries(16):
        assert client.get("/cej/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(meeting).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/api/v1/cej/pathways").status_code == 200


def test_the_outreach_page_s_duplicate_check_is_audited_with_counts_not_names(world, client_for):
    from coparcours.core.models import AuditEvent, AuditLog

    client = client_for(world.referent)
    form = {
        "partnership": world.partnership.pk,
        "last_name": "Lefort",
        "first_names": "Yanis",
        "birth_date": "2005-04-02",
        "identified_on": TODAY.isoformat(),
        "spotted_where": "Maraude",
        "spotted_by": "Prévention spécialisée",
        "spotted_how": "street",
        "registration": "registered",
    }
    assert client.post("/cej/reperage/", form).status_code == 302
    again = client.post("/cej/reperage/", form)
    assert "peut-être déjà connu" in again.content.decode()
    searches = AuditLog.objects.filter(
        event=AuditEvent.LIST, reason__startswith="Recherche de doublons"
    )
    assert searches.count() == 2
    assert "1 dossier semblable" in searches.latest("pk").reason
    assert not searches.filter(reason__icontains="Lefort").exists()
