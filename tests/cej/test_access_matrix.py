"""The CEJ-JR routes in the access matrix: every role × relationship × consent state against
every web and API route of a pathway's data (docs/domain-rules.md, "Professional secrecy:
who sees a youth's data").

The porteur owns the youth's record and authors the pathway (category education and
employment) and its administrative file (administrative documents); the mission locale
accompanies the youth as CEJ-JR partner and sees them only under the youth's consent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.cej.models import (
    Activity,
    CalendarFeed,
    Contact,
    EligibilityCheck,
    MissedAction,
    PaceaAllowanceRequest,
    Pathway,
)
from coparcours.cej.models.committee import DecisionKind
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.services.allowances import request_pacea_allowance
from coparcours.cej.services.committee import create_meeting, record_decision
from coparcours.cej.services.dossier import collect_item, prepare_dossier
from coparcours.cej.services.hours import add_activity
from coparcours.cej.services.plan import add_plan_action, start_plan
from coparcours.core.access import Category
from coparcours.core.access.capabilities import Capability, roles_holding
from coparcours.organisations.factories import MembershipFactory
from coparcours.youths.factories import ConsentFactory

from ..access.declared import declared_api_status, declared_status
from ..youths.test_access_matrix import EXPECTED_RIGHTS, R, W
from .conftest import TODAY, give_link

EE, DOCS = Category.EDUCATION_EMPLOYMENT, Category.ADMIN_DOCUMENTS
RELATIONSHIPS = {"owner": "porteur", "partner": "mission_locale", "unrelated": "unrelated"}
RELATIONSHIPS["funder"] = "funder"
# The consent names the mission locale: it changes nothing for the other relationships. A
# role that holds the CEJ-JR capability in no organisation is refused by the route's gate
# before any pathway is looked up: one organisation (the porteur) asks for it.
CEJ_ROLES = roles_holding(Capability.CEJ)
MATRIX = [
    (role, relationship, consent)
    for role in EXPECTED_RIGHTS
    for relationship in (RELATIONSHIPS if role in CEJ_ROLES else ["owner"])
    for consent in (["none", "granted"] if relationship == "partner" else ["granted"])
]
COMMITTEE = {"referent", "coordinator", "director", "counsellor"}


def accompanies(relationship: str) -> bool:
    return relationship in {"owner", "partner"}


def may(role: str, relationship: str, consent: str, category: str, action: str) -> bool:
    """May this user read/write the porteur's data of this category?"""
    if not accompanies(relationship) or action not in EXPECTED_RIGHTS[role].get(category, set()):
        return False
    return relationship == "owner" or consent == "granted"


def _world(world, consent: str):
    pathway = world.outreach(registration="never")
    meeting = create_meeting(world.referent, world.porteur, world.partnership, date=TODAY)
    record_decision(
        world.referent,
        world.porteur,
        meeting,
        pathway,
        kind=DecisionKind.REMOBILISATION,
        decided_by="Comité",
    )
    pathway.refresh_from_db()
    items = prepare_dossier(world.referent, world.porteur, pathway)
    collect_item(world.referent, world.porteur, items[0], on=TODAY)
    if consent == "granted":
        ConsentFactory(
            youth=pathway.youth,
            organisation=world.mission_locale,
            categories=[EE, DOCS],
            start_date=TODAY,
            author_organisation=world.porteur,
        )
    pacea = request_pacea_allowance(
        world.referent,
        world.porteur,
        pathway,
        requested_on=TODAY,
        requested_by="Référente",
        amount=Decimal("50"),
    )
    missed = MissedAction.objects.create(
        youth=pathway.youth,
        author_organisation=world.porteur,
        pathway=pathway,
        occurred_on=TODAY,
        description="Atelier manqué",
        breach_number=1,
        proposed_effect="reduction",
    )
    return pathway, meeting, items[1], pacea, missed


def _client(organisation, role) -> Client:
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    client = Client()
    client.force_login(user)
    client.member = user
    return client


