"""Every API operation declares what it needs (core.access.api_routes), like the HTML
routes: a capability of the table (acting, or not, for one organisation) or any
authenticated caller. An operation added without one fails here, as one whose documented
statuses do not follow from its declaration. ``test_api_refusals`` proves the declarations
through the API as the roles of the Nord demo."""

from __future__ import annotations

import datetime
import inspect

import pytest
from django.test import Client

from coparcours.accounts.factories import UserFactory
from coparcours.accounts.models import APIToken
from coparcours.api import api
from coparcours.core.access.api_routes import api_operations
from coparcours.core.access.capabilities import CAPABILITIES
from coparcours.core.access.routes import route_needs
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Role

OPERATIONS = api_operations(api)
SCHEMA = api.get_openapi_schema()


def test_the_api_is_enumerated():
    assert len(OPERATIONS) > 90


@pytest.mark.parametrize(("route", "operation"), OPERATIONS, ids=[r for r, _ in OPERATIONS])
def test_every_api_operation_declares_what_it_needs(route, operation):
    needs = route_needs(operation.view_func)
    assert needs is not None, f"{route} declares neither api_requires() nor api_signed_in"
    assert needs.capability is None or needs.capability in CAPABILITIES
    assert not needs.public_reason, "the API has no public operation"
    source = inspect.getsource(inspect.unwrap(operation.view_func))
    if "api_acting_organisation(" in source:
        assert needs.acting, f"{route} acts for an organisation: declare acting=True"


def _documented(route: str) -> set[int]:
    method, path = route.split(" ", 1)
    responses = SCHEMA["paths"][f"/api/v1{path}"][method.lower()]["responses"]
    return {int(status) for status in responses}


@pytest.mark.parametrize(("route", "operation"), OPERATIONS, ids=[r for r, _ in OPERATIONS])
def test_every_operation_documents_its_refusals(route, operation):
    needs = route_needs(operation.view_func)
    documented = _documented(route)
    assert 401 in documented
    assert (403 in documented) == (needs.capability is not None)
    assert (400 in documented) == needs.acting
    if "{" in route:
        assert {404, 422} <= documented


def test_errors_have_one_documented_shape():
    responses = SCHEMA["paths"]["/api/v1/cej/pathways"]["post"]["responses"]
    refusal = responses[403]["content"]["application/json"]["schema"]
    invalid = responses[422]["content"]["application/json"]["schema"]
    components = SCHEMA["components"]["schemas"]
    assert set(components[refusal["$ref"].rsplit("/", 1)[1]]["properties"]) == {"detail", "code"}
    assert set(components[invalid["$ref"].rsplit("/", 1)[1]]["properties"]) == {"detail"}
    assert 409 in responses and 400 in responses


def _client(user) -> Client:
    _token, raw = APIToken.issue(user, "Test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_caller_without_membership_is_refused_everything_but_their_account(db):
    user = UserFactory()
    client = _client(user)
    assert client.get("/api/v1/me").status_code == 200
    refused = client.get("/api/v1/organisations")
    assert refused.status_code == 403 and refused.json()["code"] == "capability_refused"


def test_an_ended_membership_grants_nothing(db):
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(),
        role=Role.REFERENT,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    assert _client(user).get("/api/v1/youths").status_code == 403
