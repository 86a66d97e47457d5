"""What an authenticated request costs before its view runs: the session, the user and
their memberships, read once and shared by the second-factor rule and the access policy
(docs/decisions.md, section 21)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from coparcours.accounts.middleware import DEVICE_CHECKED_KEY
from coparcours.organisations.selectors import active_memberships_of

# An unknown address: no view runs, only the middleware (a 404 for a logged-in user).
NOWHERE = "/nulle-part/"
OVERHEAD = ["django_session", "accounts_user", "organisations_membership"]


def _session(user, *, device: TOTPDevice | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if device is not None:  # as django_otp.login after a code was accepted
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.get(NOWHERE)  # the session's first request also records its activity
    return client


def _outer_table(sql: str) -> str:
    """The table a statement reads or writes, outside its subqueries (the memberships'
    standings are subqueries of the same statement)."""
    depth, outer = 0, []
    for character in sql:
        depth += character == "("
        outer.append(character if depth == 0 else " ")
        depth -= character == ")"
    match = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', "".join(outer))
    return match.group(1) if match else ""


def _tables(client: Client, url: str, status: int) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == status
    return [_outer_table(query["sql"]) for query in captured]


@pytest.mark.parametrize("two_factor", [False, True])
def test_a_bare_authenticated_request_reads_session_user_and_memberships(
    demo, settings, two_factor
):
    settings.TWO_FACTOR_REQUIRED = two_factor
    client = _session(demo.users["referente"])
    assert _tables(client, NOWHERE, 404) == OVERHEAD


def test_a_verified_session_is_not_checked_against_its_device_again(demo, settings):
    settings.TWO_FACTOR_REQUIRED = True
    coordinator = demo.users["coordination"]
    device = TOTPDevice.objects.create(user=coordinator, name="Téléphone", confirmed=True)
    client = _session(coordinator, device=device)
    assert client.get("/").status_code == 200  # verified: not sent to the code page
    assert _tables(client, NOWHERE, 404) == OVERHEAD


def test_a_deleted_device_unverifies_its_sessions_within_the_activity_resolution(demo, settings):
    """An administrator deletes a lost phone's authenticator: the sessions verified with it
    are sent to the code page once the device is read again (every minute by default)."""
    settings.TWO_FACTOR_REQUIRED = True
    settings.SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
    coordinator = demo.users["coordination"]
    device = TOTPDevice.objects.create(user=coordinator, name="Téléphone", confirmed=True)
    client = _session(coordinator, device=device)
    device.delete()
    assert client.get("/").status_code == 200  # read again within the minute: not yet
    session = client.session
    session[DEVICE_CHECKED_KEY] -= 60  # a minute later
    session.save()
    answer = client.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/compte/double-")
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_unverified_session_that_must_verify_is_still_sent_to_the_code_page(demo, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = _session(demo.users["coordination"])
    assert _tables(client, "/", 302) == OVERHEAD


def test_the_home_page_reads_the_memberships_once(demo, settings, django_assert_max_num_queries):
    settings.TWO_FACTOR_REQUIRED = True
    client = _session(demo.users["referente"])
    # the overhead, then her "À traiter" blocks as a member's referent (tests/test_home.py):
    # three more since the unmet needs waiting, the week's collective sessions and the
    # residence permits to prepare
    with django_assert_max_num_queries(21):
        tables = _tables(client, "/", 200)
    assert tables[:3] == OVERHEAD
    assert tables.count("organisations_membership") == 1
    assert "otp_totp_totpdevice" not in tables


def test_each_request_reads_short_membership_rows(demo, django_assert_num_queries):
    """A coordinator of many GMEs has a membership per GME on every page: the request reads
    what the pages use of them (role, dates, the organisation's name, kind and city), in
    one query, and never their identifiers or addresses."""
    with django_assert_num_queries(1) as captured:
        memberships = active_memberships_of(demo.users["coordination"])
        shown = [
            (m.role, m.start_date, m.end_date, str(m.organisation), m.organisation.kind)
            for m in memberships
        ] + [m.organisation.city for m in memberships]
    assert shown
    read = captured.captured_queries[0]["sql"]
    assert '"siret"' not in read and '"address"' not in read
