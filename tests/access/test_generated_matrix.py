"""The access matrix generated from the route declarations (core.access.routes): every HTML
route whose address names a youth or one of their records, asked by every role of every
organisation related to the youth (owner, co-accompanying mission locale under a consent in
each state, unrelated member of the same consortia, funder), answers:

* 403 when the acting membership lacks the route's capability, whatever the id;
* else 404 when the reader may not see the record, exactly as for an id that does not exist;
* else the page (200, or the route's redirect), or 403 when the reader sees the record but
  the page needs data they may not read or write;

and no answer shows a marker (``NOTE-<category>``, ``DOC-<category>``, the youth's name,
phone, placement order) of a category the reader may not read; a page showing the
categories shows the granted ones. A request for an unknown id writes no line in any
youth's access log. The routes come from the URLconf: a route naming a youth's record that
tests/access/youth_bound.py does not know fails here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coparcours.core import pdf
from coparcours.core.access import Category
from coparcours.core.access.routes import route_needs
from coparcours.core.models import AuditLog
from coparcours.organisations.models import Role
from tests.access.declared import declared_status
from tests.access.not_youth_bound import (
    NOT_YOUTH_BOUND,
    YOUTH_BOUND_PARAMETERS,
    YOUTH_BOUND_PREFIXES,
)
from tests.access.test_route_declarations import html_routes
from tests.access.youth_bound import (
    CONSENTED,
    LAPSED_ASKED,
    PUBLIC_YOUTH_BOUND,
    RELATIONSHIPS,
    YOUTH_BOUND,
    Bound,
    Records,
    build_records,
    give_consent,
    may,
    may_export,
    member,
)
from tests.conftest import FAST_PASSWORD_HASHERS


def _named_routes(public: bool = False) -> dict[str, tuple[str, object]]:
    """name → (pattern, view) of the HTML routes (``html_routes()``) whose address takes a
    value, declared public or not."""
    names: dict[tuple[str, object], str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                names[(prefix + str(entry.pattern), entry.callback)] = f"{namespace}:{entry.name}"

    walk(get_resolver().url_patterns, "/", "")
    found = {}
    for route, view in html_routes():
        needs = route_needs(view)
        if "<" in route and bool(needs is not None and needs.public_reason) == public:
            found[names[(route, view)]] = (route, view)
    return found


ROUTES = _named_routes()
PUBLIC_ROUTES = _named_routes(public=True)


def test_every_route_naming_a_youths_record_is_in_the_matrix():
    """A new route taking an id is classified: youth-bound (how to reach it in the world,
    who sees it) or not (why); one under a youth's address never escapes as « not »."""
    unknown = sorted(set(ROUTES) - set(YOUTH_BOUND) - set(NOT_YOUTH_BOUND))
    assert unknown == [], f"classify these routes in tests/access/youth_bound.py: {unknown}"
    assert sorted(set(YOUTH_BOUND) - set(ROUTES)) == [], "routes gone from the URLconf"
    assert sorted(set(NOT_YOUTH_BOUND) - set(ROUTES)) == [], "routes gone from the URLconf"
    escaped = [
        name
        for name, (route, _view) in ROUTES.items()
        if name not in YOUTH_BOUND
        and (
            route.startswith(YOUTH_BOUND_PREFIXES)
            or set(re.findall(r"<(?:\w+:)?(\w+)>", route)) & YOUTH_BOUND_PARAMETERS
        )
    ]
    assert escaped == [], f"these routes name a youth's record: {escaped}"
    for name, bound in YOUTH_BOUND.items():
        route, view = ROUTES[name]
        assert list(bound.kwargs) == re.findall(r"<(?:\w+:)?(\w+)>", route), name
        needs = route_needs(view)
        assert needs.capability, f"{name} names a youth but needs no capability"
        assert set(bound.shows) <= needs.categories, f"{name} shows undeclared categories"


def test_every_public_route_taking_an_id_is_in_the_matrix():
    """A public route is reached by a secret token (a link sent), or by an id inside the
    session a token opened (the youth's own page): those are asked below."""
    by_id = sorted(
        name for name, (route, _view) in PUBLIC_ROUTES.items() if re.search(r"<int:", route)
    )
    assert by_id == sorted(PUBLIC_YOUTH_BOUND)


