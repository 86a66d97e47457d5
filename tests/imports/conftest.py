"""Helpers of the import tests: files written as people write them (CSV with ``;`` and a
BOM, or an Excel workbook), and their upload through the page."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from coparcours.imports import services
from coparcours.imports.models import ImportKind


def csv_file(rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


YOUTH_HEADER = [
    "Nom *",
    "Prénoms *",
    "Sexe",
    "Date de naissance",
    "MNA",
    "Évaluation de l'âge",
    "Service de l'ASE",
    "Téléphone",
    "Référent (courriel)",
]


@pytest.fixture
def youths_kind():
    return services.KINDS[ImportKind.YOUTHS]


@pytest.fixture
def stays_kind():
    return services.KINDS[ImportKind.STAYS]


@pytest.fixture
def pathways_kind():
    return services.KINDS[ImportKind.PATHWAYS]
