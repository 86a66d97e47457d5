"""Importing youths: the whole file checked, every error with its line and column,
nothing saved while one remains, likely duplicates decided line by line, the same file
once, and each record's access log saying it was imported, by whom."""

from __future__ import annotations

import datetime

import pytest

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.core.tabular import FileRefused
from coparcours.imports import services
from coparcours.imports.models import ImportBatch
from coparcours.youths.models import Youth
from tests.imports.conftest import YOUTH_HEADER, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def _good_rows(referent_email: str) -> list[list[str]]:
    return [
        YOUTH_HEADER,
        [
            "Sow",
            "Abdoulaye",
            "Masculin",
            "12/05/2009",
            "oui",
            "Minorité reconnue",
            "ASE du Nord",
            "06 12 34 56 78",
            referent_email,
        ],
        ["Rahimi", "Ahmad Shah", "M", "2008-11-30", "oui", "En cours", "ASE du Nord", "", ""],
        ["Benali", "Yasmine", "Féminin", "03/02/2007", "non", "", "", "", ""],
    ]


def _alefpa(demo):
    return demo.alefpa, demo.users["coordination"]


def test_a_good_file_opens_one_record_per_line_with_its_access_log(demo, youths_kind):
    organisation, user = _alefpa(demo)
    content = csv_file(_good_rows(user.email))

    batch = services.import_file(user, organisation, youths_kind, "mes-jeunes.csv", content, {})

    assert (batch.created_count, batch.line_count, batch.imported_by) == (3, 4, user)
    sow = Youth.objects.get(last_name="Sow")
    assert sow.owner_organisation == organisation
    assert sow.birth_date == datetime.date(2009, 5, 12)
    assert sow.is_unaccompanied_minor and sow.age_assessment == "minor"
    assert sow.phone == "+33612345678" and sow.referent == user
    rahimi = Youth.objects.get(last_name="Rahimi")
    assert (rahimi.sex, rahimi.age_assessment, rahimi.referent) == ("M", "in_progress", None)
    line = AuditLog.objects.get(youth_id=sow.pk, event=AuditEvent.WRITE)
    assert line.user == user
    assert f"import n° {batch.pk}" in line.reason and "mes-jeunes.csv" in line.reason
    assert user.get_full_name() in line.reason


def test_a_workbook_reads_its_date_cells_and_its_text(demo, youths_kind):
    organisation, user = _alefpa(demo)
    content = xlsx_file(
        [YOUTH_HEADER[:5], ["Kourouma", "Ibrahima", "M", datetime.datetime(2009, 1, 20), "oui"]]
    )

    services.import_file(user, organisation, youths_kind, "jeunes.xlsx", content, {})

    assert Youth.objects.get(last_name="Kourouma").birth_date == datetime.date(2009, 1, 20)


