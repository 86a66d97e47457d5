"""ProConnect login (OpenID Connect, mozilla-django-oidc) against a local test provider.

The provider is a small HTTP server on 127.0.0.1 serving the token, userinfo and JWKS
endpoints and signing RS256 ID tokens with a key made for the test. The browser's visit
to the provider's authorisation page is played by ``Provider.sign_in``.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from coparcours import urls as site_urls
from coparcours.accounts.models import User
from coparcours.accounts.oidc import ProConnectCallbackView
from coparcours.core.models import AuditEvent, AuditLog

CLIENT_ID = "coparcours-test"
CLIENT_SECRET = "secret-de-test"
CALLBACK = "/proconnect/callback/"

# The routes coparcours/urls.py mounts when OIDC_RP_CLIENT_ID is set at start-up (checked
# by test_environment_switches_proconnect_on), for tests that switch it on afterwards.
urlpatterns = [
    path(
        "proconnect/callback/",
        ProConnectCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path(
        "proconnect/authenticate/",
        OIDCAuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    *site_urls.urlpatterns,
]


@functools.cache
def provider_key() -> rsa.RSAPrivateKey:
    """The provider's signing key, generated once for the module (a 2,048-bit key takes up
    to a second or two to find)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    """A minimal OpenID provider: authorisation codes, tokens, userinfo and JWKS."""

    def __init__(self) -> None:
        self.key = provider_key()
        self.signing_key = self.key  # replaced to forge a token with another key
        self.audience = CLIENT_ID
        self.userinfo_as_jwt = False
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        host, port = self.server.server_address
        self.url = f"http://{host}:{port}"

    def sign_in(self, authorize_url: str, claims: dict, nonce: str | None = None) -> str:
        """The user identifies at the provider, which sends back this authorisation code."""
        assert authorize_url.startswith(f"{self.url}/authorize?")
        query = parse_qs(urlsplit(authorize_url).query)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "claims": claims,
            "nonce": nonce or query["nonce"][0],
            "redirect_uri": query["redirect_uri"][0],
        }
        return code

    def sign(self, payload: dict) -> str:
        now = int(time.time())
        payload = {"iss": self.url, "aud": self.audience, "iat": now, "exp": now + 300, **payload}
        return jwt.encode(payload, self.signing_key, algorithm="RS256", headers={"kid": "k1"})

    def _token(self, form: dict) -> tuple[int, str, str]:
        self.token_requests.append(form)
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return 400, "application/json", json.dumps({"error": "invalid_grant"})
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant["claims"]
        id_token = self.sign({"sub": grant["claims"]["sub"], "nonce": grant["nonce"]})
        body = {"access_token": access_token, "id_token": id_token, "token_type": "Bearer"}
        return 200, "application/json", json.dumps(body)

    def _userinfo(self, authorization: str) -> tuple[int, str, str]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, "application/json", "{}"
        if self.userinfo_as_jwt:  # as ProConnect does
            return 200, "application/jwt", self.sign(claims)
        return 200, "application/json", json.dumps(claims)

    def _jwks(self) -> tuple[int, str, str]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": "k1", "alg": "RS256", "use": "sig"})
        return 200, "application/json", json.dumps({"keys": [jwk]})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, answer: tuple[int, str, str]) -> None:
                status, content_type, body = answer
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                assert self.path == "/token"
                self._send(provider._token(form))

            def do_GET(self) -> None:
                if self.path == "/userinfo":
                    self._send(provider._userinfo(self.headers.get("Authorization", "")))
                else:
                    assert self.path == "/jwks"
                    self._send(provider._jwks())

            def log_message(self, format, *args) -> None:
                pass

        return Handler