def _expect(client: Client, url: str, sees: bool, reads: bool) -> None:
    """The policy's answer; for a page, first its declaration's (403 without the feature)."""
    response = client.get(url)
    expected = 200 if reads else (403 if sees else 404)
    if url.startswith("/api/"):
        expected = declared_api_status(client.member, "GET", url, expected)
    else:
        expected = declared_status(client.member, url, expected)
    assert response.status_code == expected, (url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship", "consent"), MATRIX)
def test_cej_routes_follow_the_policy(role, relationship, consent, world):
    pathway, meeting, missing_item, pacea, missed = _world(world, consent)
    client = _client(getattr(world, RELATIONSHIPS[relationship]), role)
    sees = accompanies(relationship) and bool(EXPECTED_RIGHTS[role])
    reads = may(role, relationship, consent, EE, R)
    writes = may(role, relationship, consent, EE, W)
    name = pathway.youth.last_name.upper()
    base = f"/cej/parcours/{pathway.pk}/"
    api = f"/api/v1/cej/pathways/{pathway.pk}"

    listing = client.get("/cej/")
    lists = declared_status(client.member, "/cej/", 200) == 200  # the CEJ-JR feature
    assert listing.status_code == (200 if lists else 403)
    listing = listing.content.decode()
    assert (name in listing) == (sees and lists)
    assert ("Remobilisation</td>" in listing) == (reads and lists)
    api_listing = client.get("/api/v1/cej/pathways")
    if declared_api_status(client.member, "GET", "/api/v1/cej/pathways", 200) == 403:
        assert api_listing.status_code == 403 and not lists
    else:
        assert [row["stage"] for row in api_listing.json()["items"]] == (
            (["remobilisation"] if reads else [None]) if sees else []
        )

    for url in (
        "",
        "contacts/ajouter/",
        "contacts/importer/",
        "appreciation/",
        "contrat/",
        "contrat/prolongation/",
    ):
        _expect(client, base + url, sees, reads)
    _expect(client, base + "pacea/ajouter/", sees, reads)
    # a missed action, its sanction and the allowance are the mission locale's to decide
    # (core/access/sides.py): the porteur's team is refused before the form
    for url in (
        "manquements/ajouter/",
        f"manquements/{missed.pk}/decision/",
        f"pacea/{pacea.pk}/decision/",
    ):
        _expect(client, base + url, sees, reads and relationship == "partner")
    for url in (
        "",
        "/contacts",
        "/eligibility",
        "/checks",
        "/decisions",
        "/missed-actions",
        "/pacea-requests",
    ):
        _expect(client, api + url, sees, reads)
    if reads:  # the porteur's rows show to the mission locale only with the consent
        assert [r["id"] for r in client.get(api + "/pacea-requests").json()] == [pacea.pk]
    if reads:
        assert client.get(base + "attestation.pdf")["Content-Type"] == "application/pdf"
    else:
        _expect(client, base + "attestation.pdf", sees, reads)

    reads_docs = reads and may(role, relationship, consent, DOCS, R)
    _expect(client, api + "/dossier", sees, reads_docs)
    pack = client.get(base + "dossier/dossier.pdf")
    assert (pack.status_code == 200) == reads_docs, pack.status_code

    client.post(
        base + "contacts/ajouter/",
        {"occurred_on": TODAY.isoformat(), "channel": "call", "answered": "on"},
    )
    client.post(
        api + "/contacts",
        {"occurred_on": TODAY.isoformat(), "channel": "sms"},
        content_type="application/json",
    )
    assert Contact.objects.count() == (2 if writes else 0)
    client.post(
        base + "pacea/ajouter/",
        {"requested_on": TODAY.isoformat(), "requested_by": "X", "amount": "10"},
    )
    client.post(
        api + "/pacea-requests",
        {"requested_on": TODAY.isoformat(), "requested_by": "X", "amount": "10"},
        content_type="application/json",
    )
    assert PaceaAllowanceRequest.objects.count() == 1 + (2 if writes else 0)
    # only the mission locale decides; the porteur's request needs the youth's consent
    client.post(base + f"pacea/{pacea.pk}/decision/", {"granted": "1", "decided_on": TODAY})
    pacea.refresh_from_db()
    assert (pacea.decision == "granted") == (relationship == "partner" and writes)
    checks = EligibilityCheck.objects.count()
    client.post(base + "eligibilite/")
    assert EligibilityCheck.objects.count() == checks + (1 if writes else 0)

    # the file is the porteur's: only its writers collect and transmit, and only with consent
    porteur_writer = relationship == "owner" and W in EXPECTED_RIGHTS[role].get(DOCS, set())
    client.post(base + f"dossier/{missing_item.pk}/recueillir/", {"on": TODAY.isoformat()})
    missing_item.refresh_from_db()
    assert (missing_item.status == DossierStatus.COLLECTED) == porteur_writer
    client.post(base + "dossier/transmettre/")
    client.post(api + "/dossier/transmit", {}, content_type="application/json")
    transmitted = pathway.dossier_items.filter(status=DossierStatus.TRANSMITTED).exists()
    assert transmitted == (porteur_writer and consent == "granted")

    prepare = client.post(base + "dossier/preparer/")
    assert (prepare.status_code == 302) == porteur_writer, prepare.status_code

    in_committee = role in COMMITTEE and relationship in {"owner", "partner"}
    page = f"/cej/comites/{meeting.pk}/"
    meeting_page = client.get(page)
    assert meeting_page.status_code == declared_status(
        client.member, page, 200 if in_committee else 404
    )
    assert (name in meeting_page.content.decode()) == (in_committee and reads)
    page = f"/cej/comites/{meeting.pk}/proces-verbal.pdf"
    minutes = client.get(page)
    assert minutes.status_code == declared_status(client.member, page, 200 if in_committee else 404)
    assert (client.get("/cej/comites/nouveau/").status_code == 200) == in_committee
    assert (str(meeting) in client.get("/cej/comites/").content.decode()) == in_committee
    api_url = f"/api/v1/cej/meetings/{meeting.pk}"
    api_meeting = client.get(api_url)
    assert api_meeting.status_code == declared_api_status(
        client.member, "GET", api_url, 200 if in_committee else 404
    )
    if in_committee:
        row = api_meeting.json()["agenda"][0]
        assert (row["youth_id"] == pathway.youth_id) == reads
        assert (row["decision"] is not None) == reads

    client.post(base + "sortie/", {"on": TODAY.isoformat(), "outcome": "job"})
    pathway.refresh_from_db()
    assert (pathway.stage == "exit") == writes
    before = Pathway.objects.count()
    client.post(
        "/cej/reperage/",
        {
            "partnership": world.partnership.pk,
            "last_name": "Nouveau",
            "first_names": "Jeune",
            "identified_on": TODAY.isoformat(),
            "spotted_where": "Rue",
            "spotted_by": "Maraude",
            "spotted_how": "street",
            "registration": "never",
        },
    )
    opens = relationship == "owner" and W in EXPECTED_RIGHTS[role].get(EE, set())
    assert Pathway.objects.count() == before + (1 if opens else 0)


#: Every CEJ-JR web route, and where the matrix above (or the pages test) exercises it.
COVERED_ROUTES = {
    "list",
    "outreach",
    "detail",
    "contact_add",
    "contact_import",
    "eligibility_check",
    "assessment",
    "certificate",
    "dossier_prepare",
    "dossier_collect",
    "dossier_transmit",
    "dossier_pack",
    "contract_sign",
    "contract_extend",
    "exit",
    "meetings",
    "meeting_create",
    "meeting",
    "meeting_minutes",
    "missed_add",
    "missed_decide",
    "pacea_add",
    "pacea_decide",
}


def _accompaniment_world(world, consent: str):
    pathway, meeting, _item, _pacea, _missed = _world(world, consent)
    plan = start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    housing = add_plan_action(
        world.referent,
        world.porteur,
        plan,
        dimension="housing",
        objective="Un logement stable",
        action="Demande SIAO",
        owner_organisation=world.porteur,
        owner=world.referent,
        due_on=TODAY,
    )
    yesterday = timezone.now() - datetime.timedelta(days=1)
    activity = add_activity(
        world.referent,
        world.porteur,
        pathway,
        kind="workshop",
        title="Atelier logement",
        starts_at=yesterday,
        duration_minutes=60,
        responsible=world.porteur,
    )
    return pathway, meeting, housing, activity


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship", "consent"), MATRIX)
def test_co_accompaniment_routes_follow_the_policy(role, relationship, consent, world):
    pathway, _meeting, housing, activity = _accompaniment_world(world, consent)
    client = _client(getattr(world, RELATIONSHIPS[relationship]), role)
    sees = accompanies(relationship) and bool(EXPECTED_RIGHTS[role])
    reads = may(role, relationship, consent, EE, R)
    writes = may(role, relationship, consent, EE, W)
    base = f"/cej/parcours/{pathway.pk}/"
    api = f"/api/v1/cej/pathways/{pathway.pk}"
    review = pathway.reviews.first()
    for url in (
        "accompagnement/",
        "plan/",
        "plan/actions/ajouter/",
        "activites/ajouter/",
        "conseiller/",
        "entretiens/ajouter/",
        f"bilans/{review.pk}/",
    ):
        _expect(client, base + url, sees, reads)
    for url in ("/plan", "/activities", "/weekly-hours", "/reviews"):
        _expect(client, api + url, sees, reads)
    # the week holding the activity (yesterday's, which is last week's on a Monday)
    day = timezone.localtime(activity.starts_at).date()
    planning = client.get(f"/cej/planning/?du={day.isoformat()}").content.decode()
    assert ("Atelier logement" in planning) == reads

    start = timezone.localtime() - datetime.timedelta(hours=4)
    client.post(
        base + "activites/ajouter/",
        {
            "kind": "training",
            "title": "Formation",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "responsible": pathway.mission_locale_id,
        },
    )
    assert Activity.objects.count() == 1 + (1 if writes else 0)
    client.post(base + f"activites/{activity.pk}/presence/", {"attended": "1"})
    activity.refresh_from_db()
    assert (activity.attended is True) == writes
    client.post(base + f"plan/actions/{housing.pk}/etat/", {"status": "done"})
    housing.refresh_from_db()
    housing_writer = relationship == "owner" and W in EXPECTED_RIGHTS[role].get(
        Category.HOUSING, set()
    )
    assert (housing.status == "done") == housing_writer
    client.post(base + "lien-jeune/")
    assert pathway.youth.space_links.exists() == writes
    give_link(world.referent, world.porteur, pathway, replace=True)
    client.post(base + "lien-jeune/fermer/")
    assert pathway.youth.space_links.filter(revoked_at__isnull=False).exists() == writes
    client.post("/cej/agendas/", {"pathway": pathway.pk})
    assert CalendarFeed.objects.filter(pathway=pathway).exists() == reads

    in_committee = role in COMMITTEE and relationship in {"owner", "partner"}
    charter = f"/cej/partenariats/{world.partnership.pk}/qui-fait-quoi"
    for page in (charter + "/", charter + ".pdf"):
        assert client.get(page).status_code == declared_status(
            client.member, page, 200 if in_committee else 404
        )
    for page in ("/cej/suivis/", "/cej/agendas/"):  # one's own inbox and feeds only
        assert client.get(page).status_code == declared_status(client.member, page, 200)


#: Co-accompaniment routes exercised by the matrix above or, for the ones reached without a
#: professional login or addressed to one person, by tests/cej/test_co_accompaniment_*.py.
COVERED_ROUTES |= {
    "accompaniment",
    "plan_start",
    "plan_action_add",
    "plan_action_status",
    "activity_add",
    "activity_attendance",
    "counsellor",
    "review",
    "interview_add",
    "youth_link",
    "youth_link_send",
    "youth_pin_reset",
    "youth_access_close",
    "charter",
    "charter_pdf",
    "planning",
    "feeds",
    "feed_revoke",
    "feed",  # token-protected: test_ics_feeds_follow_the_policy
    "follow_ups",
    "follow_up",  # the addressee only: test_the_inbox_and_manual_production
    "follow_up_pdf",
    "youth_paper_send",  # the youth's session: tests/cej/test_youth_papers.py
    "dossier_youth_file",  # tests/cej/test_youth_papers.py, tests/access/youth_bound.py
    "dossier_youth_decide",
    "youth_appointment_answer",  # the youth's session: tests/cej/test_youth_answers.py
    "partnership_settings",  # the porteur's heads only: tests/cej/test_partnership_settings.py
}

#: The programme's routes: tests/cej/test_programme_pages.py (roles, other partnership,
#: funder, the feed by its secret address) and test_programme_cancellations.py.
COVERED_ROUTES |= {
    "programme",
    "session_create",
    "session",
    "session_attendance",
    "session_cancel",
    "registration_withdraw",
    "programme_feeds",
    "programme_feed_revoke",
    "programme_feed",
    "permanence_create",
    "permanence",
    "booking_cancel",
}


def test_every_cej_route_is_in_the_matrix():
    namespace = get_resolver().namespace_dict["cej"][1]
    names = {pattern.name for pattern in namespace.url_patterns}
    assert names - COVERED_ROUTES == set(), "add the new CEJ-JR routes to the access matrix"
