"""The access matrix of the API, generated from its operations' declarations
(core.access.api_routes) like the HTML routes' (test_generated_matrix.py): every operation
whose address names a youth or one of their records, asked with a personal token by every
role of every organisation related to the youth, in every consent state, answers:

* 403 ``capability_refused`` when none of the caller's memberships holds the operation's
  capability, whatever the id, before any lookup;
* else 404 when the caller may not see the record, exactly as for an id that does not
  exist (and for an id of the youth's that names no record inside);
* else the operation's answer (``granted``), or 403 when the caller sees the record but
  may not read or write what the operation needs;

and no answer carries a marker of a category the caller may not read, while a granted
answer carries the markers of the categories it shows. A request for an unknown id writes
no line in any youth's access log. The operations come from the API: one naming a youth's
record that tests/access/api_youth_bound.py does not classify fails here.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client

from coparcours.accounts.models import APIToken
from coparcours.api import api
from coparcours.core.access.api_routes import api_operations
from coparcours.core.access.routes import route_needs
from coparcours.organisations.models import Role
from tests.access.api_youth_bound import (
    API_NOT_YOUTH_BOUND,
    API_YOUTH_BOUND,
    API_YOUTH_BOUND_PARAMETERS,
    API_YOUTH_BOUND_PREFIXES,
    ApiBound,
)
from tests.access.declared import declared_api_status
from tests.access.test_generated_matrix import (
    EVERY_ROUTE,
    _quiet_and_quick,  # noqa: F401 (a fixture: no traceback for the refusals)
    _youth_lines,
    expected_status,
    leaks,
    missing,
    unknown_id_problems,
    world,  # noqa: F401 (a fixture: the world built once for the module)
)
from tests.access.youth_bound import (
    CONSENTED,
    LAPSED_ASKED,
    RELATIONSHIPS,
    Records,
    give_consent,
    member,
)

OPERATIONS = dict(api_operations(api))
#: Every relationship with the consent in force (each operation, each id asked), and the
#: mission locale without consent or with it withdrawn: the consent is the mission
#: locale's, so that its state changes no other relationship's answer (youth_bound.may);
#: an expired one is asked as in tests/access/test_generated_matrix.py.
COMBINATIONS = [(relationship, EVERY_ROUTE) for relationship in RELATIONSHIPS] + [
    ("partner", consent) for consent in LAPSED_ASKED
]
PARAMETER = re.compile(r"\{(\w+)\}")


def test_every_operation_naming_a_youths_record_is_in_the_matrix():
    """A new operation taking an id is classified: youth-bound (how to reach it, who sees
    it) or not (why); one under a youth's address never escapes as « not »."""
    with_id = {route for route in OPERATIONS if "{" in route}
    unknown = sorted(with_id - set(API_YOUTH_BOUND) - set(API_NOT_YOUTH_BOUND))
    assert unknown == [], f"classify these operations in tests/access/api_youth_bound.py: {unknown}"
    assert sorted(set(API_YOUTH_BOUND) - with_id) == [], "operations gone from the API"
    assert sorted(set(API_NOT_YOUTH_BOUND) - with_id) == [], "operations gone from the API"
    escaped = [
        route
        for route in API_NOT_YOUTH_BOUND
        if route.split(" ", 1)[1].startswith(API_YOUTH_BOUND_PREFIXES)
        or set(PARAMETER.findall(route)) & API_YOUTH_BOUND_PARAMETERS
    ]
    assert escaped == [], f"these operations name a youth's record: {escaped}"
    for route, bound in API_YOUTH_BOUND.items():
        assert list(bound.kwargs) == PARAMETER.findall(route), route
        assert route.startswith("POST") == (bound.body is not None), route
        needs = route_needs(OPERATIONS[route].view_func)
        assert needs.capability, f"{route} names a youth but needs no capability"
        assert set(bound.shows) <= needs.categories, f"{route} shows undeclared categories"


def _url(route: str, bound: ApiBound, records: Records, unknown: str | None = None) -> str:
    path = route.split(" ", 1)[1]
    values = bound.kwargs_in(records, unknown=unknown)
    return "/api/v1" + PARAMETER.sub(lambda match: str(values[match.group(1)]), path)


def ask(client: Client, route: str, url: str, bound: ApiBound, records: Records):
    """Call the operation in a savepoint rolled back after, so that the world stays the
    same for every caller: the status, the text, the lines written in youths' access logs."""
    with transaction.atomic():
        before = _youth_lines()
        if route.startswith("POST"):
            response = client.post(url, bound.payload(records), content_type="application/json")
        else:
            response = client.get(url)
        written = _youth_lines() - before
        transaction.set_rollback(True)
    text = b"".join(response) if response.streaming else response.content
    return response.status_code, text.decode(errors="replace"), written


def _token_client(user) -> Client:
    _token, raw = APIToken.issue(user, "Matrice")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db
@pytest.mark.parametrize(("relationship", "consent"), COMBINATIONS)
def test_youth_bound_operations_answer_as_declared(relationship, consent, world):  # noqa: F811
    records = world
    give_consent(records, consent, CONSENTED)
    organisation = getattr(records.world, relationship)
    every_route = consent == EVERY_ROUTE
    failures: list[str] = []
    asked = 0
    for role in Role.values:
        user = member(organisation, role)
        client = _token_client(user)
        gates_asked: set[str] = set()  # capabilities refused, asked once (known, unknown id)
        for route, bound in API_YOUTH_BOUND.items():
            method = route.split(" ", 1)[0]
            url = _url(route, bound, records)
            gated = declared_api_status(user, method, url, 0) == 403
            capability = route_needs(OPERATIONS[route].view_func).capability
            # the gate answers before any lookup, from the capability alone: one operation
            # per refused capability is asked, with its known and its unknown id
            if gated and (not every_route or capability in gates_asked):
                continue
            expected = 403 if gated else expected_status(bound, role, relationship, consent)
            if expected == 200:
                expected = bound.granted
            status, text, _lines = ask(client, route, url, bound, records)
            asked += 1
            where = f"{route} {role}"
            if status != expected:
                failures.append(f"{where}: expected {expected}, got {status} {text[:160]}")
            if gated and status == 403 and '"capability_refused"' not in text:
                failures.append(f"{where}: refused without the code capability_refused")
            problems = leaks(bound, role, relationship, consent, text)
            if status in {200, 201}:
                problems += missing(bound, role, relationship, consent, text)
            failures += [f"{where}: {problem}" for problem in problems]
            if not every_route:
                continue
            if gated:
                gates_asked.add(capability)
            unknown = _url(route, bound, records, unknown=bound.bound)
            unknown_status, text, lines = ask(client, route, unknown, bound, records)
            asked += 1
            failures += unknown_id_problems(
                where,
                (status, expected, unknown_status, 403 if gated else 404),
                lines,
                leaks(bound, role, "unrelated", consent, text),
            )
            if expected in {403, 404}:
                continue
            for parameter in bound.nested:  # the youth's, but no such record inside
                inner = _url(route, bound, records, unknown=parameter)
                inner_status, _text, lines = ask(client, route, inner, bound, records)
                asked += 1
                if inner_status != 404 or lines:
                    failures.append(
                        f"{where} unknown {parameter}: expected 404 and no line, got "
                        f"{inner_status} and {lines} line(s)"
                    )
    assert asked
    assert not failures, f"{relationship} / consent {consent}:\n" + "\n".join(failures)
