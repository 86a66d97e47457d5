import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from coparcours.core.access import ShareBasis
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role
from coparcours.youths import rules, services
from coparcours.youths.factories import YouthFactory
from coparcours.youths.models.consents import ConsentGiver, ConsentMethod

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@given(st.text(max_size=40))
def test_search_key_ignores_accents_and_case(name):
    assert rules.search_key(name) == rules.search_key(name.upper().lower())
    assert rules.search_key(name) == rules.search_key(rules.search_key(name))


def test_search_key_examples():
    assert rules.search_key("  Éloïse-Marie  D'ÂRC ") == "eloise marie d arc"


def test_majority_date_and_29_february():
    assert rules.majority_date(datetime.date(2008, 2, 29)) == datetime.date(2026, 3, 1)
    assert rules.majority_date(datetime.date(2008, 7, 14)) == datetime.date(2026, 7, 14)


@pytest.mark.django_db
def test_record_shows_majority_date_and_days_left(build_world, member_client):
    world = build_world()
    youth = world.youth
    youth.is_unaccompanied_minor = True
    youth.birth_date = datetime.date.today().replace(year=datetime.date.today().year - 17)
    youth.save()
    client, _ = member_client(world.owner, Role.REFERENT)
    html = client.get(f"/jeunes/{youth.pk}/").content.decode()
    assert "Majorité le" in html
    assert f"dans {youth.days_until_majority()} jour" in html


@pytest.mark.django_db
def test_duplicates_found_across_organisations_without_revealing_them(build_world, member_client):
    world = build_world()
    YouthFactory(
        owner_organisation=world.unrelated,
        last_name="Ndiaye",
        first_names="Aïssatou Marie",
        birth_date=datetime.date(2008, 5, 1),
        phone="0611223344",
    )
    client, _ = member_client(world.owner, Role.REFERENT)
    data = {
        "last_name": "NDIAYE",
        "first_names": "aissatou",
        "sex": "F",
        "birth_date": "2008-09-15",
        "situation": "unknown",
    }
    response = client.post("/jeunes/nouveau/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "peut-être déjà connu" in html
    assert "1 dossier semblable existe dans une autre organisation" in html
    assert "0611223344" not in html and world.unrelated.name not in html
    assert world.owner.owned_youths.filter(last_name="NDIAYE").count() == 0
    # swapped names are found too
    swapped = client.post(
        "/jeunes/nouveau/", {**data, "last_name": "Aissatou", "first_names": "Ndiaye"}
    )
    assert "peut-être déjà connu" in swapped.content.decode()
    confirmed = client.post("/jeunes/nouveau/", {**data, "confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302
    assert world.owner.owned_youths.filter(last_name="NDIAYE").count() == 1


@pytest.mark.django_db
def test_far_birth_dates_are_not_duplicates(build_world):
    world = build_world()
    YouthFactory(
        owner_organisation=world.owner,
        last_name="Ba",
        first_names="Ali",
        birth_date=datetime.date(2000, 1, 1),
    )
    assert services.likely_duplicates("Ba", "Ali", datetime.date(2008, 1, 1)) == []
    assert len(services.likely_duplicates("Bâ", "ALI", datetime.date(2000, 6, 1))) == 1


@pytest.mark.django_db
def test_impossible_birth_date_is_refused_and_nothing_saved(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        "/jeunes/nouveau/",
        {
            "last_name": "Futur",
            "first_names": "Né",
            "sex": "X",
            "birth_date": future,
            "situation": "unknown",
        },
    )
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not world.owner.owned_youths.filter(last_name="Futur").exists()


@pytest.mark.django_db
def test_consent_validations(build_world, member_client):
    world = build_world()
    _client, user = member_client(world.owner, Role.REFERENT)
    youth = world.youth
    base = dict(
        organisation=world.partner,
        categories=["contact"],
        purpose="Suivi emploi",
        method=ConsentMethod.ORAL_WITH_WITNESS,
        witness="Mme Témoin",
    )
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            user, youth, world.owner, **{**base, "organisation": world.unrelated}
        )
    assert "n'accompagne pas ce jeune" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            user,
            youth,
            world.owner,
            **base,
            start_date=datetime.date(2025, 5, 1),
            end_date=datetime.date(2025, 4, 1),
        )
    assert "doit suivre son début" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_consent(user, youth, world.owner, **{**base, "witness": ""})
    assert "témoin" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            user,
            youth,
            world.owner,
            **{**base, "categories": ["health"]},
            basis=ShareBasis.LEGAL,
            prior_information_on=datetime.date(2025, 1, 1),
        )
    assert "jamais au titre du secret partagé" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.record_consent(user, youth, world.owner, **base, basis=ShareBasis.LEGAL)
    assert "information préalable" in str(error.value)
    youth.birth_date = datetime.date.today().replace(year=datetime.date.today().year - 15)
    youth.save()
    with pytest.raises(ValidationError) as error:
        services.record_consent(user, youth, world.owner, **base, given_by=ConsentGiver.YOUTH)
    assert "représentant légal" in str(error.value)
    assert youth.consents.count() == 0
    consent = services.record_consent(
        user, youth, world.owner, **base, given_by=ConsentGiver.GUARDIAN
    )
    assert consent.is_active()


