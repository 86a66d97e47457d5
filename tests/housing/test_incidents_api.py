"""Serious incidents through the API: the notices of the incidents the caller follows, as
the Département receives them (kind, dates, site, member, measures, follow-up given),
never a name, the facts nor a health or justice detail; whoever follows none reads none,
and a role without the incidents is refused."""

from __future__ import annotations

import datetime
import json

import pytest

from coparcours.housing.services import incidents as incident_services
from coparcours.organisations.models import Role

from .conftest import TODAY
from .test_incidents import fire, runaway

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
URL = "/api/v1/housing/incidents"


def test_the_departement_reads_the_notices_and_their_follow_up_without_a_name(gme):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    referent = gme.user(gme.member_b, Role.REFERENT)
    gone = incident_services.report_incident(
        referent,
        gme.site_b,
        runaway(
            occurred_on=TODAY() - 2 * DAY,
            declared_on=TODAY() - DAY,
            health_details="Traitement quotidien interrompu.",
        ),
        stay,
    )
    incident_services.add_measure(referent, gone, "Appel quotidien au commissariat.")
    closed = incident_services.report_incident(referent, gme.site_b, fire())
    incident_services.close(gme.coordinator, closed, "Travaux faits.")

    answer = gme.client(gme.funder, Role.FUNDER_VIEWER).get(URL)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    notice = next(item for item in body["items"] if item["id"] == gone.pk)
    assert notice["kind"] == "runaway" and notice["organisation"] == gme.member_b.name
    assert notice["declared_on"] == (TODAY() - DAY).isoformat()
    assert [f["text"] for f in notice["follow_ups"]] == ["Appel quotidien au commissariat."]
    text = json.dumps(body, ensure_ascii=False)
    for secret in (stay.youth.last_name, stay.youth.first_names, gone.facts, "Traitement"):
        assert secret not in text
    only_open = gme.client(gme.funder, Role.FUNDER_VIEWER).get(URL, {"open_only": "true"})
    assert [item["id"] for item in only_open.json()["items"]] == [gone.pk]


def test_whoever_follows_none_reads_none_and_other_roles_are_refused(gme):
    incident_services.report_incident(gme.user(gme.member_b, Role.REFERENT), gme.site_b, fire())
    other_member = gme.client(gme.member_c, Role.REFERENT).get(URL)
    assert other_member.status_code == 200 and other_member.json()["count"] == 0
    assert gme.client(gme.member_b, Role.FINANCE_OFFICER).get(URL).status_code == 403