@pytest.fixture
def provider(settings, monkeypatch):
    provider = Provider()
    thread = threading.Thread(
        target=provider.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    settings.ROOT_URLCONF = __name__
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "coparcours.accounts.oidc.ProConnectBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email given_name usual_name"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    settings.OIDC_CREATE_USER = False
    settings.LOGIN_REDIRECT_URL_FAILURE = "/compte/connexion/"
    yield provider
    provider.server.shutdown()
    provider.server.server_close()
    thread.join()


def claims_for(email: str, **extra) -> dict:
    return {"sub": f"pc-{email}", "email": email, "given_name": "Nadia", **extra}


def start(client: Client, next_url: str = "/") -> str:
    """Click « S'identifier avec ProConnect »: returns the provider's authorisation URL."""
    response = client.get("/proconnect/authenticate/", {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def come_back(client: Client, authorize_url: str, code: str):
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    return client.get(CALLBACK, {"code": code, "state": state})


def logged_in_user(client: Client):
    return client.get("/compte/connexion/").wsgi_request.user


def french_errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_login_page_offers_proconnect_only_when_enabled(demo, settings):
    assert "S'identifier avec ProConnect" not in Client().get("/compte/connexion/").content.decode()
    settings.ROOT_URLCONF = __name__
    settings.OIDC_ENABLED = True
    body = Client().get("/compte/connexion/").content.decode()
    assert "S'identifier avec ProConnect" in body
    assert 'href="/proconnect/authenticate/"' in body


@pytest.mark.django_db
def test_known_address_logs_in(coordinator, provider):
    client = Client()
    authorize_url = start(client, "/compte/jetons/")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK}"]
    assert query["scope"] == ["openid email given_name usual_name"]
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32

    code = provider.sign_in(
        authorize_url, claims_for("Coordination@Demo.Coparcours.fr", usual_name="Benali-Roy")
    )
    response = come_back(client, authorize_url, code)
    assert response.status_code == 302
    assert response["Location"] == "/compte/jetons/"
    assert logged_in_user(client) == coordinator
    coordinator.refresh_from_db()
    assert coordinator.last_name == "Benali-Roy"
    assert provider.token_requests[0]["code"] == code
    assert AuditLog.objects.filter(event=AuditEvent.LOGIN, user=coordinator).exists()


@pytest.mark.django_db
def test_userinfo_signed_as_a_jwt_is_accepted(coordinator, provider):
    provider.userinfo_as_jwt = True
    client = Client()
    authorize_url = start(client)
    come_back(client, authorize_url, provider.sign_in(authorize_url, claims_for(coordinator.email)))
    assert logged_in_user(client) == coordinator


@pytest.mark.django_db
def test_unknown_address_is_refused_in_french(demo, provider):
    client = Client()
    authorize_url = start(client)
    code = provider.sign_in(authorize_url, claims_for("inconnue@exemple.fr"))
    response = come_back(client, authorize_url, code)
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/"
    assert "aucun compte Coparcours actif ne correspond" in french_errors(response)[0]
    assert not logged_in_user(client).is_authenticated
    assert not User.objects.filter(email="inconnue@exemple.fr").exists()


@pytest.mark.django_db
def test_unknown_address_gets_an_account_when_creation_is_on(demo, provider, settings):
    settings.OIDC_CREATE_USER = True
    client = Client()
    authorize_url = start(client)
    code = provider.sign_in(authorize_url, claims_for("Nouvelle@Exemple.fr", usual_name="Roy"))
    assert come_back(client, authorize_url, code)["Location"] == "/"
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert (user.first_name, user.last_name) == ("Nadia", "Roy")
    assert not user.has_usable_password()
    assert not user.memberships.exists()
    assert logged_in_user(client) == user


@pytest.mark.django_db
def test_deactivated_account_stays_refused_even_with_creation_on(coordinator, provider, settings):
    settings.OIDC_CREATE_USER = True
    coordinator.is_active = False
    coordinator.save()
    client = Client()
    authorize_url = start(client)
    code = provider.sign_in(authorize_url, claims_for(coordinator.email))
    response = come_back(client, authorize_url, code)
    assert response["Location"] == "/compte/connexion/"
    assert not logged_in_user(client).is_authenticated
    assert User.objects.filter(email__iexact=coordinator.email).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", ["other_nonce", "other_audience", "other_key"])
def test_untrustworthy_id_token_is_refused(coordinator, provider, forgery):
    client = Client()
    authorize_url = start(client)
    nonce = None
    if forgery == "other_nonce":
        nonce = "a-nonce-from-another-request"
    elif forgery == "other_audience":
        provider.audience = "another-application"
    else:
        provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    code = provider.sign_in(authorize_url, claims_for(coordinator.email), nonce=nonce)
    response = come_back(client, authorize_url, code)
    assert response.status_code == 400  # SuspiciousOperation
    assert not logged_in_user(client).is_authenticated


@pytest.mark.django_db
def test_state_serves_only_once(coordinator, provider):
    client = Client()
    authorize_url = start(client)
    code = provider.sign_in(authorize_url, claims_for(coordinator.email))
    assert come_back(client, authorize_url, code).status_code == 302
    assert come_back(client, authorize_url, code).status_code == 400
    assert len(provider.token_requests) == 1


@pytest.mark.django_db
def test_callback_replayed_in_another_browser_is_refused(coordinator, provider):
    authorize_url = start(Client())
    code = provider.sign_in(authorize_url, claims_for(coordinator.email))
    client = Client()
    response = come_back(client, authorize_url, code)
    assert response["Location"] == "/compte/connexion/"
    assert not logged_in_user(client).is_authenticated
    assert provider.token_requests == []


@pytest.mark.django_db
def test_two_factor_still_applies_after_proconnect(coordinator, provider, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    authorize_url = start(client)
    come_back(client, authorize_url, provider.sign_in(authorize_url, claims_for(coordinator.email)))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/double-authentification/")


def _run_django(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "coparcours.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


CHECK_ROUTES = """
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    view = resolve("/proconnect/callback/").func.view_class
    print(view.__module__ + "." + view.__name__, settings.AUTHENTICATION_BACKENDS[-1])
except Resolver404:
    print("absent", settings.AUTHENTICATION_BACKENDS[-1])
"""


def test_environment_switches_proconnect_on():
    """Settings read OIDC_* at import, so each case starts a fresh interpreter."""
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://proconnect.example/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://proconnect.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://proconnect.example/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://proconnect.example/jwks",
    }
    off = {"OIDC_RP_CLIENT_ID": ""}
    assert _run_django(off, CHECK_ROUTES) == ("absent django.contrib.auth.backends.ModelBackend")
    on = {"OIDC_RP_CLIENT_ID": CLIENT_ID, **endpoints}
    assert _run_django(on, CHECK_ROUTES) == (
        "coparcours.accounts.oidc.ProConnectCallbackView coparcours.accounts.oidc.ProConnectBackend"
    )
