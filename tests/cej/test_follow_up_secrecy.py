"""The Monday follow-up shows the counsellor only what she may read (Code pénal 226-13): a
pathway protected from her is "Parcours protégé", never its stage. Reading a follow-up
(page, PDF, API) or a committee (page, minutes, API) writes one audit line per youth
shown, in a bounded number of queries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from coparcours.cej import followup
from coparcours.cej.models import Activity, Pathway, WeeklyFollowUp
from coparcours.cej.services.committee import create_meeting
from coparcours.cej.services.interviews import set_counsellor
from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog

from .co_accompaniment import LAST_WEEK, _at, _consent
from .conftest import TODAY
from .test_pathway_services import _to_remobilisation

EE = Category.EDUCATION_EMPLOYMENT
PROTECTED = "Parcours protégé"


def _youth(world, name: str, *, shared: bool) -> Pathway:
    """A youth in remobilisation named to the counsellor, with an hour of workshop of the
    porteur last week; ``shared``: the youth consents to share with the mission locale."""
    pathway = world.outreach(
        youth_fields={
            "last_name": name,
            "first_names": "Alex",
            "birth_date": datetime.date(2004, 5, 6),
        },
        identified_on=LAST_WEEK - datetime.timedelta(days=20),
        registration="never",
    )
    if shared:
        _consent(world, pathway)
    set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    Activity.objects.create(
        youth=pathway.youth,
        author_organisation=world.porteur,
        pathway=pathway,
        kind="workshop",
        title=f"Atelier de {name}",
        starts_at=_at(LAST_WEEK, 10),
        duration_minutes=60,
        organisation=world.porteur,
        attended=True,
    )
    return pathway


@pytest.fixture
def youths(world):
    shared = _youth(world, "Partage", shared=True)
    protected = _youth(world, "Protege", shared=False)
    _to_remobilisation(world, protected)  # its stage must not reach the counsellor
    return shared, protected


def test_a_protected_pathway_shows_no_stage_in_the_follow_up(world, youths, client_for):
    shared, protected = youths
    followup.produce(LAST_WEEK)
    rows = {row["pathway_id"]: row for row in WeeklyFollowUp.objects.get().rows}
    assert rows[shared.pk]["stage"] == "Repéré·e" and not rows[shared.pk]["protected"]
    hidden = rows[protected.pk]
    assert hidden["youth"] == "PROTEGE Alex" and hidden["protected"]
    assert hidden["stage"] is None and hidden["minimum_hours"] is None
    assert (hidden["total"], hidden["withheld"]) == ("0 h 00", True)
    follow_up = WeeklyFollowUp.objects.get()
    page = client_for(world.counsellor).get(f"/cej/suivis/{follow_up.pk}/").content.decode()
    assert PROTECTED in page and "Remobilisation" not in page
    pdf = mail.outbox[0].attachments[0][1]
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Remobilisation" not in text and "PROTEGE" in text


def test_the_follow_up_links_a_youth_when_her_pathway_opens_now(world, youths, client_for):
    """The rows were decided when the follow-up was made; its links follow the policy when
    it is read: a consent withdrawn since closes the link, a consent given since opens it,
    and every link opens."""
    shared, protected = youths
    followup.produce(LAST_WEEK)
    follow_up = WeeklyFollowUp.objects.get()
    counsellor = client_for(world.counsellor)

    def links() -> set[int]:
        page = counsellor.get(f"/cej/suivis/{follow_up.pk}/").content.decode()
        urls = {pk: reverse("cej:detail", args=[pk]) for pk in (shared.pk, protected.pk)}
        found = {pk for pk, url in urls.items() if f'href="{url}"' in page}
        for pk in found:
            assert counsellor.get(urls[pk]).status_code == 200
        return found

    assert links() == {shared.pk}
    shared.youth.consents.update(end_date=TODAY)  # withdrawn today
    _consent(world, protected)  # given since
    assert links() == {protected.pk}


def _reads(reason: str) -> set[tuple[int, int, int]]:
    return set(
        AuditLog.objects.filter(event=AuditEvent.READ, reason=reason).values_list(
            "user_id", "youth_id", "organisation_id"
        )
    )


def test_reading_a_follow_up_writes_one_line_per_youth(world, youths, client_for):
    shared, protected = youths
    followup.produce(LAST_WEEK, send_now=False)
    follow_up = WeeklyFollowUp.objects.get()
    client = client_for(world.counsellor)
    expected = {
        (world.counsellor.pk, shared.youth_id, world.mission_locale.pk),
        (world.counsellor.pk, protected.youth_id, world.mission_locale.pk),
    }
    client.get(f"/cej/suivis/{follow_up.pk}/")
    assert _reads("Suivi du lundi") == expected
    client.get(f"/cej/suivis/{follow_up.pk}/suivi.pdf")
    assert _reads("Suivi du lundi (PDF)") == expected
    client.get("/api/v1/cej/follow-ups")
    client.get(f"/api/v1/cej/follow-ups/{follow_up.pk}")
    assert _reads("Suivi du lundi (API)") == expected
    assert AuditLog.objects.filter(reason="Suivi du lundi (API)").count() == 4
    assert set(
        AuditLog.objects.filter(reason__startswith="Suivi du lundi").values_list(
            "category", flat=True
        )
    ) == {EE}


def test_the_follow_up_audit_costs_the_same_queries_for_many_youths(world, client_for):
    counts = []
    for names in (["Un"], ["Deux", "Trois", "Quatre", "Cinq", "Six"]):
        for name in names:
            _youth(world, name, shared=True)
        WeeklyFollowUp.objects.all().delete()
        followup.produce(LAST_WEEK, send_now=False)
        follow_up = WeeklyFollowUp.objects.get()
        client = client_for(world.counsellor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cej/suivis/{follow_up.pk}/").status_code == 200
        counts.append(len(queries))
        assert len(_reads("Suivi du lundi")) == len(follow_up.rows)
    assert counts[0] == counts[1]


def test_a_committee_and_its_minutes_are_audited_per_youth_shown(world, client_for):
    shared = _youth(world, "Partage", shared=True)
    protected = _youth(world, "Protege", shared=False)
    meeting = create_meeting(world.referent, world.porteur, world.partnership, date=TODAY)
    assert {item.pathway_id for item in meeting.items.all()} == {shared.pk, protected.pk}
    client = client_for(world.counsellor)
    page = client.get(f"/cej/comites/{meeting.pk}/").content.decode()
    assert "PARTAGE" in page and "PROTEGE" not in page
    counsellor = {(world.counsellor.pk, shared.youth_id, world.mission_locale.pk)}
    assert _reads("Comité d'intégration") == counsellor
    client.get(f"/cej/comites/{meeting.pk}/proces-verbal.pdf")
    assert _reads("Procès-verbal du comité d'intégration") == counsellor
    client.get(f"/api/v1/cej/meetings/{meeting.pk}")
    assert _reads("Comité d'intégration (API)") == counsellor
    client_for(world.referent).get(f"/cej/comites/{meeting.pk}/")
    assert (world.referent.pk, protected.youth_id, world.porteur.pk) in _reads(
        "Comité d'intégration"
    )
