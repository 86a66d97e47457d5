"""The same imports through the API: a dry run lists what the file would bring and the
lines to decide; the import saves all lines or none, each error with its line and column."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coparcours.youths.models import Youth
from tests.imports.conftest import YOUTH_HEADER, csv_file

pytestmark = pytest.mark.django_db


def _post(client, content, **fields):
    upload = SimpleUploadedFile("jeunes.csv", content, content_type="text/csv")
    return client.post("/api/v1/imports/youths", {"file": upload, **fields})


def test_a_dry_run_then_the_import_with_its_decisions(demo, login_client):
    client = login_client(demo.users["coordination"])
    known = Youth.objects.get(last_name="Keita")
    content = csv_file(
        [
            YOUTH_HEADER[:4],
            ["Sow", "Abdoulaye", "M", "12/05/2009"],
            [known.last_name, known.first_names, "M", f"{known.birth_date:%d/%m/%Y}"],
        ]
    )

    dry = _post(client, content, dry_run="true")

    assert dry.status_code == 200, dry.content
    assert dry.json() == {
        "ready": False,
        "line_count": 3,
        "to_create": 2,
        "duplicates": [
            {
                "line": 3,
                "visible_duplicates": [known.pk],
                "duplicates_elsewhere": 0,
                "earlier_lines": [],
            }
        ],
        "errors": [],
    }
    undecided = _post(client, content)
    assert undecided.status_code == 422
    assert undecided.json()["detail"][0]["line"] == 3
    assert not Youth.objects.filter(last_name="Sow").exists()

    done = _post(client, content, decisions=json.dumps({"3": "skip"}))

    assert done.status_code == 201, done.content
    assert {"created_count": 1, "skipped_count": 1, "line_count": 3}.items() <= done.json().items()
    assert Youth.objects.filter(last_name="Sow").count() == 1


def test_errors_come_with_their_line_and_column(demo, login_client):
    client = login_client(demo.users["coordination"])
    content = csv_file([YOUTH_HEADER[:4], ["Sow", "Abdoulaye", "Z", "12/05/2009"]])

    answer = _post(client, content)

    assert answer.status_code == 422
    assert {"line": 2, "column": "Sexe", "type": "file"}.items() <= answer.json()["detail"][
        0
    ].items()


def test_decisions_that_are_not_json_are_refused(demo, login_client):
    client = login_client(demo.users["coordination"])
    content = csv_file([YOUTH_HEADER[:2], ["Sow", "Abdoulaye"]])

    answer = _post(client, content, decisions="ligne 3 : créer")

    assert answer.status_code == 422
    assert not Youth.objects.filter(last_name="Sow").exists()


def test_a_role_without_the_capability_is_refused(demo, login_client):
    client = login_client(demo.users["referente"])
    content = csv_file([YOUTH_HEADER[:2], ["Sow", "Abdoulaye"]])

    assert _post(client, content).status_code == 403
    upload = SimpleUploadedFile("s.csv", content, content_type="text/csv")
    assert client.post("/api/v1/imports/stays", {"file": upload}).status_code == 403
