"""API fuzzing: schemathesis against the project's own OpenAPI document.

Every operation of ``/api/v1/openapi.json`` is called with generated data through Django's
WSGI handler (no server), authenticated by a personal token as each working role of the Nord
demo. Each answer must not be a server error, its status must be one the operation
documents (a refusal of the operation's declaration included), and it must match its
documented schema and content type. Path parameters are generated freely and also pinned
to records that exist (the first of each kind, its parent taken from it), so the routes are
reached beyond 404.

A second organisation, outside every consortium of the demo, holds a youth with
unmistakable names and a note: no answer to the demo's users may contain them, even when
the path parameters point straight at that youth's record. It also leads a partnership of
its own with a shared guide, a partner meeting and a decision: the directory's partner
routes (``/api/v1/directory/guides``, ``/meetings``, ``/decisions``) are fuzzed like the
others, aimed at those records too, and must never show them to the demo's users. The
directory's partner HTML pages (``/annuaire/guides/``, ``/annuaire/reunions/``…) are not
API and not in the OpenAPI document; they call the same ``directory.guides`` and
``directory.meetings`` services, and ``tests/directory`` and ``test_html_escaping`` cover
them.

CI runs a few examples per operation, role and pinning; a longer run sets
``COPARCOURS_FUZZ_EXAMPLES`` (``COPARCOURS_FUZZ_EXAMPLES=200 pytest tests/trust -k fuzz``).
"""

from __future__ import annotations

import datetime
import os

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coparcours.accounts.factories import UserFactory
from coparcours.accounts.models import APIToken
from coparcours.api import api
from coparcours.directory import guides
from coparcours.directory.models import Decision, GuideKind, Meeting, MeetingKind
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, OrganisationKind, Role
from coparcours.youths.factories import ConsentFactory, NoteFactory, YouthFactory

EXAMPLES = int(os.environ.get("COPARCOURS_FUZZ_EXAMPLES", "1"))
SECRET_FIRST, SECRET_LAST = "Quirinus", "Xylophanes"
SECRET_NOTE = "Zorglubienne confidentielle"
SECRET_GUIDE, SECRET_MEETING, SECRET_DECISION = (
    "Grimoirequasar",
    "Conciliabulezeta",
    "Arbitragevortex",
)
SECRETS = (SECRET_FIRST, SECRET_LAST, SECRET_NOTE, SECRET_GUIDE, SECRET_MEETING, SECRET_DECISION)
#: The demo's working roles, one token each (login → role, for the report).
ROLES = {
    "referente": Role.REFERENT,
    "conseiller": Role.COUNSELLOR,
    "coordination": Role.COORDINATOR,
    "departement": Role.FUNDER_VIEWER,
    "finances": Role.FINANCE_OFFICER,
}
#: No server error; each answer's status documented, its body in the documented schema and
#: content type.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]

#: Path parameter → model, by the path segment that precedes it.
MODELS = {
    "organisations": "organisations.Organisation",
    "consortia": "organisations.Consortium",
    "youths": "youths.Youth",
    "consents": "youths.Consent",
    "documents": "youths.Document",
    "erasure-requests": "youths.ErasureRequest",
    "requests": "housing.PlacementRequest",
    "proposals": "housing.Proposal",
    "stays": "housing.Stay",
    "pathways": "cej.Pathway",
    "missed-actions": "cej.MissedAction",
    "pacea-requests": "cej.PaceaAllowanceRequest",
    "cej/meetings": "cej.CommitteeMeeting",
    "actions": "cej.PlanAction",
    "activities": "cej.Activity",
    "follow-ups": "cej.WeeklyFollowUp",
    "reviews": "cej.Review",
    "referrals": "directory.Referral",
    "guides": "directory.Guide",
    "directory/meetings": "directory.Meeting",
    "invoices": "finance.Invoice",
}

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = WSGIHandler()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def existing_path_parameters(path: str) -> dict[str, int]:
    """Path parameters naming records that exist: the innermost first, parents from it."""
    segments = path.removeprefix("/api/v1/").split("/")
    found: dict[str, int] = {}
    child = None
    for index in range(len(segments) - 1, 0, -1):
        name = segments[index]
        if not name.startswith("{"):
            continue
        name = name.strip("{}")
        if name == "number":
            found[name] = 1
            continue
        key = segments[index - 1]
        label = MODELS.get(f"{segments[0]}/{key}") or MODELS.get(key)
        if label is None:
            continue
        model = apps.get_model(label)
        parent_id = getattr(child, name, None) if child is not None else None
        if parent_id is None and child is not None:
            plan = getattr(child, "plan", None)  # a plan's action reaches its pathway
            parent_id = getattr(plan, name, None)
        if parent_id is not None:
            found[name] = parent_id
            child = model.objects.filter(pk=parent_id).first()
            continue
        child = model.objects.order_by("pk").first()
        if child is not None:
            found[name] = child.pk
    return found


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client: a request through the WSGI handler must not close the
    test's database connection (and its transaction) when it finishes."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def other_organisation(db):
    """Organisation B: its own referent and a youth no demo organisation accompanies."""
    organisation = OrganisationFactory(
        kind=OrganisationKind.ASSOCIATION, name="Association Étanche", city="Arras"
    )
    referent = UserFactory(email="referent@etanche.example")
    MembershipFactory(
        user=referent,
        organisation=organisation,
        role=Role.REFERENT,
        start_date=datetime.date(2022, 1, 1),
    )
    youth = YouthFactory(
        owner_organisation=organisation,
        first_names=SECRET_FIRST,
        last_name=SECRET_LAST,
        referent=referent,
    )
    NoteFactory(youth=youth, author=referent, author_organisation=organisation, text=SECRET_NOTE)
    ConsentFactory(youth=youth, organisation=organisation, categories=["contact"])
    return youth


