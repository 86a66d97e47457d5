"""data·inclusion import and export: validated whole, atomic, idempotent, round-trip."""

from __future__ import annotations

import json

import pytest
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError

from coparcours.directory.factories import NORD_SAMPLE as SAMPLE
from coparcours.directory.models import ReferenceValue, Service, Structure, ValueList
from coparcours.directory.services.exchange import (
    ImportReport,
    export_document,
    import_file,
    sync_reference_values,
)

pytestmark = pytest.mark.django_db


def _sample() -> dict:
    return json.loads(SAMPLE.read_text())


def _import(document: dict, name: str = "fichier.json") -> ImportReport:
    return import_file(json.dumps(document, ensure_ascii=False, indent=2).encode(), name)


def test_reference_values_come_from_the_package():
    themes = set(
        ReferenceValue.objects.filter(value_list=ValueList.THEMATIQUE).values_list(
            "code", flat=True
        )
    )
    assert themes == {t.value for t in v1.Thematique}
    mental = ReferenceValue.objects.get(
        value_list=ValueList.THEMATIQUE, code="sante--sante-mentale"
    )
    assert (mental.label, mental.parent_code) == ("Santé mentale", "sante")
    assert ReferenceValue.objects.filter(value_list=ValueList.RESEAU_PORTEUR, code="siao").exists()
    assert sync_reference_values() == 0  # idempotent


def test_sample_imports_and_reimport_updates_without_duplicates():
    first = import_file(SAMPLE.read_bytes(), SAMPLE.name)
    assert (first.structures_created, first.services_created) == (17, 22)
    cmp = Service.objects.get(di_id="coparcours-demo-nord--cmp-lille-premier-rdv")
    assert [v.code for v in cmp.codes_of(ValueList.THEMATIQUE)] == ["sante--sante-mentale"]
    assert cmp.departement == "59"
    assert cmp.structure.codes_of(ValueList.RESEAU_PORTEUR)[0].code == "cmp"

    document = _sample()
    document["services"][0]["nom"] = "Contrat d'engagement jeune (CEJ) — Lille"
    document["services"][0]["thematiques"] = ["trouver-un-emploi--repondre-a-des-offres-demploi"]
    again = _import(document)
    assert (again.structures_created, again.structures_updated) == (0, 17)
    assert (again.services_created, again.services_updated) == (0, 22)
    assert Structure.objects.count() == 17 and Service.objects.count() == 22
    cej = Service.objects.get(di_id=document["services"][0]["id"])
    assert cej.nom.endswith("— Lille")
    assert [v.code for v in cej.codes_of(ValueList.THEMATIQUE)] == [
        "trouver-un-emploi--repondre-a-des-offres-demploi"
    ]


def test_unknown_theme_code_is_refused_with_line_and_field_and_nothing_is_saved():
    document = _sample()
    document["services"][3]["thematiques"] = ["sante--inconnue"]
    document["structures"][1]["nom"] = "X"
    with pytest.raises(ValidationError) as refused:
        _import(document)
    messages = refused.value.messages
    assert any(
        "champ « thematiques »" in m and "code inconnu « sante--inconnue »" in m for m in messages
    ), messages
    assert any("champ « nom »" in m and "au moins 3 caractères" in m for m in messages), messages
    assert Structure.objects.count() == 0 and Service.objects.count() == 0


def test_line_numbers_point_at_the_record():
    document = {"services": [], "structures": _sample()["structures"][:2]}
    del document["structures"][1]["date_maj"]
    text = json.dumps(document, ensure_ascii=False, indent=2)
    openings = [n for n, line in enumerate(text.splitlines(), start=1) if line == "    {"]
    expected = openings[1]  # the second structure's opening brace
    with pytest.raises(ValidationError) as refused:
        import_file(text.encode(), "x.json")
    assert refused.value.messages == [
        f"ligne {expected}, structure « coparcours-demo-nord--mda-nord-lille », "
        "champ « date_maj » : champ obligatoire manquant."
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"foo": []}', "n'est pas au format data·inclusion"),
        (
            b'{"structures": [\n  {"id": 1,}\n]}',
            "ligne 2, colonne 12 : le fichier n'est pas un JSON",
        ),
        (b"", "Le fichier est vide."),
        (b"nom;adresse\nA;B\n", "ligne 1 : l'en-tête doit contenir"),
        ("é".encode("latin-1"), "encodé en UTF-8"),
    ],
)
def test_files_not_in_the_schema_are_refused_in_french(content, expected):
    with pytest.raises(ValidationError) as refused:
        import_file(content, "fichier")
    assert any(expected in m for m in refused.value.messages), refused.value.messages
    assert Structure.objects.count() == 0


def test_service_needs_a_known_structure_and_duplicates_are_refused():
    sample = _sample()
    document = {"structures": [], "services": [sample["services"][0], sample["services"][0]]}
    with pytest.raises(ValidationError) as refused:
        _import(document)
    messages = " ".join(refused.value.messages)
    assert "structure « coparcours-demo-nord--ml-lille » inconnue" in messages
    assert "apparaît deux fois" in messages
    assert Service.objects.count() == 0


def test_csv_import_with_lists_and_line_numbers():
    csv_text = (
        "source;id;nom;date_maj;code_postal;commune;reseaux_porteurs\n"
        "essai;essai--1;Centre social du Faubourg;2024-05-02;59000;Lille;ccas-cias,communes\n"
        "essai;essai--2;Association Horizon;2024-05-02;5900;Lille;\n"
    )
    with pytest.raises(ValidationError) as refused:
        import_file(csv_text.encode(), "structures.csv")
    assert refused.value.messages == [
        "ligne 3, structure « essai--2 », champ « code_postal » : au moins 5 caractères."
    ]
    report = import_file(csv_text.replace(";5900;", ";59100;").encode(), "s.csv")
    assert report.structures_created == 2
    first = Structure.objects.get(di_id="essai--1")
    assert [v.code for v in first.codes_of(ValueList.RESEAU_PORTEUR)] == ["ccas-cias", "communes"]
    assert Structure.objects.get(di_id="essai--2").departement == "59"


def test_export_is_in_the_schema_and_reads_back_identically():
    import_file(SAMPLE.read_bytes(), SAMPLE.name)
    structures = Structure.objects.prefetch_related("codes")
    all_services = Service.objects.select_related("structure").prefetch_related("codes")
    exported = export_document(structures, all_services)
    for record in exported["structures"]:
        v1.Structure.model_validate(record)
    for record in exported["services"]:
        v1.Service.model_validate(record)
    by_id = {s["id"]: s for s in exported["services"]}
    original = {s["id"]: s for s in _sample()["services"]}
    key = "coparcours-demo-nord--siao-demande-hebergement"
    assert sorted(by_id[key]["thematiques"]) == sorted(original[key]["thematiques"])
    assert by_id[key]["structure_id"] == original[key]["structure_id"]

    Service.objects.all().delete()
    Structure.objects.all().delete()
    _import(exported)
    again = export_document(structures.all(), all_services.all())
    assert again == exported