@pytest.mark.django_db
def test_consent_then_withdrawal_opens_then_closes_the_category(build_world, member_client):
    world = build_world()
    referent_client, referent = member_client(world.owner, Role.REFERENT)
    counsellor_client, _ = member_client(world.partner, Role.COUNSELLOR)
    url = f"/jeunes/{world.youth.pk}/"
    assert "NOTE-contact" not in counsellor_client.get(url).content.decode()
    consent = services.record_consent(
        referent,
        world.youth,
        world.owner,
        organisation=world.partner,
        categories=["contact"],
        purpose="Suivi",
        method=ConsentMethod.ORAL_WITH_WITNESS,
        witness="Témoin",
    )
    assert "NOTE-contact" in counsellor_client.get(url).content.decode()
    referent_client.post(f"{url}consentements/{consent.pk}/retirer/")
    assert "NOTE-contact" not in counsellor_client.get(url).content.decode()


@pytest.mark.django_db
def test_consent_with_signed_form_upload(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    url = f"/jeunes/{world.youth.pk}/consentements/ajouter/"
    data = {
        "organisation": world.partner.pk,
        "categories": ["contact", "housing"],
        "purpose": "Accompagnement",
        "basis": "consent",
        "given_by": "youth",
        "method": "signed_form",
        "start_date": "2025-01-01",
    }
    missing = client.post(url, data)
    assert "Joignez le formulaire" in missing.content.decode()
    assert world.youth.consents.count() == 0 and world.youth.documents.count() == 9
    ok = client.post(url, {**data, "signed_form_file": SimpleUploadedFile("accord.pdf", PDF)})
    assert ok.status_code == 302
    consent = world.youth.consents.get()
    assert consent.signed_form.original_name == "accord.pdf"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100, "Type de fichier refusé"),
        ("photo.pdf", PNG, "ne correspond pas à son extension"),
        ("texte.txt", b"hello", "Type de fichier refusé"),
    ],
)
def test_disguised_or_wrong_files_are_refused(build_world, member_client, name, content, message):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    response = client.post(
        f"/jeunes/{world.youth.pk}/documents/ajouter/",
        {"category": "identity", "title": "Pièce", "file": SimpleUploadedFile(name, content)},
    )
    assert message in response.content.decode()
    assert world.youth.documents.count() == 9


@pytest.mark.django_db
def test_oversize_file_is_refused(build_world, member_client, settings):
    settings.YOUTH_DOCUMENT_MAX_BYTES = 1024 * 1024
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post(
        f"/jeunes/{world.youth.pk}/documents/ajouter/",
        {"category": "identity", "title": "Pièce", "file": big},
    )
    assert "taille maximale (1 Mo)" in response.content.decode()
    assert world.youth.documents.count() == 9


