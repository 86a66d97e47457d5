"""The import pages as people use them: templates to download, a file checked in full,
the duplicates decided, the import confirmed; and who may."""

from __future__ import annotations

import base64
import io

import pytest
from openpyxl import load_workbook

from coparcours.imports.models import ImportBatch
from coparcours.youths.models import Youth
from tests.imports.conftest import YOUTH_HEADER, csv_file

pytestmark = pytest.mark.django_db


def _upload(client, url, content, name="jeunes.csv"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(url, {"file": upload})


def test_each_role_sees_the_kinds_it_may_import(demo, login_client):
    coordination = login_client(demo.users["coordination"]).get("/imports/")
    porteur = login_client(demo.users["pilotage-cej"]).get("/imports/")

    assert coordination.status_code == porteur.status_code == 200
    assert [k.key for k in coordination.context["kinds"]] == ["youths", "stays"]
    assert [k.key for k in porteur.context["kinds"]] == ["youths", "pathways"]
    assert 'href="/imports/"' in coordination.content.decode()  # « Mon organisation »


@pytest.mark.parametrize("login", ["referente", "conseiller", "finances", "departement", "dpo"])
def test_other_roles_are_refused_and_see_no_link(demo, login_client, login):
    client = login_client(demo.users[login])

    assert client.get("/imports/jeunes/").status_code == 403
    assert 'href="/imports/"' not in client.get("/").content.decode()


def test_the_templates_are_offered_in_csv_and_excel(demo, login_client):
    client = login_client(demo.users["coordination"])

    csv = client.get("/imports/sejours/modele.csv")
    xlsx = client.get("/imports/sejours/modele.xlsx")

    assert csv.content.decode("utf-8").startswith(
        "\ufeffNom *;Prénoms *;Date de naissance *;Site *"
    )
    assert 'filename="modele-import-sejours.csv"' in csv["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert [c.value for c in workbook["Séjours"][1]][:4] == [
        "Nom *",
        "Prénoms *",
        "Date de naissance *",
        "Site *",
    ]
    guide = [[c.value for c in row] for row in workbook["Aide"].iter_rows(min_row=2)]
    assert guide[0] == ["Nom", "oui", "Le nom du jeune, comme dans son dossier.", "Diallo"]


def test_a_bad_file_lists_its_errors_and_saves_nothing(demo, login_client):
    client = login_client(demo.users["coordination"])
    content = csv_file([YOUTH_HEADER[:4], ["Sow", "", "M", "31/02/2009"]])

    response = _upload(client, "/imports/jeunes/", content)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Le fichier n'a pas été importé : 2 erreurs" in page
    assert "Ligne 2, colonne « Prénoms » : valeur obligatoire." in page
    assert "Ligne 2, colonne « Date de naissance »" in page
    assert not Youth.objects.filter(last_name="Sow").exists()


def test_a_good_file_is_confirmed_then_imported_once(demo, login_client):
    client = login_client(demo.users["coordination"])
    known = Youth.objects.get(last_name="Keita")
    content = csv_file(
        [
            YOUTH_HEADER[:4],
            ["Sow", "Abdoulaye", "M", "12/05/2009"],
            [known.last_name, known.first_names, "M", f"{known.birth_date:%d/%m/%Y}"],
        ]
    )

    checked = _upload(client, "/imports/jeunes/", content)

    page = checked.content.decode()
    assert checked.status_code == 200
    assert "1 ligne à décider" in page and f"/jeunes/{known.pk}/" in page
    assert not Youth.objects.filter(last_name="Sow").exists()  # nothing saved yet
    confirm = {"content": base64.b64encode(content).decode(), "file_name": "jeunes.csv"}
    undecided = client.post("/imports/jeunes/", confirm)
    assert (
        undecided.status_code == 400
        and "Choisissez pour cette ligne." in undecided.content.decode()
    )

    done = client.post("/imports/jeunes/", {**confirm, "line_3": "skip"}, follow=True)

    batch = ImportBatch.objects.get()
    assert (
        f"Import n° {batch.pk} enregistré depuis « jeunes.csv » : 1 ligne importée, 1 écartée."
        in done.content.decode()
    )
    assert (batch.created_count, batch.skipped_count) == (1, 1)
    assert Youth.objects.filter(last_name="Sow").count() == 1
    assert Youth.objects.filter(last_name=known.last_name).count() == 1
    again = _upload(client, "/imports/jeunes/", content)
    assert "a déjà été importé" in again.content.decode()


def test_the_imports_page_costs_the_same_with_many_past_imports(
    demo, login_client, django_assert_max_num_queries
):
    user = demo.users["coordination"]
    client = login_client(user)
    for n in range(30):
        ImportBatch.objects.create(
            organisation=demo.alefpa,
            kind="youths",
            file_name=f"jeunes-{n}.csv",
            sha256=f"{n:064d}",
            line_count=10,
            created_count=9,
            imported_by=user,
        )

    with django_assert_max_num_queries(4):
        response = client.get("/imports/")

    assert response.content.decode().count("jeunes-") == 30
