"""Journey of an organisation bringing its youths in: the template downloaded, a bad file
refused with every line and column, a good file whose likely duplicate is decided, then
the stays of those youths. Played on a phone, each page checked at 360, 390 and 1,280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coparcours.housing.models import Stay
from coparcours.youths.models import Youth
from tests.imports.conftest import YOUTH_HEADER, csv_file, xlsx_file

from .test_journeys import log_in

pytestmark = pytest.mark.browser

COLLECTIVE = "Unité collective du Pile"


def _file(name: str, content: bytes, mime: str = "text/csv") -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def _check_file(page, name: str, content: bytes, mime: str = "text/csv") -> None:
    page.get_by_label("Fichier à vérifier (CSV ou Excel .xlsx)").set_input_files(
        _file(name, content, mime)
    )
    page.get_by_role("button", name="Vérifier le fichier").click()


def test_a_director_imports_youths_then_their_stays(page, live_demo, screens, screenshot):
    camara = Youth.objects.get(last_name="Camara")  # already hosted by Temps de vie
    log_in(page, "direction")
    page.get_by_text("Menu").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon organisation"
    ).click()
    page.get_by_role("link", name="Importer des données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer les données de Temps de vie"
    )
    screens.check(page, small_phone=True)
    page.get_by_role("link", name="Importer des jeunes").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    assert download.value.suggested_filename == "modele-import-jeunes.xlsx"
    screens.check(page, small_phone=True)

    # A file with mistakes: each is named with its line and column, nothing is saved.
    bad = csv_file(
        [
            YOUTH_HEADER[:5],
            ["Tounkara", "Sekou", "Garçon", "01/03/2009", "oui"],
            ["Rahimi", "", "M", "31/02/2008", "oui"],
        ]
    )
    _check_file(page, "jeunes-brouillon.csv", bad)
    errors = page.locator("#file-errors")
    expect(errors).to_contain_text("Le fichier n'a pas été importé : 3 erreurs")
    expect(errors).to_contain_text("Ligne 2, colonne « Sexe » : « Garçon » n'est pas dans la liste")
    expect(errors).to_contain_text("Ligne 3, colonne « Prénoms » : valeur obligatoire.")
    expect(errors).to_contain_text("Ligne 3, colonne « Date de naissance »")
    screens.check(page, small_phone=True)
    assert not Youth.objects.filter(last_name="Tounkara").exists()

    # The corrected workbook: one line resembles a youth Temps de vie already hosts.
    good = xlsx_file(
        [
            YOUTH_HEADER[:5],
            ["Tounkara", "Sekou", "Masculin", "01/03/2009", "oui"],
            ["Rahimi", "Ahmad Shah", "M", "15/06/2008", "oui"],
            [camara.last_name.upper(), camara.first_names, "F", camara.birth_date, "oui"],
        ]
    )
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _check_file(page, "jeunes.xlsx", good, xlsx)
    expect(page.get_by_role("heading", name="Le fichier « jeunes.xlsx » est prêt")).to_be_visible()
    expect(page.get_by_text("1 ligne à décider")).to_be_visible()
    decision = page.get_by_role("group", name=f"Ligne 4 : {camara.last_name.upper()}")
    expect(decision.get_by_role("link", name=str(camara))).to_be_visible()
    screens.check(page, small_phone=True)
    screens.shoot(page, screenshot, "import-duplicates")
    page.get_by_role("button", name="Importer le fichier").click()
    expect(page.get_by_text("Choisissez pour cette ligne.")).to_be_visible()  # undecided
    assert not Youth.objects.filter(last_name="Tounkara").exists()
    page.get_by_role("group", name=f"Ligne 4 : {camara.last_name.upper()}").get_by_label(
        "Ne pas importer cette ligne"
    ).check()
    page.get_by_role("button", name="Importer le fichier").click()
    expect(page.locator(".messages")).to_contain_text(
        "depuis « jeunes.xlsx » : 2 lignes importées, 1 écartée."
    )
    expect(page.get_by_role("cell", name="jeunes.xlsx")).to_be_visible()
    screens.check(page, small_phone=True)
    assert Youth.objects.filter(last_name=camara.last_name).count() == 1

    # Their stays, from a CSV written by hand.
    page.get_by_role("link", name="Importer des séjours").click()
    stays = csv_file(
        [
            ["Nom", "Prénoms", "Date de naissance", "Site", "Entrée", "Sortie", "Motif de sortie"],
            ["Tounkara", "Sekou", "01/03/2009", COLLECTIVE, "05/01/2026", "", ""],
            [
                "rahimi",
                "Ahmad Shah",
                "15/06/2008",
                COLLECTIVE,
                "02/09/2025",
                "15/06/2026",
                "Majorité",
            ],
        ]
    )
    _check_file(page, "sejours.csv", stays)
    expect(page.get_by_text("2 lignes vérifiées, sans erreur.")).to_be_visible()
    page.get_by_role("button", name="Importer le fichier").click()
    expect(page.locator(".messages")).to_contain_text("2 lignes importées.")
    assert Stay.objects.filter(youth__last_name__in=["Tounkara", "Rahimi"]).count() == 2
    screens.assert_clean()
