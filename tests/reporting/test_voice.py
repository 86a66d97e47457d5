"""Youths' voice: the anonymous questionnaire is reached only from the youth's own session,
stores no identity, takes one answer a month, and its results are masked under 5 answers."""

from __future__ import annotations

import datetime
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from coparcours.reporting.indicators.common import Period
from coparcours.reporting.indicators.surveys import voice_table
from coparcours.reporting.models import VoiceAnswer
from coparcours.reporting.tables import MASKED, SECRET
from coparcours.space.models import YouthLink

from .conftest import member, pathway

pytestmark = pytest.mark.django_db


def _youth_session(found) -> Client:
    """A youth's session as their link opens it (the link used a minute ago), given by
    the porteur's referent."""
    now = timezone.now()
    link = YouthLink.objects.create(
        youth=found.youth,
        created_by=member(found.author_organisation, "referent"),
        token_hash=secrets.token_hex(32),
        expires_at=now + datetime.timedelta(days=7),
        used_at=now - datetime.timedelta(minutes=1),
    )
    youth = Client()
    session = youth.session
    session["space_youth"] = found.youth_id
    session["space_link"] = link.pk
    session.save()
    return youth


def test_the_questionnaire_keeps_no_identity_and_one_answer_a_month(partnership):
    found = pathway(partnership, datetime.date(2025, 1, 1))
    assert Client().get("/pilotage/ma-parole/").status_code == 403  # no youth session
    youth = _youth_session(found)
    answer = {"adhesion": "4", "support": "3", "quality_of_life": "2"}
    assert "Merci" in youth.post("/pilotage/ma-parole/", answer).content.decode()
    youth.post("/pilotage/ma-parole/", answer)  # the same month again: not stored
    stored = VoiceAnswer.objects.get()
    assert {f.name for f in VoiceAnswer._meta.fields} == {
        "id", "partnership", "month", "adhesion", "support", "quality_of_life"
    }  # fmt: skip
    assert stored.partnership == partnership
    assert stored.month == timezone.localdate().replace(day=1)
    page = _youth_session(found).post("/pilotage/ma-parole/", {"adhesion": "9"})
    assert "Sélectionnez un choix valide" in page.content.decode()


def test_results_are_masked_under_five_answers(partnership):
    month = datetime.date(2025, 3, 1)
    period = Period(datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    for score in (1, 2, 3):
        VoiceAnswer.objects.create(
            partnership=partnership, month=month, adhesion=score, support=4, quality_of_life=2
        )
    assert voice_table([partnership], period).rows == [
        ["CEJ-JR test", MASKED, SECRET, SECRET, SECRET]
    ]
    for score in (4, 4):
        VoiceAnswer.objects.create(
            partnership=partnership, month=month, adhesion=score, support=4, quality_of_life=2
        )
    assert voice_table([partnership], period).rows == [["CEJ-JR test", 5, 2.8, 4.0, 2.0]]


def test_the_youths_own_page_leads_to_the_questionnaire(partnership):
    found = pathway(partnership, datetime.date(2025, 1, 1))
    page = _youth_session(found).get("/mon-espace/")
    assert page.status_code == 200
    assert 'href="/pilotage/ma-parole/"' in page.content.decode()