@pytest.fixture
def other_partnership(other_organisation) -> dict[str, int]:
    """Organisation B's own partnership: a guide, a meeting and its decision, by the path
    parameter that names them."""
    referent = other_organisation.referent
    organisation = other_organisation.owner_organisation
    partnership = ConsortiumFactory(
        name="Partenariat Étanche",
        kind=ConsortiumKind.CEJ_JR,
        funder=OrganisationFactory(kind=OrganisationKind.DREETS, name="Financeur étanche"),
    )
    ConsortiumMemberFactory(consortium=partnership, organisation=organisation, is_lead=True)
    guide = guides.create_guide(
        referent,
        partnership,
        kind=GuideKind.OTHER,
        title=SECRET_GUIDE,
        owner=referent,
        review_on=datetime.date(2030, 1, 1),
        body=SECRET_GUIDE,
    )
    starts = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        kind=MeetingKind.COPIL,
        title=SECRET_MEETING,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        agenda=SECRET_MEETING,
        organiser=referent,
        organiser_organisation=organisation,
    )
    meeting.consortia.add(partnership)
    Decision.objects.create(meeting=meeting, text=SECRET_DECISION, owner=referent)
    return {"guide_id": guide.pk, "meeting_id": meeting.pk}


def leaked(response) -> list[str]:
    """Organisation B's identifying strings (all ASCII) found in an answer's body."""
    return [word for word in SECRETS if word in response.text]


def fuzz(strategy, headers: dict[str, str], statuses: list[int]) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)
        found = leaked(response)
        assert not found, f"{case.method} {case.formatted_path} shows {found}"

    run()


@pytest.mark.parametrize("login", ROLES)
def test_every_route_answers_within_its_schema_and_never_leaks_another_organisation(
    login, demo, other_organisation, other_partnership, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    _token, raw = APIToken.issue(demo.users[login], "Fuzzing")
    headers = {"Authorization": f"Bearer {raw}"}
    statuses: list[int] = []
    failures: list[str] = []

    for operation in OPERATIONS:
        strategies = [operation.as_strategy()]
        existing = existing_path_parameters(operation.path)
        if existing:
            strategies.append(operation.as_strategy(path_parameters=existing))
        if any(parameter.name == "youth_id" for parameter in operation.path_parameters):
            aimed = {**existing, "youth_id": other_organisation.pk}
            strategies.append(operation.as_strategy(path_parameters=aimed))
        names = {parameter.name for parameter in operation.path_parameters}
        if names & set(other_partnership):
            aimed = {**existing, **{k: v for k, v in other_partnership.items() if k in names}}
            strategies.append(operation.as_strategy(path_parameters=aimed))
        for strategy in strategies:
            try:
                fuzz(strategy, headers, statuses)
            except Exception as error:  # every failing route is reported, not only the first
                failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:1500])

    assert not failures, "\n\n".join(failures)
    assert len(statuses) >= len(OPERATIONS)
    assert 500 not in statuses
    if os.environ.get("COPARCOURS_FUZZ_REPORT"):
        print(login, {status: statuses.count(status) for status in sorted(set(statuses))})


def test_the_leak_detector_sees_the_youth_for_its_own_organisation(other_organisation, settings):
    """The control: organisation B's referent does get the names, so their absence means."""
    settings.ALLOWED_HOSTS = ["*"]
    _token, raw = APIToken.issue(other_organisation.referent, "Contrôle")
    headers = {"Authorization": f"Bearer {raw}"}
    operation = SCHEMA["/api/v1/youths/{youth_id}"]["GET"]
    case = operation.Case(path_parameters={"youth_id": other_organisation.pk})
    response = case.call(headers=headers)
    assert response.status_code == 200
    assert set(leaked(response)) >= {SECRET_FIRST, SECRET_LAST}


def test_the_leak_detector_sees_the_partnership_for_its_own_members(
    other_organisation, other_partnership, settings
):
    """The control of the partner routes: organisation B's referent reads its guide and
    its meeting with its decision."""
    settings.ALLOWED_HOSTS = ["*"]
    _token, raw = APIToken.issue(other_organisation.referent, "Contrôle")
    headers = {"Authorization": f"Bearer {raw}"}
    found = set()
    for path, parameter in [
        ("/api/v1/directory/guides/{guide_id}", "guide_id"),
        ("/api/v1/directory/meetings/{meeting_id}", "meeting_id"),
    ]:
        case = SCHEMA[path]["GET"].Case(path_parameters={parameter: other_partnership[parameter]})
        response = case.call(headers=headers)
        assert response.status_code == 200, response.text
        found |= set(leaked(response))
    assert found >= {SECRET_GUIDE, SECRET_MEETING, SECRET_DECISION}
