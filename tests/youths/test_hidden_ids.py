"""A youth the reader may not see and an id that names nobody get the same answer, 404, on
every route of the youths app, web and API: the answer is no oracle of who is accompanied
elsewhere (Code pénal 226-13); and a request for an unknown id writes no line into any
youth's access log."""

from __future__ import annotations

import datetime

import pytest

from coparcours.core.models import AuditLog
from coparcours.organisations.models import Role
from coparcours.youths.models import ErasureRequest, Youth
from tests.access.declared import declared_api_status

from .test_access_matrix import CONSENTED

TODAY = datetime.date.today().isoformat()

# (method, address, body); {y} the youth, {d} its health document, {a} its co-accompaniment,
# {c} its consent, {r} its erasure request
ROUTES = [
    ("get", "/jeunes/{y}/", None),
    ("get", "/jeunes/{y}/modifier/identity/", None),
    ("post", "/jeunes/{y}/modifier/contact/", {"phone": "0600000000"}),
    ("get", "/jeunes/{y}/notes/ajouter/", None),
    ("get", "/jeunes/{y}/documents/ajouter/", None),
    ("get", "/jeunes/{y}/documents/{d}/", None),
    ("get", "/jeunes/{y}/co-accompagnement/ajouter/", None),
    ("get", "/jeunes/{y}/co-accompagnement/{a}/terminer/", None),
    ("get", "/jeunes/{y}/consentements/ajouter/", None),
    ("get", "/jeunes/{y}/consentements/formulaire.pdf", None),
    ("post", "/jeunes/{y}/consentements/{c}/retirer/", {}),
    ("get", "/jeunes/{y}/journal/", None),
    ("get", "/jeunes/{y}/protection-des-donnees/", None),
    ("get", "/jeunes/{y}/export.json", None),
    ("get", "/jeunes/{y}/export.pdf", None),
    ("get", "/jeunes/{y}/effacement/demander/", None),
    (
        "post",
        "/jeunes/{y}/effacement/demander/",
        {"received_on": TODAY, "requester": "youth", "reason": "Oubli"},
    ),
    ("get", "/jeunes/{y}/effacement/{r}/decider/", None),
    ("get", "/api/v1/youths/{y}", None),
    ("get", "/api/v1/youths/{y}/consents", None),
    (
        "post",
        "/api/v1/youths/{y}/consents",
        {"recipient_organisation_id": 0, "categories": ["contact"], "purpose": "Suivi"},
    ),
    ("post", "/api/v1/youths/{y}/consents/{c}/withdraw", {}),
    ("get", "/api/v1/youths/{y}/assignments", None),
    (
        "post",
        "/api/v1/youths/{y}/assignments",
        {"organisation_id": 0, "role": "Santé", "start_date": "2025-01-01"},
    ),
    ("get", "/api/v1/youths/{y}/documents", None),
    ("get", "/api/v1/youths/{y}/documents/{d}/file", None),
    ("get", "/api/v1/youths/{y}/export", None),
    ("get", "/api/v1/youths/{y}/erasure-requests", None),
    (
        "post",
        "/api/v1/youths/{y}/erasure-requests",
        {"received_on": TODAY, "requester": "youth", "reason": "Oubli"},
    ),
    (
        "post",
        "/api/v1/youths/{y}/erasure-requests/{r}/decision",
        {"approve": True, "motive": "Accordé"},
    ),
]


#: Casework pages, which a role without casework may be refused before any youth is named.
CASEWORK_PAGES = ("modifier/", "notes/", "documents/", "co-accompagnement/", "consentements/")


def _casework_page(template: str) -> bool:
    page = template.removeprefix("/jeunes/{y}/")
    return page != template and (page == "" or page.startswith(CASEWORK_PAGES))


def _call(client, method, template, body, ids):
    url = template.format(**ids)
    if body is None:
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, method)(url, body, content_type="application/json")
    return getattr(client, method)(url, body)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REFERENT, Role.DATA_PROTECTION_OFFICER])
@pytest.mark.parametrize(("method", "template", "body"), ROUTES)
def test_a_hidden_youth_and_an_unknown_id_get_the_same_404(
    build_world, member_client, role, method, template, body
):
    world = build_world("granted", CONSENTED)
    youth = world.youth
    erasure = ErasureRequest.objects.create(
        youth=youth,
        received_on=datetime.date(2025, 1, 1),
        requester="youth",
        reason="Oubli",
        author_organisation=world.owner,
    )
    client, user = member_client(world.unrelated, role)
    related = {
        "d": youth.documents.get(category="health").pk,
        "a": youth.assignments.get().pk,
        "c": youth.consents.get().pk,
        "r": erasure.pk,
    }
    unknown = Youth.objects.order_by("-pk").first().pk + 1000

    hidden = _call(client, method, template, body, {**related, "y": youth.pk})
    lines_before = AuditLog.objects.filter(youth_id__isnull=False).count()
    nobody = _call(client, method, template, body, {**related, "y": unknown})

    assert hidden.status_code == nobody.status_code, template
    if template.startswith("/api/"):  # refused by its declaration, whatever the id, or 404
        url = template.format(**related, y=youth.pk)
        assert hidden.status_code == declared_api_status(user, method, url, 404), template
    elif role == Role.REFERENT or not _casework_page(template):
        assert hidden.status_code == 404, template
    else:  # the data-protection officer has no casework: refused by role, whatever the id
        assert hidden.status_code in {403, 404}, template
    if template.startswith("/api/"):
        assert hidden.json() == nobody.json()
    assert AuditLog.objects.filter(youth_id__isnull=False).count() == lines_before
    assert "Secretnom".casefold() not in hidden.content.decode().casefold()


@pytest.mark.django_db
def test_a_refused_exceptional_read_of_an_unknown_id_writes_in_no_youth_s_log(
    build_world, member_client
):
    """Someone not administrator is refused the exceptional read whatever the number; for a
    number naming nobody, the refusal is logged without a youth (the id may be given to a
    record later, whose log would then show it)."""
    world = build_world()
    client, user = member_client(world.unrelated, Role.REFERENT)
    unknown = Youth.objects.order_by("-pk").first().pk + 1000
    form = {"category": "health", "reason": "Vérification demandée par le jeune."}
    hidden = client.post("/jeunes/acces-exceptionnel/", {**form, "dossier": world.youth.pk})
    nobody = client.post("/jeunes/acces-exceptionnel/", {**form, "dossier": unknown})
    assert (hidden.status_code, nobody.status_code) == (403, 403)
    refusals = AuditLog.objects.filter(user=user, event="denied").order_by("id")
    assert [line.youth_id for line in refusals] == [world.youth.pk, None]
