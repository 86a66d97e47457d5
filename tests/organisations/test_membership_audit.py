"""Membership changes are written to the audit log (who gave whom which role where, from
when to when), and nobody grants a membership to themself: an administrator could
otherwise give themself a referent role and read every record as ordinary reads (Code
pénal 226-13; CNIL référentiel 2021-028, traceability)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from coparcours.accounts.factories import UserFactory
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Membership, Role
from tests.organisations.memberships import end_membership, give_membership

pytestmark = pytest.mark.django_db

SELF_GRANT = "Vous ne pouvez pas vous attribuer un rattachement"
ADD_MEMBERSHIP = "/admin/organisations/membership/add/"


@pytest.fixture
def territory():
    """An administrator of the territory's association, a colleague and an organisation."""
    home = OrganisationFactory(name="Alefpa")
    administrator = UserFactory(email="camille.admin@exemple.fr", is_staff=True, is_superuser=True)
    MembershipFactory(user=administrator, organisation=home, role=Role.ADMINISTRATOR)
    colleague = UserFactory(email="ines.martin@exemple.fr", first_name="Inès", last_name="Martin")
    elsewhere = OrganisationFactory(name="ASRL")
    return administrator, colleague, elsewhere


@pytest.fixture
def admin_client(territory) -> Client:
    client = Client()
    client.force_login(territory[0])
    return client


def admin_lines() -> list[AuditLog]:
    return list(AuditLog.objects.filter(event=AuditEvent.ADMIN).order_by("pk"))


def membership_post(user, organisation, role, start="01/02/2026", end="") -> dict:
    return {
        "user": str(user.pk),
        "organisation": str(organisation.pk),
        "role": role,
        "start_date": start,
        "end_date": end,
    }


