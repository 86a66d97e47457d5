"""Missed actions and PACEA requests through the pages and the API, committee
decisions through the API, the PDF pack with the transmitted files, the residence-permit
rule of the file, and the ten-year retention of CEJ-JR data."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from coparcours.cej import rules
from coparcours.cej.models import (
    ActionPlan,
    CommitteeDecision,
    MissedAction,
    PaceaAllowanceRequest,
    Pathway,
)
from coparcours.cej.models.committee import DecisionKind
from coparcours.cej.privacy import apply_cej_retention
from coparcours.cej.rules import Stage, needs_residence_permit
from coparcours.cej.services.dossier import collect_item, prepare_dossier, transmit_dossier
from coparcours.core.access import Category
from coparcours.youths.factories import ConsentFactory
from coparcours.youths.models import Document
from coparcours.youths.privacy.anonymisation import ERASED
from coparcours.youths.privacy.retention import apply_retention

from .conftest import TODAY
from .test_pathway_services import _contract, _meeting, _to_remobilisation

DAY = datetime.timedelta(days=1)
EE, DOCS = Category.EDUCATION_EMPLOYMENT, Category.ADMIN_DOCUMENTS


def _consent(world, pathway, categories=(EE,)):
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=list(categories),
        start_date=TODAY,
        author_organisation=world.porteur,
    )


def test_missed_actions_through_the_pages(world, client_for):
    pathway = _contract(world)
    _consent(world, pathway)
    counsellor, referent = client_for(world.counsellor), client_for(world.referent)
    url = f"/cej/parcours/{pathway.pk}/manquements/ajouter/"
    # the link shows to the mission locale only, whose act it is; the porteur is refused
    assert (
        "Constater un manquement" in counsellor.get(f"/cej/parcours/{pathway.pk}/").content.decode()
    )
    assert (
        "Constater un manquement"
        not in referent.get(f"/cej/parcours/{pathway.pk}/").content.decode()
    )
    assert referent.get(url).status_code == 403
    future = counsellor.post(url, {"occurred_on": (TODAY + DAY).isoformat(), "description": "x"})
    assert "ne peut pas être datée dans le futur" in future.content.decode()
    assert (
        referent.post(url, {"occurred_on": TODAY.isoformat(), "description": "x"}).status_code
        == 403
    )
    assert not MissedAction.objects.exists()
    done = counsellor.post(url, {"occurred_on": TODAY.isoformat(), "description": "Atelier CV"})
    assert done.status_code == 302
    missed = MissedAction.objects.get()
    page = counsellor.get(f"/cej/parcours/{pathway.pk}/").content.decode()
    assert "Atelier CV" in page and "Réduction de l&#x27;allocation du mois (25 %)" in page
    decide = f"/cej/parcours/{pathway.pk}/manquements/{missed.pk}/decision/"
    refused = counsellor.post(decide, {"confirmed": "1", "decided_on": TODAY.isoformat()})
    assert "Le jeune doit avoir pu présenter ses observations" in refused.content.decode()
    missed.refresh_from_db()
    assert missed.decision == "pending"
    counsellor.post(
        decide,
        {"confirmed": "1", "youth_observations": "Oubli.", "decided_on": TODAY.isoformat()},
    )
    missed.refresh_from_db()
    assert (missed.decision, missed.effective_from) == (
        "confirmed",
        rules.first_of_next_month(TODAY),
    )


def test_pacea_requests_through_the_pages(world, client_for):
    pathway = world.outreach(registration="never")
    _consent(world, pathway)
    referent, counsellor = client_for(world.referent), client_for(world.counsellor)
    url = f"/cej/parcours/{pathway.pk}/pacea/ajouter/"
    bad = referent.post(
        url,
        {"requested_on": (TODAY + DAY).isoformat(), "requested_by": "Julie", "amount": "-5"},
    )
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0.01" in bad.content.decode()
    assert not PaceaAllowanceRequest.objects.exists()
    referent.post(
        url, {"requested_on": TODAY.isoformat(), "requested_by": "Julie D.", "amount": "150.00"}
    )
    request = PaceaAllowanceRequest.objects.get()
    decide = f"/cej/parcours/{pathway.pk}/pacea/{request.pk}/decision/"
    assert (
        referent.post(decide, {"granted": "1", "decided_on": TODAY.isoformat()}).status_code == 403
    )
    counsellor.post(decide, {"granted": "1", "decided_on": TODAY.isoformat()})
    request.refresh_from_db()
    assert request.decision == "granted"
    assert "150,00 €" in referent.get(f"/cej/parcours/{pathway.pk}/").content.decode() or (
        "150.00 €" in referent.get(f"/cej/parcours/{pathway.pk}/").content.decode()
    )


def test_no_pacea_request_during_the_contract(world, client_for):
    pathway = _contract(world)
    response = client_for(world.referent).post(
        f"/cej/parcours/{pathway.pk}/pacea/ajouter/",
        {"requested_on": TODAY.isoformat(), "requested_by": "Julie", "amount": "100"},
    )
    assert "Le PACEA ne peut pas courir en même temps que le CEJ" in response.content.decode()
    assert not PaceaAllowanceRequest.objects.exists()


def test_allowances_through_the_api(world, client_for):
    pathway = _contract(world)
    _consent(world, pathway)
    counsellor = client_for(world.counsellor)
    api = f"/api/v1/cej/pathways/{pathway.pk}"
    future = counsellor.post(
        api + "/missed-actions",
        {"occurred_on": (TODAY + DAY).isoformat(), "description": "Atelier"},
        content_type="application/json",
    )
    assert future.status_code == 422 and "futur" in future.content.decode()
    created = counsellor.post(
        api + "/missed-actions",
        {"occurred_on": TODAY.isoformat(), "description": "Atelier"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["proposed_effect"] == "reduction"
    decided = counsellor.post(
        api + f"/missed-actions/{created.json()['id']}/decision",
        {"confirmed": False, "decided_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert decided.json()["decision"] == "waived"
    assert [m["decision"] for m in counsellor.get(api + "/missed-actions").json()] == ["waived"]
    refused = client_for(world.referent).post(
        api + "/pacea-requests",
        {"requested_on": TODAY.isoformat(), "requested_by": "Julie", "amount": "80"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "PACEA" in str(refused.json()["detail"])
    assert counsellor.get(api + "/pacea-requests").json() == []


def test_committee_decisions_through_the_api(world, client_for):
    on_agenda = world.outreach(registration="never")
    meeting_response = client_for(world.referent).post(
        "/api/v1/cej/meetings",
        {"partnership_id": world.partnership.pk, "date": TODAY.isoformat()},
        content_type="application/json",
    )
    assert meeting_response.status_code == 201
    meeting = meeting_response.json()
    assert [row["pathway_id"] for row in meeting["agenda"]] == [on_agenda.pk]
    later = world.outreach(
        youth_fields={"last_name": "Tardif", "first_names": "Noé"}, registration="never"
    )
    client = client_for(world.referent)
    url = f"/api/v1/cej/meetings/{meeting['id']}/decisions"
    refused = client.post(
        url,
        {"pathway_id": later.pk, "kind": "remobilisation", "decided_by": "Comité"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "n'est pas à l'ordre du jour" in refused.json()["detail"][0]["msg"]
    assert not CommitteeDecision.objects.exists()
    done = client.post(
        url,
        {"pathway_id": on_agenda.pk, "kind": "remobilisation", "decided_by": "Comité"},
        content_type="application/json",
    )
    assert done.status_code == 201 and done.json()["kind"] == "remobilisation"
    on_agenda.refresh_from_db()
    assert on_agenda.stage == Stage.REMOBILISATION
    detail = client.get(f"/api/v1/cej/meetings/{meeting['id']}").json()
    assert detail["agenda"][0]["decision"]["kind"] == "remobilisation"
    assert [m["id"] for m in client.get("/api/v1/cej/meetings").json()] == [meeting["id"]]
    # an organisation outside the partnership sees no meeting
    outsider = world.unrelated
    from .conftest import member

    # outside every partnership, the committee (cej_committee) is refused whatever the id
    stranger = client_for(member(outsider, "referent"))
    refused = stranger.get(f"/api/v1/cej/meetings/{meeting['id']}")
    assert refused.status_code == 403 and refused.json()["code"] == "capability_refused"


def _pdf_bytes(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(out, format="PNG")
    return out.getvalue()


def _document(pathway, world, name, content, content_type):
    document = Document(
        youth=pathway.youth,
        category=DOCS,
        title=name,
        original_name=name,
        content_type=content_type,
        size=len(content),
        author_organisation=world.porteur,
    )
    document.file.save(name, ContentFile(content), save=True)
    return document


def test_the_pack_includes_the_transmitted_files(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    items = prepare_dossier(world.referent, world.porteur, pathway)
    pdf = _document(pathway, world, "rib.pdf", _pdf_bytes(3), "application/pdf")
    png = _document(pathway, world, "identite.png", _png(), "image/png")
    collect_item(world.referent, world.porteur, items[0], on=TODAY, document=png)
    collect_item(world.referent, world.porteur, items[2], on=TODAY, document=pdf)
    collect_item(world.referent, world.porteur, items[3], on=TODAY)
    _consent(world, pathway, (DOCS,))
    transmit_dossier(world.referent, world.porteur, pathway)
    response = client_for(world.referent).get(f"/cej/parcours/{pathway.pk}/dossier/dossier.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    cover_and_image = len(reader.pages) - 3
    assert cover_and_image >= 2  # the cover, then the image on its own page
    text = reader.pages[0].extract_text()
    assert "pages jointes à la fin du dossier" in text
    assert "aucun fichier joint" in text
    assert reader.pages[cover_and_image].mediabox.width == 200  # the PDF piece's own pages


@pytest.mark.parametrize(
    ("age", "nationality", "needed"),
    [(17, "guineenne", False), (19, "francaise", False), (19, "guineenne", True), (19, "", True)],
)
def test_residence_permit_only_for_adults_from_outside_the_eu(age, nationality, needed):
    assert needs_residence_permit(age, nationality) is needed


def test_the_file_of_a_french_adult_asks_no_residence_permit(world):
    pathway = world.outreach(registration="never")
    pathway.youth.nationality = "Française"
    pathway.youth.save()
    _to_remobilisation(world, pathway)
    labels = [i.kind.label for i in prepare_dossier(world.referent, world.porteur, pathway)]
    assert "Titre de séjour ou attestation de demande d'asile" not in labels
    assert "Justificatif d'identité" in labels


def _exited(world, name, exit_on):
    pathway = world.outreach(youth_fields={"last_name": name, "first_names": "A"})
    Pathway.objects.filter(pk=pathway.pk).update(stage=Stage.EXIT, exit_on=exit_on)
    return pathway


def test_cej_data_is_erased_ten_years_after_the_end_by_the_daily_job(world):
    old = _exited(world, "Ancien", TODAY - datetime.timedelta(days=3700))
    plan = ActionPlan.objects.create(
        youth=old.youth,
        author_organisation=world.porteur,
        pathway=old,
        diagnosis_on=TODAY,
        diagnosis="Hébergé chez un ami",
    )
    action = plan.actions.create(
        youth=old.youth,
        author_organisation=world.porteur,
        dimension="housing",
        objective="Logement",
        action="Demande SIAO",
        owner_organisation=world.porteur,
        owner=world.referent,
        due_on=TODAY,
    )
    recent = _exited(world, "Recent", TODAY - datetime.timedelta(days=3000))
    apply_retention(TODAY)  # the youths app's job sends the signal
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.spotted_where, old.data_erased_on) == (ERASED, TODAY)
    assert all(h.spotted_where == ERASED for h in old.history.all())
    assert old.checks.get().reasons == []
    plan.refresh_from_db()
    action.refresh_from_db()
    assert (plan.diagnosis, action.action) == ("", ERASED)
    assert all(h.action == ERASED for h in action.history.all())
    assert recent.data_erased_on is None and recent.spotted_where != ERASED
    assert apply_cej_retention(TODAY) == []  # idempotent
    assert _meeting  # the committee helper stays importable for the other tests
    assert DecisionKind.DEFER
