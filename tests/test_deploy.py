"""The container's files agree with the project: requirements.lock, which the image installs,
pins what pyproject.toml asks for within its ranges; the web container's health check asks
``/sante/`` as the reverse proxy does and passes on a 200 only."""

from __future__ import annotations

import importlib.util
import re
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[\w.-]+==[\w.+-]+", line), f"not an exact pin: {line}"
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_the_lock_pins_each_dependency_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = _pins()
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    wrong = []
    for spec in wanted:
        requirement = Requirement(spec)
        names = [requirement.name, *(f"{requirement.name}-{extra}" for extra in requirement.extras)]
        for name in names:  # psycopg[binary] is psycopg and psycopg-binary
            version = pins.get(canonicalize_name(name))
            if version is None or version not in requirement.specifier:
                wrong.append(f"{spec}: {name} {version or 'not pinned'}")
    assert wrong == [], "run `make lock`:\n" + "\n".join(wrong)


def _healthcheck():
    spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "deploy/healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("coparcours.example.org,autre.example.org", "coparcours.example.org"),
        (" .example.org", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_check_asks_for_the_first_public_host(monkeypatch, allowed, host):
    monkeypatch.setenv("ALLOWED_HOSTS", allowed)
    assert _healthcheck().public_host() == host


@pytest.mark.parametrize(("status", "code"), [(200, 0), (503, 1), (301, 1)])
def test_the_health_check_passes_on_a_200_only(monkeypatch, capsys, status, code):
    seen = {}

    class Server(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.update(path=self.path, host=self.headers["Host"])
            seen["proto"] = self.headers["X-Forwarded-Proto"]
            self.send_response(status)
            self.send_header("Location", "https://coparcours.example.org/sante/")
            self.end_headers()
            self.wfile.write(b'{"database": "ok"}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Server)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    monkeypatch.setenv("ALLOWED_HOSTS", "coparcours.example.org")
    monkeypatch.setenv("GUNICORN_BIND", f"0.0.0.0:{server.server_port}")
    try:
        assert _healthcheck().main() == code
    finally:
        thread.join(5)
        server.server_close()
    assert seen == {"path": "/sante/", "host": "coparcours.example.org", "proto": "https"}
    assert capsys.readouterr().out.startswith(str(status))