@pytest.mark.django_db
def test_documents_have_no_public_url_and_downloads_are_audited(
    build_world, member_client, settings
):
    world = build_world()
    client, user = member_client(world.owner, Role.REFERENT)
    document = world.youth.documents.get(category="health")
    assert (
        not settings.MEDIA_URL
        or client.get(settings.MEDIA_URL + document.file.name).status_code == 404
    )
    response = client.get(f"/jeunes/{world.youth.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert AuditLog.objects.filter(
        user=user,
        youth_id=world.youth.pk,
        category="health",
        event=AuditEvent.READ,
        object_id=str(document.pk),
    ).exists()


@pytest.mark.django_db
def test_only_owner_names_partners_and_partner_must_differ(build_world, member_client):
    world = build_world()
    _c, referent = member_client(world.owner, Role.REFERENT)
    _c2, counsellor = member_client(world.partner, Role.COUNSELLOR)
    with pytest.raises(PermissionDenied):
        services.add_assignment(
            counsellor, world.youth, world.unrelated, "Santé", datetime.date(2025, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.add_assignment(referent, world.youth, world.owner, "x", datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.add_assignment(
            referent, world.youth, world.partner, "x", datetime.date(2025, 1, 1)
        )
    assignment = services.add_assignment(
        referent, world.youth, world.unrelated, "Suivi santé", datetime.date(2025, 1, 1)
    )
    assert world.unrelated.pk in services.accompanying_organisations(world.youth)
    services.end_assignment(referent, assignment, datetime.date(2025, 2, 1))
    assert world.unrelated.pk not in services.accompanying_organisations(world.youth)


@pytest.mark.django_db
def test_rectification_is_tracked_in_history(build_world, member_client):
    world = build_world()
    client, user = member_client(world.owner, Role.REFERENT)
    response = client.post(
        f"/jeunes/{world.youth.pk}/modifier/contact/",
        {"phone": "0699999999", "email": "", "address": "1 rue Neuve"},
    )
    assert response.status_code == 302
    latest = world.youth.history.latest()
    assert latest.phone == "0699999999" and latest.history_user == user
    assert world.youth.history.count() == 2


@pytest.mark.django_db
def test_consent_form_pdf_is_plain_french_and_prefilled(build_world, member_client):
    import io

    from pypdf import PdfReader

    world = build_world()
    youth = world.youth
    youth.birth_date = datetime.date.today().replace(year=datetime.date.today().year - 16)
    youth.guardian = "Service de tutelle du Nord"
    youth.save()
    client, _ = member_client(world.owner, Role.REFERENT)
    response = client.get(
        f"/jeunes/{youth.pk}/consentements/formulaire.pdf",
        {"organisation": world.partner.pk, "categories": ["contact"], "purpose": "Emploi"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Prenomsecret" in text and world.partner.name in text
    assert "changer d'avis à tout moment" in text
    assert "Le représentant légal" in text and "Service de tutelle du Nord" in text


@pytest.mark.django_db
def test_access_facts_of_several_youths_do_not_bleed_into_each_other(build_world):
    from coparcours.core.access import Relation, Share
    from coparcours.youths.factories import AssignmentFactory, ConsentFactory
    from coparcours.youths.models.records import access_facts_for

    world = build_world()
    other = YouthFactory(owner_organisation=world.unrelated)
    AssignmentFactory(youth=other, organisation=world.owner, relation=Relation.HOSTING)
    ConsentFactory(youth=other, organisation=world.owner, categories=["health"])
    today = datetime.date.today()
    facts = access_facts_for({world.youth.pk: world.owner.pk, other.pk: world.unrelated.pk}, today)
    assert facts[world.youth.pk].relations == {
        world.owner.pk: {Relation.OWNER},
        world.partner.pk: {Relation.CEJ_PARTNER},
    }
    assert facts[world.youth.pk].shares == frozenset()
    assert facts[other.pk].relations == {
        world.unrelated.pk: {Relation.OWNER},
        world.owner.pk: {Relation.HOSTING},
    }
    # the consent recorded by the youth's owner opens the owner's health data only
    assert facts[other.pk].shares == {
        Share(world.owner.pk, "health", "consent", opened_by=world.unrelated.pk)
    }
