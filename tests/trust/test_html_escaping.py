"""HTML is escaped everywhere.

Script payloads are posted through the record's forms (new record, note) and written into
every free-text field of the Nord demo (names, titles, notes, purposes, labels,
agendas, descriptions… of youths, housing, CEJ-JR, directory, finance and organisations).
Then the pages each role reaches from its home page are crawled: none may contain a
payload as markup, and the escaped form must be seen, proving the payloads were shown.
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.apps import apps
from django.db import models, transaction

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;alert(", "&lt;img src=x onerror")
#: Free text by its field name (codes, references and numbers are left alone).
TEXT_FIELDS = {
    "name",
    "title",
    "text",
    "purpose",
    "notes",
    "comment",
    "label",
    "description",
    "last_name",
    "first_names",
    "first_name",
    "agenda",
    "minutes",
    "reason",
    "participants",
    "body",
    "location",
    "presentation",
    "summary",
    "role",
}
APPS = ["accounts", "organisations", "youths", "housing", "cej", "directory", "finance"]
SKIPPED_LINKS = re.compile(
    r"/(compte/deconnexion|admin|api)/|\.(pdf|xlsx|csv|ics|json|png|zip)(\?|$)|/export|/fichier"
)
PAGES_PER_ROLE = 40


def poison_free_text() -> int:
    """Write the payloads into every free-text field of every stored row; returns the count."""
    written = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            for field in model._meta.concrete_fields:
                if (
                    field.name not in TEXT_FIELDS
                    or not isinstance(field, models.CharField | models.TextField)
                    or field.choices
                    or field.unique
                    or (field.max_length or 1000) < len(IMAGE) + 8
                ):
                    continue
                payload = SCRIPT if isinstance(field, models.TextField) else f"A{IMAGE}"
                try:
                    with transaction.atomic():
                        written += model._base_manager.update(**{field.name: payload})
                except Exception:  # append-only tables (audit log, immutable invoices) refuse
                    continue
    return written


def crawl(client, start: str = "/") -> dict[str, str]:
    """The HTML pages reached by following same-site links from ``start``."""
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            seen[url] = ""
            continue
        html = response.content.decode()
        seen[url] = html
        for link in re.findall(r'href="(/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIPPED_LINKS.search(link):
                queue.append(link)
    return seen


@pytest.mark.django_db
def test_payloads_posted_in_the_record_forms_are_shown_escaped(demo, login_client):
    from coparcours.youths.models import Youth

    client = login_client(demo.users["referente"])
    response = client.post(
        "/jeunes/nouveau/",
        {
            "last_name": SCRIPT[:60],
            "first_names": f"A{IMAGE}",
            "sex": "X",
            "situation": "job_seeker",
            "address": SCRIPT,
            "guardian": IMAGE,
            "birth_date": "2008-05-04",
            "confirm_not_duplicate": "on",
        },
    )
    youth = Youth.objects.filter(first_names=f"A{IMAGE}").first()
    assert youth is not None, response.content.decode()[:3000]
    response = client.post(
        f"/jeunes/{youth.pk}/notes/ajouter/",
        {"category": "notes", "occurred_on": "2025-01-06", "title": IMAGE, "text": SCRIPT},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    for url in ("/jeunes/", f"/jeunes/{youth.pk}/"):
        page = client.get(url).content.decode()
        assert not any(raw in page for raw in RAW), url
        assert "&lt;img src=x onerror" in page, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "login", ["referente", "conseiller", "coordination", "finances", "departement"]
)
def test_no_page_shows_a_stored_payload_as_markup(demo, login_client, login):
    assert demo.users[login].memberships.exists()
    client = login_client(demo.users[login])
    assert poison_free_text() > 50
    pages = crawl(client)
    assert len(pages) > 5
    raw = [url for url, html in pages.items() if any(payload in html for payload in RAW)]
    assert not raw, f"payload rendered as markup on {raw}"
    assert any(any(text in html for text in ESCAPED) for html in pages.values())