# --- Asking ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _quiet_and_quick(monkeypatch):
    """Refusals are expected by the hundred: no traceback in the log. The PDF pages
    (``pdf_response``) answer their HTML source: what they show is what is checked, and
    WeasyPrint would take a second each."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    monkeypatch.setattr(pdf, "render_pdf", lambda template, context: _html(template, context))
    yield
    logger.setLevel(level)


def _html(template: str, context: dict) -> bytes:
    from django.template.loader import render_to_string

    return render_to_string(template, context).encode()


def _youth_lines() -> int:
    return AuditLog.objects.filter(youth_id__isnull=False).count()


def ask(client: Client, url: str, bound: Bound, count_lines: bool = False, get: bool = False):
    """GET the page, or POST the action, in a savepoint rolled back after, so that the world
    stays the same for every reader. The status, the text, and the lines written in youths'
    access logs."""
    with transaction.atomic():
        before = _youth_lines() if count_lines else 0
        post = bound.post is not None and not get
        response = client.post(url, bound.post) if post else client.get(url)
        written = _youth_lines() - before if count_lines else 0
        transaction.set_rollback(True)
    text = b"".join(response) if response.streaming else response.content
    return response.status_code, text.decode(errors="replace"), written


SUCCESS = {200, 302}


def expected_status(bound: Bound, role: str, relationship: str, consent: str) -> int:
    """Past the capability gate: 404 for a record the reader may not see, 403 for a page
    they may not open, else 200 (a redirect counts as 200)."""
    if not bound.sees(role, relationship, consent):
        return 404
    return 200 if bound.allows(role, relationship, consent) else 403


def readable(bound: Bound, role: str, relationship: str, consent: str, category: str) -> bool:
    if bound.export:
        return may_export(role, relationship, consent, category)
    if bound.names_youth and category == Category.IDENTITY:
        return bound.sees(role, relationship, consent) and bound.allows(role, relationship, consent)
    return may(role, relationship, consent, category, "r")


def leaks(bound: Bound, role: str, relationship: str, consent: str, text: str) -> list[str]:
    """Markers of unreadable categories found in an answer, and granted ones missing."""
    found = []
    for category in Category.values:
        markers = [f"NOTE-{category}", f"DOC-{category}"]
        if category == Category.IDENTITY:
            markers += ["Prenomsecret", "SECRETNOM"]
        if category == Category.CONTACT:
            markers.append("0600000001")
        if category == Category.JUSTICE:
            markers.append("ORD-SECRET-42")
        if not readable(bound, role, relationship, consent, category):
            found += [f"shows {marker}" for marker in markers if marker in text]
    return found


def missing(bound: Bound, role: str, relationship: str, consent: str, text: str) -> list[str]:
    return [
        f"misses NOTE-{category}"
        for category in bound.shows
        if readable(bound, role, relationship, consent, category) and f"NOTE-{category}" not in text
    ]


def unknown_id_problems(
    where: str, statuses: tuple[int, int, int, int], lines: int, leaked: list[str]
) -> list[str]:
    """What is wrong with the answer to an unknown id: ``statuses`` are the known id's
    answer and expected answer, the unknown id's answer and the one it should be (403 at
    the gate, else 404, as for a hidden record); ``lines`` written in youths' access logs;
    markers ``leaked``."""
    status, expected, unknown_status, hidden = statuses
    problems = []
    if unknown_status != hidden:
        problems.append(f"{where} unknown id: expected {hidden}, got {unknown_status}")
    if expected == 404 and status != unknown_status:
        problems.append(f"{where}: hidden {status} but unknown {unknown_status}")
    if lines:
        problems.append(f"{where} unknown id: {lines} line(s) in a youth's access log")
    return problems + [f"{where} unknown id: {problem}" for problem in leaked]


#: The consent state in which every route is asked, also by the roles refused at the gate
#: (which answer before the youth's data is looked at) and with an unknown id; in the
#: others, the routes past the gate.
EVERY_ROUTE = "granted"
#: Every relationship with the consent in force, the mission locale without consent and
#: with its consent withdrawn, and the owner without any consent: the consent is the
#: mission locale's, so that its state changes only the mission locale's answers and the
#: owner's never (youth_bound.may). An expired consent reaches the policy as a withdrawn
#: one does (no consent in force: ``Consent.objects.active``); the hand-written matrix asks
#: it on every page of the record (tests/youths/test_access_matrix.py).
#: The longest first, so that two workers finish together.
COMBINATIONS = (
    [(relationship, EVERY_ROUTE) for relationship in RELATIONSHIPS]
    + [("partner", consent) for consent in LAPSED_ASKED]
    + [("owner", "none")]
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Records]:
    """The world built once for the module, in a transaction that each test's own (nested)
    one returns to and that is rolled back after the module (as the Nord demo's); each test
    adds the consent in its state. Its documents are stored in a temporary directory."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                records = build_records()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    yield records
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()


@pytest.mark.django_db
@pytest.mark.parametrize(("relationship", "consent"), COMBINATIONS)
def test_youth_bound_routes_answer_as_declared(relationship, consent, world):
    records = world
    give_consent(records, consent, CONSENTED)
    organisation = getattr(records.world, relationship)
    every_route = consent == EVERY_ROUTE
    failures: list[str] = []
    asked = 0
    for role in Role.values:
        user = member(organisation, role)
        client = Client()
        client.force_login(user)
        gates: dict[str, bool] = {}
        gate_asked: set[str] = set()
        for name, bound in YOUTH_BOUND.items():
            url = reverse(name, kwargs=bound.kwargs_in(records))
            # the gate's answer depends on the membership and the capability only (the
            # route's declaration, enforced before the view): one route per refused
            # capability is asked, with its known and its unknown id
            capability = route_needs(ROUTES[name][1]).capability
            if capability not in gates:
                gates[capability] = declared_status(user, url, 0) == 403
            if gates[capability] and (not every_route or capability in gate_asked):
                continue
            if gates[capability]:
                gate_asked.add(capability)
            expected = (
                403 if gates[capability] else expected_status(bound, role, relationship, consent)
            )
            status, text, _lines = ask(client, url, bound)
            asked += 1
            where = f"{name} {'POST' if bound.post is not None else 'GET'} {role}"
            if (200 if status in SUCCESS else status) != expected:
                failures.append(f"{where}: expected {expected}, got {status}")
            problems = leaks(bound, role, relationship, consent, text)
            if status == 200:
                problems += missing(bound, role, relationship, consent, text)
            failures += [f"{where}: {problem}" for problem in problems]
            if not every_route:
                continue
            if bound.post is not None and gates[capability]:  # declared before the method
                got, _text, _lines = ask(client, url, bound, get=True)
                if got != 403:
                    failures.append(f"{where}: a GET answers {got} before the capability gate")
            unknown = reverse(name, kwargs=bound.kwargs_in(records, unknown=bound.bound))
            unknown_status, text, lines = ask(client, unknown, bound, count_lines=True)
            asked += 1
            failures += unknown_id_problems(
                where,
                (status, expected, unknown_status, 403 if gates[capability] else 404),
                lines,
                leaks(bound, role, "unrelated", consent, text),
            )
            if status not in SUCCESS:
                continue
            for parameter in bound.nested:  # the youth's, but no such record inside
                inner = reverse(name, kwargs=bound.kwargs_in(records, unknown=parameter))
                inner_status, _text, lines = ask(client, inner, bound, count_lines=True)
                asked += 1
                if inner_status != 404 or lines:
                    failures.append(
                        f"{where} unknown {parameter}: expected 404 and no line, got "
                        f"{inner_status} and {lines} line(s)"
                    )
    assert asked
    assert not failures, f"{relationship} / consent {consent}:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_public_routes_naming_a_youths_record_answer_as_for_an_unknown_id(world):
    """Without the youth's session, anonymous or signed in as a professional of the owner."""
    anonymous = Client()
    professional = Client()
    professional.force_login(member(world.world.owner, Role.REFERENT))
    failures = []
    for name, bound in PUBLIC_YOUTH_BOUND.items():
        for who, client in (("anonymous", anonymous), ("referent", professional)):
            url = reverse(name, kwargs=bound.kwargs_in(world))
            unknown = reverse(name, kwargs=bound.kwargs_in(world, unknown=bound.bound))
            for method in ("get", "post"):
                answers = []
                for address in (url, unknown):
                    with transaction.atomic():
                        before = _youth_lines()
                        response = getattr(client, method)(address)
                        written = _youth_lines() - before
                        transaction.set_rollback(True)
                    text = response.content.decode(errors="replace")
                    answers.append(response.status_code)
                    if written or response.status_code < 400:
                        failures.append(f"{name} {method} {who}: {response.status_code}")
                    failures += [
                        f"{name} {method} {who}: {problem}"
                        for problem in leaks(bound, Role.REFERENT, "unrelated", "none", text)
                    ]
                if answers[0] != answers[1]:
                    failures.append(f"{name} {method} {who}: {answers[0]} but unknown {answers[1]}")
    assert not failures, "\n".join(failures)
