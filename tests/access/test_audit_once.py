"""Pure questions are never audited, acts are audited once: opening an empty form writes
nothing, a save writes one line (core.access: guard at the gate, check at the act)."""

from __future__ import annotations

import pytest

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.models import Youth

pytestmark = pytest.mark.django_db


def _writes(youth: Youth) -> int:
    return AuditLog.objects.filter(youth_id=youth.pk, event=AuditEvent.WRITE).count()


def test_opening_a_form_writes_nothing_and_a_save_writes_one_line(demo, login_client):
    youth = Youth.objects.filter(owner_organisation=demo.alefpa).first()
    client = login_client(demo.users["coordination"])
    url = f"/jeunes/{youth.pk}/modifier/contact/"

    before = AuditLog.objects.count()
    assert client.get(url).status_code == 200
    assert AuditLog.objects.count() == before

    saved = client.post(url, {"phone": "06 12 34 56 78", "email": "", "address": ""})

    assert saved.status_code == 302
    assert _writes(youth) == 1
    line = AuditLog.objects.get(youth_id=youth.pk, event=AuditEvent.WRITE)
    assert line.category == "contact"


def test_a_refused_form_writes_its_refusal_only(demo, login_client):
    youth = Youth.objects.filter(owner_organisation=demo.alefpa).first()
    client = login_client(demo.users["finances"])  # reads identity, writes nothing
    before = AuditLog.objects.count()

    assert client.get(f"/jeunes/{youth.pk}/modifier/identity/").status_code == 403

    new = AuditLog.objects.filter(pk__gt=0).order_by("-pk")[: AuditLog.objects.count() - before]
    assert [line.event for line in new] == [AuditEvent.DENIED]
