"""The audit line keeps the route, never the query string: searched names would outlive an
anonymised record (RGPD art. 5-1-c and 5-1-e; the log is append-only)."""

from __future__ import annotations

import pytest

from coparcours.core.models import AuditEvent, AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def referente(demo, login_client):
    return login_client(demo.users["referente"])


def _lines_mentioning(text: str) -> list[AuditLog]:
    return [
        line
        for line in AuditLog.objects.all()
        if text.casefold() in f"{line.path} {line.reason}".casefold()
    ]


@pytest.mark.parametrize(
    ("url", "route"),
    [
        ("/jeunes/?q=Martin+Lucas&vue=all", "/jeunes/"),
        ("/api/v1/youths?q=Martin%20Lucas", "/api/v1/youths"),
    ],
)
def test_a_search_leaves_its_route_not_the_names_searched(referente, url, route):
    response = referente.get(url)
    assert response.status_code == 200
    listing = AuditLog.objects.filter(event=AuditEvent.LIST).latest("id")
    assert listing.path == route
    assert _lines_mentioning("Martin") == []


def test_a_path_without_personal_data_is_kept_whole(demo, referente):
    lucas = demo.porteur.owned_youths.get(last_name="Martin")
    referente.get(f"/jeunes/{lucas.pk}/?onglet=chronologie")
    paths = set(
        AuditLog.objects.filter(youth_id=lucas.pk, event=AuditEvent.READ).values_list(
            "path", flat=True
        )
    )
    assert paths == {f"/jeunes/{lucas.pk}/"}