def user_change_post(user, rows: list[dict], initial: int) -> dict:
    """The user change page's fields, unchanged, with the membership inline's rows."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    for index, row in enumerate(rows):
        data.update({f"memberships-{index}-{key}": value for key, value in row.items()})
    return data


def existing_rows(user) -> list[dict]:
    return [
        {
            "id": str(m.pk),
            "user": str(user.pk),
            "organisation": str(m.organisation_id),
            "role": m.role,
            "start_date": m.start_date.strftime("%d/%m/%Y"),
            "end_date": m.end_date.strftime("%d/%m/%Y") if m.end_date else "",
        }
        for m in user.memberships.order_by("organisation__name", "role")
    ]


# --- (a) every change is in the audit log ---------------------------------------------------


def test_admin_add_view_logs_who_gave_whom_which_role_where_and_when(admin_client, territory):
    administrator, colleague, asrl = territory
    response = admin_client.post(
        ADD_MEMBERSHIP,
        membership_post(colleague, asrl, Role.REFERENT, "01/02/2026", "01/02/2027"),
    )
    assert response.status_code == 302
    membership = colleague.memberships.get()
    [line] = admin_lines()
    assert line.user == administrator
    assert line.user_email == "camille.admin@exemple.fr"
    assert (line.organisation_id, line.organisation_name) == (asrl.pk, "ASRL")
    assert (line.object_type, line.object_id) == ("organisations.Membership", str(membership.pk))
    assert "ines.martin@exemple.fr" in line.reason
    assert "Référent·e de parcours" in line.reason
    assert "ASRL" in line.reason
    assert "01/02/2026" in line.reason and "01/02/2027" in line.reason
    assert line.path == ADD_MEMBERSHIP


def test_admin_change_view_logs_the_terms_before_and_after(admin_client, territory):
    administrator, colleague, asrl = territory
    membership = MembershipFactory(
        user=colleague,
        organisation=asrl,
        role=Role.COUNSELLOR,
        start_date=datetime.date(2025, 1, 1),
    )
    response = admin_client.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        membership_post(colleague, asrl, Role.DIRECTOR, "01/01/2025"),
    )
    assert response.status_code == 302
    [line] = admin_lines()
    assert line.user == administrator and line.organisation_id == asrl.pk
    assert "Conseiller·ère (mission locale)" in line.reason
    assert "Directeur·rice" in line.reason
    assert line.reason.index("Conseiller") < line.reason.index("Directeur·rice")


def test_admin_ending_a_membership_is_logged_as_its_end(admin_client, territory):
    administrator, colleague, asrl = territory
    membership = MembershipFactory(
        user=colleague, organisation=asrl, role=Role.REFERENT, start_date=datetime.date(2025, 1, 1)
    )
    response = admin_client.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        membership_post(colleague, asrl, Role.REFERENT, "01/01/2025", "01/03/2026"),
    )
    assert response.status_code == 302
    [line] = admin_lines()
    assert line.user == administrator
    assert "terminé" in line.reason and "01/03/2026" in line.reason
    assert "ines.martin@exemple.fr" in line.reason


def test_admin_saving_an_unchanged_membership_writes_no_line(admin_client, territory):
    _administrator, colleague, asrl = territory
    membership = MembershipFactory(
        user=colleague, organisation=asrl, role=Role.REFERENT, start_date=datetime.date(2025, 1, 1)
    )
    response = admin_client.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        membership_post(colleague, asrl, Role.REFERENT, "01/01/2025"),
    )
    assert response.status_code == 302
    assert admin_lines() == []


def test_user_admin_inline_logs_a_membership_given_and_one_changed(admin_client, territory):
    administrator, colleague, asrl = territory
    MembershipFactory(
        user=colleague,
        organisation=asrl,
        role=Role.COUNSELLOR,
        start_date=datetime.date(2025, 1, 1),
    )
    rows = existing_rows(colleague)
    rows[0]["end_date"] = "01/06/2026"
    rows.append({"organisation": str(asrl.pk), "role": Role.DIRECTOR, "start_date": "01/06/2026"})
    response = admin_client.post(
        f"/admin/accounts/user/{colleague.pk}/change/",
        user_change_post(colleague, rows, initial=1),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    lines = admin_lines()
    assert len(lines) == 2
    assert all(line.user == administrator and line.organisation_id == asrl.pk for line in lines)
    reasons = " ".join(line.reason for line in lines)
    assert "Directeur·rice" in reasons and "terminé" in reasons and "01/06/2026" in reasons


def test_user_admin_add_view_logs_the_new_accounts_memberships(admin_client, territory):
    administrator, _colleague, asrl = territory
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "nouvelle@exemple.fr",
            "first_name": "Lina",
            "last_name": "Morel",
            "usable_password": "true",
            "password1": "Un-mot-de-passe-solide-2026",
            "password2": "Un-mot-de-passe-solide-2026",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organisation": str(asrl.pk),
            "memberships-0-role": Role.REFERENT,
            "memberships-0-start_date": "01/01/2026",
        },
    )
    assert response.status_code == 302
    [line] = admin_lines()
    assert line.user == administrator
    assert "nouvelle@exemple.fr" in line.reason and "Référent·e de parcours" in line.reason


def test_services_log_the_membership_given_and_ended(territory):
    administrator, colleague, asrl = territory
    membership = give_membership(
        colleague, asrl, Role.REFERENT, datetime.date(2026, 1, 1), by=administrator
    )
    end_membership(membership, datetime.date(2026, 6, 1), by=administrator)
    given, ended = admin_lines()
    assert given.user == administrator and ended.user == administrator
    assert given.organisation_id == ended.organisation_id == asrl.pk
    assert given.object_id == ended.object_id == str(membership.pk)
    assert "ines.martin@exemple.fr" in given.reason and "01/01/2026" in given.reason
    assert "terminé" in ended.reason and "01/06/2026" in ended.reason


# --- (b) nobody grants a membership to themself -----------------------------------------------


def test_admin_add_view_refuses_a_membership_given_to_oneself(admin_client, territory):
    administrator, _colleague, asrl = territory
    before = Membership.objects.count()
    response = admin_client.post(
        ADD_MEMBERSHIP, membership_post(administrator, asrl, Role.REFERENT)
    )
    assert response.status_code == 200
    assert SELF_GRANT in str(response.context["adminform"].form.errors)
    assert Membership.objects.count() == before
    assert admin_lines() == []


def test_admin_change_view_refuses_widening_ones_own_membership(admin_client, territory):
    administrator, _colleague, _asrl = territory
    own = administrator.memberships.get()
    response = admin_client.post(
        f"/admin/organisations/membership/{own.pk}/change/",
        membership_post(
            administrator, own.organisation, Role.REFERENT, own.start_date.strftime("%d/%m/%Y")
        ),
    )
    assert response.status_code == 200
    assert SELF_GRANT in str(response.context["adminform"].form.errors)
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR


def test_admin_may_end_their_own_membership(admin_client, territory):
    administrator, _colleague, _asrl = territory
    own = administrator.memberships.get()
    response = admin_client.post(
        f"/admin/organisations/membership/{own.pk}/change/",
        membership_post(
            administrator,
            own.organisation,
            own.role,
            own.start_date.strftime("%d/%m/%Y"),
            "01/01/2099",
        ),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.end_date == datetime.date(2099, 1, 1)
    [line] = admin_lines()
    assert "terminé" in line.reason


def test_user_admin_inline_refuses_a_membership_given_to_oneself(admin_client, territory):
    administrator, _colleague, asrl = territory
    rows = existing_rows(administrator)
    rows.append({"organisation": str(asrl.pk), "role": Role.REFERENT, "start_date": "01/01/2026"})
    response = admin_client.post(
        f"/admin/accounts/user/{administrator.pk}/change/",
        user_change_post(administrator, rows, initial=1),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert SELF_GRANT in str(formset.errors)
    assert not administrator.memberships.filter(role=Role.REFERENT).exists()
    assert admin_lines() == []


def test_another_administrator_may_give_the_membership(admin_client, territory):
    _administrator, colleague, asrl = territory
    response = admin_client.post(ADD_MEMBERSHIP, membership_post(colleague, asrl, Role.REFERENT))
    assert response.status_code == 302
    assert colleague.memberships.filter(role=Role.REFERENT, organisation=asrl).exists()


def test_services_refuse_a_membership_given_to_oneself_in_french(territory):
    administrator, _colleague, asrl = territory
    with pytest.raises(ValidationError) as refused:
        give_membership(administrator, asrl, Role.REFERENT, by=administrator)
    assert SELF_GRANT in " ".join(refused.value.messages)
    assert not administrator.memberships.filter(role=Role.REFERENT).exists()
    assert admin_lines() == []


def test_services_refuse_extending_ones_own_membership(territory):
    administrator, colleague, asrl = territory
    membership = give_membership(
        colleague,
        asrl,
        Role.REFERENT,
        datetime.date(2025, 1, 1),
        datetime.date(2026, 1, 1),
        by=administrator,
    )
    with pytest.raises(ValidationError) as refused:
        end_membership(membership, datetime.date(2030, 1, 1), by=colleague)
    assert SELF_GRANT in " ".join(refused.value.messages)
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 1, 1)
    end_membership(membership, datetime.date(2025, 6, 1), by=colleague)
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 6, 1)


def test_admin_moving_a_membership_to_another_person_names_both(admin_client, territory):
    _administrator, colleague, asrl = territory
    other = UserFactory(email="autre.personne@exemple.fr", first_name="Paul", last_name="Roy")
    membership = MembershipFactory(
        user=colleague, organisation=asrl, role=Role.REFERENT, start_date=datetime.date(2025, 1, 1)
    )
    response = admin_client.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        membership_post(other, asrl, Role.REFERENT, "01/01/2025"),
    )
    assert response.status_code == 302
    [line] = admin_lines()
    assert "autre.personne@exemple.fr" in line.reason and "ines.martin@exemple.fr" in line.reason
