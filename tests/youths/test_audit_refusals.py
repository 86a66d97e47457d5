"""A refused access is logged even when the refusal rolls back the operation's transaction."""

import pytest

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role


@pytest.mark.django_db
def test_refusal_inside_a_rolled_back_operation_stays_in_the_audit_log(build_world, member_client):
    world = build_world()
    client, counsellor = member_client(world.partner, Role.COUNSELLOR)
    notes_before = world.youth.notes.count()
    response = client.post(
        f"/jeunes/{world.youth.pk}/notes/ajouter/",
        {"category": "health", "occurred_on": "2024-07-01", "title": "Santé", "text": "x"},
    )
    assert response.status_code == 403
    assert world.youth.notes.count() == notes_before
    refusal = AuditLog.objects.get(user=counsellor, event=AuditEvent.DENIED, category="health")
    assert refusal.youth_id == world.youth.pk
    assert refusal.path == f"/jeunes/{world.youth.pk}/notes/ajouter/"
