"""Personal API tokens: issued once, stored hashed, revocable; /api/v1/me."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from coparcours.accounts.models import APIToken, hash_token
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Role

TOKENS = "/compte/jetons/"
ME = "/api/v1/me"


def create_token(client: Client, **data) -> tuple[str, str]:
    """Submit the form; returns (page, clear token shown once)."""
    response = client.post(TOKENS, {"name": "Tableur de suivi", **data})
    assert response.status_code == 200
    body = response.content.decode()
    match = re.search(r'<code class="secret" id="new-token">([^<]+)</code>', body)
    assert match, body
    return body, match.group(1)


def call_me(token: str):
    return Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_token_is_shown_once_and_stored_hashed(referent, login_client):
    client = login_client(referent)
    body, raw = create_token(client, expires_at="2099-12-31T18:00")
    assert "il ne sera plus jamais affiché" in body

    token = APIToken.objects.get()
    assert token.user == referent
    assert token.name == "Tableur de suivi"
    assert token.key_hash == hash_token(raw)
    assert token.prefix == raw[:8]
    assert raw not in {token.key_hash, token.name, token.prefix}
    assert timezone.localtime(token.expires_at).replace(tzinfo=None) == datetime.datetime(
        2099, 12, 31, 18, 0
    )

    listing = client.get(TOKENS).content.decode()
    assert raw not in listing
    assert f"{raw[:8]}…" in listing
    assert "<td>actif</td>" in listing


@pytest.mark.django_db
def test_valid_token_reads_my_active_memberships(referent, demo, login_client):
    MembershipFactory(
        user=referent,
        organisation=demo.alefpa,
        role=Role.REFERENT,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    _body, raw = create_token(login_client(referent))

    response = call_me(raw)
    assert response.status_code == 200
    data = response.json()
    assert data["email"] == referent.email
    assert sorted((m["organisation"], m["role"], m["end_date"]) for m in data["memberships"]) == [
        ("ASRL", "referent", None),
        ("Rebond Jeunes Lille (porteur CEJ-JR)", "referent", None),
    ]
    assert APIToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_last_use_is_recorded(referent, login_client):
    _body, raw = create_token(login_client(referent))
    assert APIToken.objects.get().last_used_at is None
    before = timezone.now()
    call_me(raw)
    assert APIToken.objects.get().last_used_at >= before


@pytest.mark.django_db
def test_revoked_expired_unknown_or_deactivated_tokens_are_refused(referent, login_client):
    client = login_client(referent)
    _body, revoked = create_token(client)
    token = APIToken.objects.get()
    assert call_me(revoked).status_code == 200

    response = client.post(f"{TOKENS}{token.pk}/revoquer/", follow=True)
    assert "Le jeton « Tableur de suivi » est révoqué." in response.content.decode()
    assert "révoqué le" in response.content.decode()
    assert call_me(revoked).status_code == 401

    _token, expired = APIToken.issue(referent, "Ancien", timezone.now() - datetime.timedelta(1))
    assert call_me(expired).status_code == 401
    assert "<td>expiré</td>" in client.get(TOKENS).content.decode()

    assert call_me("jeton-inventé").status_code == 401
    assert call_me(hash_token(revoked)).status_code == 401

    _token, valid = APIToken.issue(referent, "Actif")
    assert call_me(valid).status_code == 200
    referent.is_active = False
    referent.save()
    assert call_me(valid).status_code == 401


@pytest.mark.django_db
def test_the_browser_session_also_opens_the_api(referent, login_client):
    assert Client().get(ME).status_code == 401
    response = login_client(referent).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == referent.email


@pytest.mark.django_db
def test_nobody_else_can_see_or_revoke_my_token(referent, coordinator, login_client):
    _body, raw = create_token(login_client(referent))
    token = APIToken.objects.get()

    other = login_client(coordinator)
    assert "Tableur de suivi" not in other.get(TOKENS).content.decode()
    assert other.post(f"{TOKENS}{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert call_me(raw).status_code == 200


@pytest.mark.django_db
def test_revoking_needs_a_post(referent, login_client):
    client = login_client(referent)
    create_token(client)
    token = APIToken.objects.get()
    assert client.get(f"{TOKENS}{token.pk}/revoquer/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_token_page_needs_a_login(demo):
    response = Client().get(TOKENS)
    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={TOKENS}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Donnez un nom au jeton"),
        ({"name": "   "}, "Donnez un nom au jeton"),
        ({"name": "x" * 101}, "au plus 100 caractères"),
        ({"name": "Script", "expires_at": "2020-01-01T10:00"}, "doit être dans le futur"),
        ({"name": "Script", "expires_at": "demain"}, "Saisissez une date et une heure valides."),
    ],
)
def test_bad_input_saves_nothing_and_says_why_in_french(referent, login_client, data, message):
    response = login_client(referent).post(TOKENS, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'id="new-token"' not in body
    assert not APIToken.objects.exists()
