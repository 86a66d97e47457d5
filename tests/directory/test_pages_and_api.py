"""Directory pages and API: search, bad input, import and export, access to youth data."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coparcours.core.access import Category
from coparcours.directory.factories import NORD_SAMPLE, ServiceFactory
from coparcours.directory.models import Referral, Service, Structure, ValueList

CMP = "coparcours-demo-nord--cmp-lille-premier-rdv"


@pytest.fixture
def referent(demo, login_client) -> Client:
    return login_client(demo.users["referente"])


def test_search_by_theme_public_place_and_accent_free_text(demo, referent):
    page = referent.get("/annuaire/", {"thematique": "sante--sante-mentale", "commune": "Lille"})
    names = [s.nom for s in page.context["page"].object_list]
    assert "Premier rendez-vous en santé mentale (16-25 ans)" in names
    assert "Écoute et soutien psychologique sans rendez-vous" not in names  # Roubaix
    text = referent.get("/annuaire/", {"q": "SANTE mentale", "departement": "59"})
    assert CMP in [s.di_id for s in text.context["page"].object_list]
    category = referent.get(
        "/annuaire/", {"thematique": "logement-hebergement", "public": "jeunes"}
    )
    found = {s.di_id for s in category.context["page"].object_list}
    assert "coparcours-demo-nord--siao-demande-hebergement" in found  # tous-publics
    assert "coparcours-demo-nord--ccas-roubaix-alimentaire" not in found


def test_unknown_theme_code_answers_in_french(demo, referent, client):
    page = referent.get("/annuaire/", {"thematique": "sante--inconnue"})
    assert page.status_code == 200
    assert "Thématique inconnue : « sante--inconnue »" in page.content.decode()
    api = referent.get("/api/v1/directory/services", {"thematique": "sante--inconnue"})
    assert api.status_code == 422
    assert "Thématique inconnue" in api.json()["detail"][0]["msg"]


def test_search_query_count_does_not_grow_with_the_directory(
    demo, referent, django_assert_max_num_queries
):
    themes = [(ValueList.THEMATIQUE, "sante--sante-mentale"), (ValueList.PUBLIC, "jeunes")]
    for _ in range(60):
        ServiceFactory(codes=themes)
    with django_assert_max_num_queries(16):
        page = referent.get("/annuaire/", {"thematique": "sante", "q": "service d’essai"})
    assert page.context["page"].paginator.count == 60
    with django_assert_max_num_queries(12):
        api = referent.get("/api/v1/directory/services", {"thematique": "sante", "limit": 50})
    assert api.json()["count"] >= 60 and len(api.json()["items"]) == 50


def test_import_page_reports_errors_and_saves_nothing(demo, login_client):
    coordinator = login_client(demo.users["coordination"])
    before = Service.objects.count()
    document = json.loads(NORD_SAMPLE.read_text())
    document["services"][0]["thematiques"] = ["theme-inexistant"]
    document["services"][1]["nom"] = "Contrat modifié"
    upload = SimpleUploadedFile("annuaire.json", json.dumps(document).encode())
    page = coordinator.post("/annuaire/import/", {"file": upload})
    assert "code inconnu « theme-inexistant »" in page.content.decode()
    assert "Le fichier n'a pas été importé" in page.content.decode()
    assert Service.objects.count() == before
    assert not Service.objects.filter(nom="Contrat modifié").exists()
    ok = SimpleUploadedFile("nord.json", NORD_SAMPLE.read_bytes())
    assert coordinator.post("/annuaire/import/", {"file": ok}).status_code == 302
    assert Service.objects.count() == before


def test_import_is_reserved_and_export_reads_back(demo, referent):
    assert referent.get("/annuaire/import/").status_code == 403
    exported = referent.get("/annuaire/export.json")
    document = json.loads(exported.content)
    assert len(document["structures"]) == Structure.objects.count()
    api = referent.get("/api/v1/directory/structures", {"q": "mission locale"})
    assert api.json()["items"][0]["reseaux_porteurs"] == ["mission-locale"]


def test_referral_without_consent_is_refused_on_the_page(demo, referent):
    youth = demo.porteur.owned_youths.get(last_name="Martin")
    service = Service.objects.get(di_id=CMP)
    url = f"/annuaire/jeunes/{youth.pk}/orienter/{service.pk}/"
    page = referent.post(
        url,
        {
            "categories": [Category.MENTAL_HEALTH],
            "message": "Besoin d'un suivi.",
            "consented_categories": [Category.IDENTITY],
            "consent_given_by": "youth",
            "consent_method": "signed_form",
        },
    )
    assert page.status_code == 200
    assert "Le jeune n&#x27;a pas donné son accord pour transmettre : Santé mentale" in (
        page.content.decode()
    )
    assert not Referral.objects.exists()


def test_expired_or_altered_answer_link_shows_a_french_message(demo, client):
    page = client.get("/annuaire/reponse/1:abc:def/")
    assert page.status_code == 410
    assert "n'est pas valide" in page.content.decode().replace("&#x27;", "'")


def test_directory_is_edited_by_hand_in_the_admin(demo, login_client):
    admin = login_client(demo.users["admin"])
    service = Service.objects.get(di_id=CMP)
    assert admin.get("/admin/directory/service/").status_code == 200
    assert admin.get(f"/admin/directory/service/{service.pk}/change/").status_code == 200
    assert (
        admin.get(f"/admin/directory/structure/{service.structure_id}/change/").status_code == 200
    )
    assert admin.get("/admin/directory/scheme/").status_code == 200
    assert admin.get("/admin/directory/referral/add/").status_code == 403


def test_schemes_page_and_api_show_criteria_and_operators(demo, referent):
    page = referent.get("/annuaire/dispositifs/").content.decode()
    assert "5 mois sans contact substantiel avec la mission locale" in page
    assert "Incompatible avec PACEA" in page
    schemes = {s["code"]: s for s in referent.get("/api/v1/directory/schemes").json()}
    assert {"cej", "cej-jr", "pacea", "invisibles", "prij", "siao"} <= set(schemes)
    assert schemes["cej-jr"]["min_months_without_contact"] == 5
    assert set(schemes["pacea"]["incompatible_with"]) == {"cej", "cej-jr"}


def test_received_referral_is_answered_from_the_page_and_the_api(demo, login_client):
    from coparcours.directory.services.referrals import send_referral

    youth = demo.porteur.owned_youths.get(last_name="Martin")
    service = Service.objects.get(di_id="coparcours-demo-nord--ml-lille-sante")
    values = {
        "categories": ["health"],
        "message": "Premier rendez-vous santé.",
        "consented_categories": ["identity", "health"],
        "consent_given_by": "youth",
        "consent_method": "signed_form",
    }
    first = send_referral(demo.users["referente"], youth, demo.porteur, service=service, **values)
    second = send_referral(demo.users["referente"], youth, demo.porteur, service=service, **values)
    counsellor = login_client(demo.users["conseiller"])
    received = counsellor.get("/annuaire/orientations/recues/")
    assert {r.pk for r in received.context["referrals"]} == {first.pk, second.pk}
    answered = counsellor.post(
        f"/annuaire/orientations/{first.pk}/repondre/",
        {"decision": "refuse", "refusal_reason": "full", "comment": "Liste d'attente."},
    )
    assert answered.status_code == 302
    first.refresh_from_db()
    assert first.status == "refused" and first.refusal_reason == "full"
    outsider = login_client(demo.users["direction"])
    url = f"/api/v1/directory/referrals/{second.pk}/answer"
    assert outsider.post(url, {"accepted": True}, content_type="application/json").status_code in {
        403,
        404,
    }
    api = counsellor.post(url, {"accepted": True}, content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "accepted"
