"""An administrator's exceptional read of a youth's record ("bris de glace"): only with a
written reason, one BREAK_GLASS line per read, shown in the record's access log; a refusal
is a French message and a DENIED line (Code pénal 226-13; CNIL référentiel 2021-028)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from coparcours.accounts.factories import UserFactory
from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Role
from coparcours.youths.factories import YouthFactory
from coparcours.youths.models import Note

pytestmark = pytest.mark.django_db

URL = "/jeunes/acces-exceptionnel/"
REASON = "Le jeune demande la rectification de sa date de naissance (RGPD art. 16)."


@pytest.fixture
def world():
    owner = OrganisationFactory(name="Association référente")
    youth = YouthFactory(
        owner_organisation=owner,
        last_name="Secretnom",
        first_names="Prenomsecret",
        phone="0600000001",
        birth_date=datetime.date(2006, 5, 4),
    )
    Note.objects.create(
        youth=youth,
        category=Category.HEALTH,
        title="Suivi au CMP",
        text="Rendez-vous mensuel.",
        author_organisation=owner,
    )
    administrator = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(
        user=administrator, organisation=OrganisationFactory(name="Alefpa"), role=Role.ADMINISTRATOR
    )
    referent = UserFactory()
    MembershipFactory(user=referent, organisation=owner, role=Role.REFERENT)
    return youth, administrator, referent


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lines_after(before: int) -> list[AuditLog]:
    return list(AuditLog.objects.order_by("pk")[before:])


def test_administrator_home_offers_the_search_by_record_number(world):
    _youth, administrator, _referent = world
    page = client_for(administrator).get("/").content.decode()
    assert f'action="{reverse("youths:break_glass")}"' in page
    assert 'name="dossier"' in page


def test_get_of_the_form_writes_nothing_and_shows_no_data(world):
    youth, administrator, _referent = world
    client = client_for(administrator)
    before = AuditLog.objects.count()
    response = client.get(URL, {"dossier": youth.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secretnom" not in page and "Prenomsecret" not in page
    assert "exceptionnel" in page
    assert "journal d'audit" in page
    assert "organisations qui accompagnent ce jeune" in page
    assert f'value="{youth.pk}"' in page
    assert AuditLog.objects.count() == before


def test_post_with_a_reason_writes_one_break_glass_line_then_shows_identity(world):
    youth, administrator, _referent = world
    client = client_for(administrator)
    before = AuditLog.objects.count()
    response = client.post(
        URL, {"dossier": youth.pk, "category": Category.IDENTITY, "reason": REASON}
    )
    assert response.status_code == 200
    [line] = lines_after(before)
    assert line.event == AuditEvent.BREAK_GLASS
    assert (line.user, line.youth_id, line.category) == (administrator, youth.pk, "identity")
    assert line.reason == REASON
    page = response.content.decode()
    assert "Secretnom" in page and "Prenomsecret" in page and "4 mai 2006" in page
    assert "0600000001" not in page  # contact is another category


@pytest.mark.parametrize(
    ("category", "shown", "hidden"),
    [
        (Category.HEALTH, "Suivi au CMP", "0600000001"),
        (Category.CONTACT, "0600000001", "Suivi au CMP"),
    ],
)
def test_the_chosen_category_shows_through_the_record_rendering(world, category, shown, hidden):
    youth, administrator, _referent = world
    client = client_for(administrator)
    before = AuditLog.objects.count()
    response = client.post(URL, {"dossier": youth.pk, "category": category, "reason": REASON})
    assert response.status_code == 200
    [line] = lines_after(before)
    assert (line.event, line.category) == (AuditEvent.BREAK_GLASS, category)
    page = response.content.decode()
    assert shown in page and hidden not in page


@pytest.mark.parametrize("reason", ["", "   ", "pour voir"])
def test_a_missing_or_short_reason_is_refused_in_french_with_a_denied_line(world, reason):
    youth, administrator, _referent = world
    client = client_for(administrator)
    before = AuditLog.objects.count()
    response = client.post(
        URL, {"dossier": youth.pk, "category": Category.IDENTITY, "reason": reason}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "exige un motif écrit (15 caractères au moins)" in page
    assert "Secretnom" not in page
    [line] = lines_after(before)
    assert (line.event, line.youth_id, line.user) == (AuditEvent.DENIED, youth.pk, administrator)


def test_someone_not_administrator_is_refused_with_a_denied_line(world):
    youth, _administrator, referent = world
    client = client_for(referent)  # the login is a line of its own
    before = AuditLog.objects.count()
    assert client.get(URL, {"dossier": youth.pk}).status_code == 403
    assert AuditLog.objects.count() == before
    response = client.post(
        URL, {"dossier": youth.pk, "category": Category.HEALTH, "reason": REASON}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "réservé aux administrateurs" in page
    assert "Suivi au CMP" not in page
    [line] = lines_after(before)
    assert (line.event, line.youth_id, line.user) == (AuditEvent.DENIED, youth.pk, referent)


def test_an_unknown_record_number_is_said_and_writes_nothing(world):
    _youth, administrator, _referent = world
    client = client_for(administrator)
    before = AuditLog.objects.count()
    response = client.get(URL, {"dossier": 987654})
    assert "Aucun dossier actif ne porte ce numéro." in response.content.decode()
    response = client.post(
        URL, {"dossier": 987654, "category": Category.IDENTITY, "reason": REASON}
    )
    assert "Aucun dossier actif ne porte ce numéro." in response.content.decode()
    assert AuditLog.objects.count() == before


def test_the_exceptional_read_and_its_reason_show_in_the_records_access_log(world):
    youth, administrator, referent = world
    client_for(administrator).post(
        URL, {"dossier": youth.pk, "category": Category.IDENTITY, "reason": REASON}
    )
    page = client_for(referent).get(f"/jeunes/{youth.pk}/journal/").content.decode()
    assert "Accès exceptionnel motivé" in page
    assert REASON.replace("'", "&#x27;") in page


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.ADMINISTRATOR])
def test_only_an_administrator_reads_by_breaking_the_glass(world, role):
    youth, _administrator, _referent = world
    person = UserFactory()
    MembershipFactory(user=person, organisation=youth.owner_organisation, role=role)
    client = client_for(person)
    before = AuditLog.objects.count()
    response = client.post(
        URL, {"dossier": youth.pk, "category": Category.HEALTH, "reason": REASON}
    )
    assert response.status_code == 403
    assert "Suivi au CMP" not in response.content.decode()
    assert [line.event for line in lines_after(before)] == [AuditEvent.DENIED]