def test_every_error_has_its_line_and_column_and_nothing_is_saved(demo, youths_kind):
    organisation, user = _alefpa(demo)
    before = Youth.objects.count()
    content = csv_file(
        [
            YOUTH_HEADER,
            ["Sow", "Abdoulaye", "Masculin", "31/02/2009", "oui", "", "", "", ""],
            ["", "Ahmad", "Garçon", "12/05/2009", "peut-être", "", "", "0612", ""],
            ["Benali", "Yasmine", "F", "03/02/2099", "non", "", "", "", "x@y.fr"],
        ]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(user, organisation, youths_kind, "jeunes.csv", content, {})

    located = {(line, column) for line, column, _ in refused.value.file_errors.located}
    assert {
        (2, "Date de naissance"),
        (3, "Nom"),
        (3, "Sexe"),
        (3, "MNA"),
        (3, "Téléphone"),
        (4, "Date de naissance"),
        (4, "Référent (courriel)"),
    } == located
    messages = refused.value.messages
    assert any(m.startswith("Ligne 2, colonne « Date de naissance » : ") for m in messages)
    assert Youth.objects.count() == before
    assert not ImportBatch.objects.exists()


def test_a_wrong_header_is_refused_at_line_one(demo, youths_kind):
    organisation, user = _alefpa(demo)
    content = csv_file([["Nom", "Prenom", "Né le"], ["Sow", "Abdoulaye", "12/05/2009"]])

    found = services.examine(user, organisation, youths_kind, "jeunes.csv", content)

    messages = found.errors.messages()
    assert "Ligne 1, colonne « Prénoms » : colonne obligatoire absente de l'en-tête." in messages
    assert any(m.startswith("Ligne 1, colonne « Né le » : colonne inconnue") for m in messages)


def test_a_file_in_another_encoding_is_named_with_its_line_and_column(demo, youths_kind):
    organisation, user = _alefpa(demo)
    content = csv_file(
        [YOUTH_HEADER[:3], ["Sow", "Abdoulaye", "M"], ["Benali", "Hélène", "F"]],
        encoding="cp1252",
    )

    found = services.examine(user, organisation, youths_kind, "jeunes.csv", content)

    assert found.errors.messages() == [
        "Ligne 1, colonne « Prénoms * » : le texte n'est pas en UTF-8 (ici et sur 1 autre "
        "ligne), des accents seraient mal lus : enregistrez le fichier au format « CSV UTF-8 », "
        "ou déposez le classeur Excel."
    ]


def test_likely_duplicates_are_lines_to_decide_never_merged(demo, youths_kind):
    organisation, user = _alefpa(demo)
    known = Youth.objects.get(last_name="Keita")  # accompanied by Alefpa in the demo
    content = csv_file(
        [
            YOUTH_HEADER[:4],
            [known.last_name, known.first_names, "M", f"{known.birth_date:%d/%m/%Y}"],
            ["Sow", "Abdoulaye", "M", "12/05/2009"],
            ["SOW", "abdoulaye", "M", "12/06/2009"],
        ]
    )

    found = services.examine(user, organisation, youths_kind, "jeunes.csv", content)

    assert [(d.line, d.visible, d.earlier_lines) for d in found.duplicates] == [
        (2, [known], []),
        (4, [], [3]),
    ]
    with pytest.raises(FileRefused) as refused:
        services.import_file(user, organisation, youths_kind, "jeunes.csv", content, {2: "skip"})
    assert [line for line, _, _ in refused.value.file_errors.located] == [4]
    assert not Youth.objects.filter(last_name__iexact="sow").exists()

    batch = services.import_file(
        user, organisation, youths_kind, "jeunes.csv", content, {2: "skip", 4: "create"}
    )

    assert (batch.created_count, batch.skipped_count) == (2, 1)
    assert Youth.objects.filter(last_name=known.last_name).count() == 1
    assert Youth.objects.filter(last_name__iexact="sow").count() == 2


def test_the_duplicate_search_is_audited_once_with_counts_never_names(demo, youths_kind):
    organisation, user = _alefpa(demo)
    content = csv_file([YOUTH_HEADER[:2], ["Sow", "Abdoulaye"], ["Diarra", "Salif"]])
    before = AuditLog.objects.filter(event=AuditEvent.LIST).count()

    services.examine(user, organisation, youths_kind, "jeunes.csv", content)

    lines = AuditLog.objects.filter(event=AuditEvent.LIST).order_by("-pk")
    assert lines.count() == before + 1
    assert "import de 2 dossiers" in lines[0].reason
    assert "Sow" not in lines[0].reason and "Diarra" not in lines[0].reason


def test_the_same_file_is_imported_once(demo, youths_kind):
    organisation, user = _alefpa(demo)
    content = csv_file(_good_rows(user.email))
    services.import_file(user, organisation, youths_kind, "a.csv", content, {})

    found = services.examine(user, organisation, youths_kind, "b.csv", content)
    with pytest.raises(FileRefused) as refused:
        services.import_file(user, organisation, youths_kind, "b.csv", content, {})

    assert found.already is not None and not found.ready
    assert "déjà été importé" in refused.value.messages[0]
    assert Youth.objects.filter(last_name="Sow").count() == 1


def test_a_finance_officer_cannot_open_records_by_import(demo, youths_kind):
    from coparcours.youths.refusals import Refused

    finance = demo.users["finances"]
    content = csv_file(_good_rows(""))
    with pytest.raises(Refused):
        services.examine(
            finance, finance.memberships.first().organisation, youths_kind, "a.csv", content
        )
    assert not Youth.objects.filter(last_name="Sow").exists()
