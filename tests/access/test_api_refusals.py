"""The API's declarations proved through the API, as the roles of the Nord demo with
personal tokens: a role whose memberships lack an operation's capability is refused (403
``capability_refused``) before any lookup and nothing is written; where the capability is
held, an unknown id and a hidden one answer the same 404; the CEJ-JR outreach is no oracle
of who is accompanied elsewhere."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.accounts.models import APIToken
from coparcours.api import api
from coparcours.cej.factories import PathwayFactory
from coparcours.cej.models import Contact, Pathway
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.factories import ConsortiumFactory, OrganisationFactory
from coparcours.organisations.models import ConsortiumKind, OrganisationKind
from coparcours.youths.factories import YouthFactory
from coparcours.youths.models import Youth


def _client(user) -> Client:
    _token, raw = APIToken.issue(user, "Test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _lucas(demo) -> Pathway:
    return Pathway.objects.get(partnership=demo.cej_jr, youth__last_name="Martin")


CONTACT = {"occurred_on": "2025-01-06", "channel": "call", "answered": True}


@pytest.mark.parametrize("login", ["departement", "dreets", "dpo", "admin", "finances"])
def test_a_role_without_the_capability_writes_nothing_in_a_pathway(demo, login):
    pathway = _lucas(demo)
    before = Contact.objects.count()
    answer = _client(demo.users[login]).post(
        f"/api/v1/cej/pathways/{pathway.pk}/contacts", CONTACT, content_type="application/json"
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "capability_refused"
    assert "Parcours CEJ-JR" in answer.json()["detail"]
    assert Contact.objects.count() == before
    refusal = AuditLog.objects.get(user=demo.users[login], event=AuditEvent.DENIED)
    assert refusal.category == "identity" and refusal.youth_id is None


def test_the_refusal_comes_before_the_record_is_looked_up(demo):
    """A funder asking for a pathway that exists and for one that does not gets the same
    answer: the capability gate answers before any lookup."""
    client = _client(demo.users["departement"])
    known = client.get(f"/api/v1/cej/pathways/{_lucas(demo).pk}")
    unknown = client.get("/api/v1/cej/pathways/987654")
    assert (known.status_code, unknown.status_code) == (403, 403)
    assert known.json() == unknown.json()


def test_a_membership_named_must_hold_the_capability(demo):
    """The referent is a referent of the porteur (CEJ-JR) and of ASRL (GME member): acting
    for ASRL, she may not write in a pathway; acting for the porteur, she may."""
    referent = demo.users["referente"]
    pathway = _lucas(demo)
    url = f"/api/v1/cej/pathways/{pathway.pk}/contacts"
    client = _client(referent)
    as_asrl = client.post(
        url, {**CONTACT, "organisation_id": demo.asrl.pk}, content_type="application/json"
    )
    assert as_asrl.status_code == 403 and as_asrl.json()["code"] == "capability_refused"
    unnamed = client.post(url, CONTACT, content_type="application/json")
    assert unnamed.status_code == 400 and unnamed.json()["code"] == "organisation_required"
    as_porteur = client.post(
        url, {**CONTACT, "organisation_id": demo.porteur.pk}, content_type="application/json"
    )
    assert as_porteur.status_code == 201, as_porteur.content


@pytest.fixture
def hidden_youth(demo) -> Youth:
    """A youth of an organisation outside the demo: no demo membership may see it."""
    elsewhere = OrganisationFactory(name="Association d'ailleurs")
    return YouthFactory(owner_organisation=elsewhere, last_name="Cachénom")


@pytest.mark.parametrize(
    ("login", "path"),
    [
        ("referente", "/api/v1/youths/{id}"),
        ("referente", "/api/v1/youths/{id}/consents"),
        ("coordination", "/api/v1/youths/{id}/assignments"),
        ("conseiller", "/api/v1/directory/youths/{id}/orientation"),
        ("referente", "/api/v1/directory/youths/{id}/referrals"),
        ("referente", "/api/v1/youths/{id}/erasure-requests"),
    ],
)
def test_an_unknown_id_and_a_hidden_one_answer_the_same_404(demo, hidden_youth, login, path):
    client = _client(demo.users[login])
    hidden = client.get(path.format(id=hidden_youth.pk))
    unknown = client.get(path.format(id=987654))
    assert (hidden.status_code, unknown.status_code) == (404, 404)
    assert hidden.json() == unknown.json()


@pytest.mark.parametrize("path", ["", "/contacts", "/eligibility", "/plan", "/reviews"])
def test_a_hidden_pathway_and_an_unknown_one_answer_the_same_404(demo, hidden_youth, path):
    """A counsellor of the demo's mission locale holds the CEJ-JR feature: a pathway of
    another partnership and a number naming nothing answer alike."""
    partnership = ConsortiumFactory(kind=ConsortiumKind.CEJ_JR, name="Autre partenariat")
    hidden = PathwayFactory(
        youth=hidden_youth,
        partnership=partnership,
        mission_locale=OrganisationFactory(kind=OrganisationKind.MISSION_LOCALE),
    )
    client = _client(demo.users["conseiller"])
    answers = [client.get(f"/api/v1/cej/pathways/{pk}{path}") for pk in (hidden.pk, 987654)]
    assert [answer.status_code for answer in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()


# --- The CEJ-JR outreach is no existence oracle ------------------------------------------


def _outreach(demo, names: dict, **extra) -> dict:
    return {
        "partnership_id": demo.cej_jr.pk,
        **names,
        "birth_date": "2005-03-01",
        "identified_on": datetime.date.today().isoformat(),
        "spotted_where": "Lille-Moulins",
        "spotted_by": "Prévention spécialisée",
        "spotted_how": "street",
        "registration": "registered",
        **extra,
    }


@pytest.fixture
def known(demo) -> dict:
    """A youth another organisation accompanies, whose names the callers below search."""
    elsewhere = OrganisationFactory(name="Association connue")
    YouthFactory(
        owner_organisation=elsewhere,
        last_name="Oraclenom",
        first_names="Oracleprenom",
        birth_date=datetime.date(2005, 3, 1),
    )
    return {"last_name": "Oraclenom", "first_names": "Oracleprenom"}


UNKNOWN = {"last_name": "Inconnunom", "first_names": "Personne"}


def _names_in_the_log() -> list[AuditLog]:
    return [
        line
        for line in AuditLog.objects.all()
        for name in ("oraclenom", "oracleprenom", "inconnunom")
        if name in f"{line.path} {line.reason} {line.object_id}".casefold()
    ]


@pytest.mark.parametrize("login", ["departement", "dreets", "dpo", "admin", "finances"])
def test_outreach_refuses_whether_the_name_exists_or_not(demo, known, login):
    client = _client(demo.users[login])
    youths = Youth.objects.count()
    answers = [
        client.post("/api/v1/cej/pathways", _outreach(demo, names), content_type="application/json")
        for names in (known, UNKNOWN)
    ]
    assert [answer.status_code for answer in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["code"] == "capability_refused"
    assert "duplicates_elsewhere" not in answers[0].content.decode()
    assert Youth.objects.count() == youths
    searches = AuditLog.objects.filter(reason__startswith="Recherche de doublons")
    assert not searches.exists()
    assert _names_in_the_log() == []


def test_a_porteur_s_referent_is_warned_and_the_search_is_audited(demo, known):
    referent = demo.users["referente"]
    client = _client(referent)
    answer = client.post(
        "/api/v1/cej/pathways",
        _outreach(demo, known, organisation_id=demo.porteur.pk),
        content_type="application/json",
    )
    assert answer.status_code == 409, answer.content
    assert answer.json()["duplicates_elsewhere"] == 1
    assert answer.json()["visible_duplicates"] == []
    line = AuditLog.objects.get(user=referent, reason__startswith="Recherche de doublons")
    assert line.event == AuditEvent.LIST
    assert line.organisation_id == demo.porteur.pk and line.youth_id is None
    assert _names_in_the_log() == []


def test_a_referent_acting_for_a_gme_member_may_not_search(demo, known):
    """The same person, acting for ASRL (no CEJ-JR partnership), is refused before any
    lookup."""
    answer = _client(demo.users["referente"]).post(
        "/api/v1/cej/pathways",
        _outreach(demo, known, organisation_id=demo.asrl.pk),
        content_type="application/json",
    )
    assert answer.status_code == 403 and answer.json()["code"] == "capability_refused"
    assert not AuditLog.objects.filter(reason__startswith="Recherche de doublons").exists()


def test_outreach_names_a_youth_or_gives_the_names(demo):
    answer = _client(demo.users["referente"]).post(
        "/api/v1/cej/pathways",
        _outreach(
            demo, {"last_name": "  ", "first_names": "Personne"}, organisation_id=demo.porteur.pk
        ),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"]


def test_a_session_acts_for_the_membership_chosen_in_the_browser(demo, client):
    """Without organisation_id, a browser session acts for the membership chosen in the
    header: the referent working for the porteur writes in the pathway."""
    referent = demo.users["referente"]
    client.force_login(referent)
    porteur = referent.memberships.get(organisation=demo.porteur)
    session = client.session
    session["current_membership_id"] = porteur.pk
    session.save()
    answer = client.post(
        f"/api/v1/cej/pathways/{_lucas(demo).pk}/contacts", CONTACT, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content


# --- Rules the schema states --------------------------------------------------------------


def test_a_follow_up_week_is_a_monday(demo):
    schema = api.get_openapi_schema()["components"]["schemas"]["FollowUpIn"]
    assert "lundi" in schema["properties"]["week"]["description"]
    client = _client(demo.users["referente"])
    tuesday = datetime.date(2025, 1, 7)
    answer = client.post(
        "/api/v1/cej/follow-ups",
        {"organisation_id": demo.porteur.pk, "week": tuesday.isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "week"]
    assert "lundi" in answer.json()["detail"][0]["msg"]


def test_a_youth_opened_through_the_api_has_names(demo):
    answer = _client(demo.users["referente"]).post(
        "/api/v1/youths",
        {"organisation_id": demo.porteur.pk, "last_name": " ", "first_names": "Personne"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"].startswith("Ce texte est trop court")
    schema = api.get_openapi_schema()["components"]["schemas"]["YouthIn"]
    assert schema["properties"]["last_name"]["minLength"] == 1
