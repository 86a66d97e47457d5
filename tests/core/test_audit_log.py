"""The audit log is append-only: the ORM, the database triggers and the admin refuse change."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from coparcours.core.audit import record
from coparcours.core.models import AuditEvent, AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    return record(None, AuditEvent.LOGIN_FAILED, email="intrus@exemple.fr", reason="essai")


def unchanged(line: AuditLog) -> bool:
    stored = AuditLog.objects.get(pk=line.pk)
    return (stored.user_email, stored.reason) == ("intrus@exemple.fr", "essai")


def test_saving_an_existing_line_is_refused(line):
    line.reason = "effacé"
    with pytest.raises(PermissionError, match="ne peut pas être modifié"):
        line.save()
    assert unchanged(line)


def test_deleting_a_line_is_refused(line):
    with pytest.raises(PermissionError, match="ne peut pas être supprimé"):
        line.delete()
    assert unchanged(line)


def test_queryset_update_and_delete_are_refused(line):
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=line.pk).update(reason="effacé")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    line.reason = "effacé"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditLog.objects.bulk_update([line], ["reason"])
    assert unchanged(line)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditlog SET reason = 'effacé'",
        "UPDATE core_auditlog SET user_email = '' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
        "DELETE FROM core_auditlog",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(line, statement):
    assert connection.vendor in {"sqlite", "postgresql"}
    params = [line.pk] if "%s" in statement else []
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)
    assert unchanged(line)


def test_the_base_manager_cannot_bypass_the_triggers(line):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog._base_manager.filter(pk=line.pk).update(reason="effacé")
    assert unchanged(line)


def test_inserting_stays_possible(line):
    record(None, AuditEvent.LOGIN_FAILED, email="autre@exemple.fr")
    assert AuditLog.objects.count() == 2


# --- Admin: read-only -------------------------------------------------------------------


@pytest.fixture
def admin_client(demo, login_client):
    return login_client(demo.users["admin"])


def test_admin_lists_and_searches_the_log(admin_client, line):
    record(None, AuditEvent.LOGIN_FAILED, email="quelquun@exemple.fr")
    response = admin_client.get("/admin/core/auditlog/", {"q": "intrus"})
    assert response.status_code == 200
    assert [entry.pk for entry in response.context["cl"].result_list] == [line.pk]
    response = admin_client.get("/admin/core/auditlog/", {"event__exact": "login"})
    assert response.status_code == 200
    assert {entry.event for entry in response.context["cl"].result_list} == {"login"}


def test_admin_cannot_add_change_or_delete(admin_client, line):
    assert admin_client.get("/admin/core/auditlog/add/").status_code == 403
    view = admin_client.get(f"/admin/core/auditlog/{line.pk}/change/")
    assert view.status_code == 200  # read-only view
    assert 'name="reason"' not in view.content.decode()
    assert (
        admin_client.post(
            f"/admin/core/auditlog/{line.pk}/change/", {"reason": "effacé"}
        ).status_code
        == 403
    )
    assert admin_client.get(f"/admin/core/auditlog/{line.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"/admin/core/auditlog/{line.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    changelist = admin_client.get("/admin/core/auditlog/")
    assert changelist.context["action_form"] is None  # no bulk deletion
    assert unchanged(line)


# --- Request origin -----------------------------------------------------------------


def test_lines_written_during_a_request_carry_the_address_and_path(demo, client):
    user = demo.users["conseiller"]
    response = client.post(
        "/compte/connexion/?next=/",
        {"username": user.email, "password": "Demo-Coparcours-2026"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    login = AuditLog.objects.get(event=AuditEvent.LOGIN)
    assert (login.user, login.ip_address, login.path) == (
        user,
        "203.0.113.7",
        "/compte/connexion/",  # the route, without its query string
    )
    Client().post(
        "/compte/connexion/",
        {"username": user.email, "password": "faux"},
        REMOTE_ADDR="2001:db8::1",
    )
    failed = AuditLog.objects.get(event=AuditEvent.LOGIN_FAILED)
    assert (failed.ip_address, failed.path) == ("2001:db8::1", "/compte/connexion/")


def test_lines_written_outside_a_request_have_no_origin(demo, client):
    client.get("/sante/")  # the origin of a finished request does not linger
    outside = record(None, AuditEvent.LOGIN_FAILED, email="tache@exemple.fr")
    assert (outside.ip_address, outside.path) == (None, "")
