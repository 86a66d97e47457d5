"""The minors' road to 18: the CESEDA routes and windows (dated rule data), schooling dates
in order, the permit file checked off by the hosting member, the preparation interview,
the reminders job, and who reads what (docs/domain-rules.md, "The road to 18")."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.housing import rules
from coparcours.housing.models.majority import MajorityReminder, ReminderKind
from coparcours.housing.models.road18 import (
    PermitPiece,
    PermitPreparation,
    PermitRoute,
    PermitRouteCode,
    PreparationInterview,
    Schooling,
)
from coparcours.housing.services import road18 as services
from coparcours.organisations.models import Role
from coparcours.youths.factories import ConsentFactory
from coparcours.youths.rules import add_years
from tests.housing.conftest import TODAY, build_gme

DAY = datetime.timedelta(days=1)
BIRTH = datetime.date(2009, 3, 14)


def route(code: str) -> PermitRoute:
    return PermitRoute.objects.get(code=code)


# --- rules -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entrusted_on", "expected"),
    [
        (datetime.date(2024, 1, 10), PermitRouteCode.PRIVATE_FAMILY_LIFE),  # at 14
        (datetime.date(2025, 3, 14), PermitRouteCode.PRIVATE_FAMILY_LIFE),  # on the 16th birthday
        (datetime.date(2025, 3, 15), PermitRouteCode.EXCEPTIONAL_WORKER),  # the day after
        (datetime.date(2027, 3, 13), PermitRouteCode.EXCEPTIONAL_WORKER),  # the eve of 18
        (datetime.date(2027, 3, 14), None),  # an adult
    ],
)
def test_the_route_follows_the_age_at_entrustment_to_the_ase(entrusted_on, expected):
    found = rules.permit_route_for(BIRTH, entrusted_on, services.routes_in_force())
    assert (found.code if found else None) == expected


@pytest.mark.django_db
def test_the_window_opens_before_18_and_closes_as_r431_5_says():
    # L.423-22: at the latest the eve of the 19th birthday (R.431-5 2°).
    assert rules.permit_window(BIRTH, route("vpf")) == (
        datetime.date(2027, 1, 13),
        datetime.date(2028, 3, 13),
    )
    # L.435-3: at the latest two months after the 18th birthday (R.431-5 3°).
    assert rules.permit_window(BIRTH, route("salarie"))[1] == datetime.date(2027, 5, 14)


@pytest.mark.django_db
def test_a_later_rule_row_replaces_the_route_from_its_date():
    old = route("salarie")
    PermitRoute.objects.create(
        valid_from=TODAY() + 10 * DAY,
        code=old.code,
        article=old.article,
        entrusted_by_birthday=18,
        conditions=old.conditions,
        deadline_months=3,
        deadline_article=old.deadline_article,
        source="Décret de test",
    )
    assert {r.deadline_months for r in services.routes_in_force() if r.code == "salarie"} == {2}
    later = services.routes_in_force(TODAY() + 10 * DAY)
    assert {r.deadline_months for r in later if r.code == "salarie"} == {3}


def test_schooling_dates_out_of_order_are_refused():
    today = datetime.date(2026, 12, 1)
    errors = rules.schooling_errors(
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 1),
        datetime.date(2026, 12, 2),
        (datetime.date(2026, 9, 1), datetime.date(2026, 8, 1)),
        today,
    )
    assert set(errors) == {"end_date", "attendance_on", "contract_end"}
    assert (
        rules.schooling_errors(
            datetime.date(2026, 9, 1), None, datetime.date(2026, 11, 30), (None, None), today
        )
        == {}
    )


# --- services ----------------------------------------------------------------------------


def _hosted(gme, years_to_18: float = 0.5):
    birth = add_years(TODAY(), -18) + datetime.timedelta(days=int(365 * years_to_18))
    return gme.place(entry=TODAY() - 30 * DAY, birth_date=birth, age=None)


SCHOOLING = {
    "establishment": "Lycée Baggio",
    "kind": "cap",
    "level": "CAP 1re année",
    "end_date": None,
    "attendance": "regular",
}


def test_the_hosting_member_records_schooling_and_bad_dates_write_nothing(gme):
    stay = _hosted(gme)
    referent = gme.user(gme.member_b, Role.REFERENT)
    with pytest.raises(ValidationError) as refused:
        services.record_schooling(
            referent,
            stay,
            **{**SCHOOLING, "end_date": TODAY() - 20 * DAY},
            start_date=TODAY() - 10 * DAY,
            attendance_on=TODAY(),
        )
    assert "La fin doit suivre le début" in str(refused.value)
    assert not Schooling.objects.exists()
    schooling = services.record_schooling(
        referent, stay, **SCHOOLING, start_date=TODAY() - 10 * DAY, attendance_on=TODAY()
    )
    assert schooling.author_organisation == gme.member_b
    assert schooling.category == "education_employment"
    assert schooling.history.count() == 1


def test_only_the_hosting_member_writes_the_road_to_18(gme):
    stay = _hosted(gme)
    for user in (
        gme.user(gme.member_c, Role.REFERENT),  # another member of the GME
        gme.user(gme.outsider, Role.REFERENT),  # outside the GME
        gme.funder_user,
    ):
        with pytest.raises(PermissionDenied):
            services.start_permit_preparation(user, stay, TODAY() - 400 * DAY)
    assert not PermitPreparation.objects.exists()


def test_the_permit_file_is_opened_once_and_its_pieces_checked_off(gme):
    stay = _hosted(gme)
    referent = gme.user(gme.member_b, Role.REFERENT)
    with pytest.raises(ValidationError, match="ne peut être future"):
        services.start_permit_preparation(referent, stay, TODAY() + DAY)
    preparation = services.start_permit_preparation(referent, stay, TODAY() - 200 * DAY)
    assert preparation.route == PermitRouteCode.EXCEPTIONAL_WORKER  # entrusted at 17
    with pytest.raises(ValidationError, match="déjà ouverte"):
        services.start_permit_preparation(referent, stay, TODAY() - 200 * DAY)
    kinds = services.piece_kinds(preparation.route)
    assert any("apprentissage" in kind.label for kind in kinds)  # the L.435-3 route's piece
    services.gather_pieces(referent, preparation, [kinds[0].pk, kinds[1].pk])
    services.gather_pieces(referent, preparation, [kinds[1].pk])  # unchecks the first
    assert list(preparation.pieces.values_list("kind_id", flat=True)) == [kinds[1].pk]
    vpf_only = [k for k in services.piece_kinds("vpf") if k not in kinds]
    assert not vpf_only  # no piece of another route could be sent
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.gather_pieces(referent, preparation, [999_999])
    assert PermitPiece.objects.count() == 1


def test_the_interview_is_recorded_once_held(gme):
    stay = _hosted(gme)
    referent = gme.user(gme.member_b, Role.REFERENT)
    with pytest.raises(ValidationError, match="une fois tenu"):
        services.record_interview(referent, stay, TODAY() + DAY, "Le jeune", "—")
    with pytest.raises(ValidationError, match="suit l'entrée"):
        services.record_interview(referent, stay, stay.start_date - DAY, "Le jeune", "—")
    interview = services.record_interview(
        referent, stay, TODAY(), "Le jeune, sa référente, l'ASE", "Projet de CAP confirmé."
    )
    assert interview.category == "housing"
    assert PreparationInterview.objects.count() == 1


def test_the_reminders_job_tells_the_referent_once_when_the_window_opens_and_before_it_closes(
    gme,
):
    stay = _hosted(gme, years_to_18=0.1)  # 18 in about 36 days: the window is open
    referent = gme.user(gme.member_b, Role.REFERENT)
    youth = stay.youth
    youth.referent = referent
    youth.save()
    preparation = services.start_permit_preparation(referent, stay, TODAY() - 30 * DAY)
    opens, deadline = rules.permit_window(youth.birth_date, route(preparation.route))
    assert opens <= TODAY() < deadline
    raised = services.raise_permit_reminders(TODAY())
    assert [r.kind for r in raised] == [ReminderKind.PERMIT_OPENS]
    assert services.raise_permit_reminders(TODAY()) == []  # idempotent
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [referent.email]
    assert youth.last_name not in mail.outbox[0].body  # no personal detail by mail
    home = gme.client(gme.member_b, Role.REFERENT).get("/").content.decode()
    block = home.split('data-todo="housing_permits"')[1].split("</section>")[0]
    assert youth.last_name.upper() in block and "préparation ouverte" in block
    late = deadline - 10 * DAY
    assert [r.kind for r in services.raise_permit_reminders(late)] == [ReminderKind.PERMIT_DEADLINE]
    assert MajorityReminder.objects.filter(youth=youth).count() == 2
    with pytest.raises(ValidationError, match="pas de date future"):
        services.record_filing(referent, preparation, TODAY() + DAY)
    services.record_filing(referent, preparation, TODAY())
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.record_filing(referent, preparation, TODAY())
    MajorityReminder.objects.filter(kind=ReminderKind.PERMIT_DEADLINE).delete()
    assert services.raise_permit_reminders(late) == []  # filed: nothing more to remind


# --- pages -------------------------------------------------------------------------------


def test_the_referent_records_schooling_from_the_page_and_bad_dates_write_nothing(gme):
    stay = _hosted(gme)
    client = gme.client(gme.member_b, Role.REFERENT)
    url = f"/hebergement/sejours/{stay.pk}/scolarite/"
    form = {
        "establishment": "CFA de Lille",
        "kind": "apprenticeship",
        "level": "CAP cuisine",
        "start_date": (TODAY() - 40 * DAY).isoformat(),
        "attendance": "irregular",
        "attendance_on": TODAY().isoformat(),
        "employer": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Un apprentissage se fait chez un employeur" in response.content.decode()
    response = client.post(
        url, {**form, "employer": "Brasserie du Nord", "end_date": (TODAY() - 50 * DAY).isoformat()}
    )
    assert "La fin doit suivre le début" in response.content.decode()
    assert not Schooling.objects.exists()
    response = client.post(url, {**form, "employer": "Brasserie du Nord"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "CFA de Lille" in page and "Irrégulière" in page


def test_the_coordination_reads_the_timeline_and_the_parts_the_youth_shared(gme):
    stay = _hosted(gme)
    referent = gme.user(gme.member_b, Role.REFERENT)
    services.record_schooling(
        referent, stay, **SCHOOLING, start_date=TODAY() - 10 * DAY, attendance_on=TODAY()
    )
    services.start_permit_preparation(referent, stay, TODAY() - 200 * DAY)
    services.record_interview(referent, stay, TODAY(), "Le jeune", "Projet confirmé.")
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    url = f"/hebergement/sejours/{stay.pk}/vers-18-ans/"
    page = coordination.get(url).content.decode()
    assert "Entretien de préparation à la majorité" in page  # housing: the placement's basis
    assert "Lycée Baggio" not in page and "Non communiquée à votre organisation" in page
    assert "Enregistrer une scolarité" not in page  # the member records, not the coordination
    ConsentFactory(
        youth=stay.youth,
        organisation=gme.lead,
        categories=["education_employment", "admin_documents"],
        author_organisation=gme.member_b,
        start_date=TODAY() - DAY,
    )
    page = coordination.get(url).content.decode()
    assert "Lycée Baggio" in page and "CESEDA L.435-3" in page
    listing = coordination.get("/hebergement/majorites/?mois=12").content.decode()
    assert stay.youth.last_name.upper() in listing and "0 pièce sur" in listing


@pytest.mark.parametrize(
    ("member", "role", "status"),
    [
        ("member_c", Role.REFERENT, 404),  # another member: the youth is not theirs
        ("outsider", Role.COORDINATOR, 403),  # outside the GME: no standing
        ("funder", Role.FUNDER_VIEWER, 403),  # aggregates only
        ("member_b", Role.FINANCE_OFFICER, 403),  # no road-to-18 capability
    ],
)
def test_who_may_not_read_a_minors_road_to_18(gme, member, role, status):
    stay = _hosted(gme)
    client = gme.client(getattr(gme, member), role)
    assert client.get(f"/hebergement/sejours/{stay.pk}/vers-18-ans/").status_code == status
    assert client.post(f"/hebergement/sejours/{stay.pk}/scolarite/", {}).status_code == status
    assert client.get("/hebergement/majorites/").status_code == 403


def test_a_member_without_the_coordination_cannot_record_for_another_members_stay(gme):
    stay = _hosted(gme)
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    url = f"/hebergement/sejours/{stay.pk}/titre-de-sejour/"
    response = coordination.post(url, {"entrusted_on": (TODAY() - 100 * DAY).isoformat()})
    assert response.status_code == 403
    assert not PermitPreparation.objects.exists()


def test_the_transfer_page_shows_the_schooling_to_whom_may_read_it(gme):
    stay = _hosted(gme)
    services.record_schooling(
        gme.user(gme.member_b, Role.REFERENT),
        stay,
        **SCHOOLING,
        start_date=TODAY() - 10 * DAY,
        attendance_on=TODAY(),
    )
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    url = f"/hebergement/sejours/{stay.pk}/reorienter/"
    assert "Lycée Baggio" not in coordination.get(url).content.decode()
    ConsentFactory(
        youth=stay.youth,
        organisation=gme.lead,
        categories=["education_employment"],
        author_organisation=gme.member_b,
        start_date=TODAY() - DAY,
    )
    assert "Lycée Baggio" in coordination.get(url).content.decode()


def test_the_coming_majorities_list_keeps_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    gme = build_gme(capacity_b=6)
    client = gme.client(gme.lead, Role.COORDINATOR)
    referent = gme.user(gme.member_b, Role.REFERENT)

    def grow(count: int) -> None:
        for _ in range(count):
            stay = _hosted(gme, years_to_18=0.2)
            services.start_permit_preparation(referent, stay, TODAY() - 40 * DAY)

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/hebergement/majorites/").status_code == 200
    grow(4)
    with django_assert_max_num_queries(len(small)):
        response = client.get("/hebergement/majorites/?mois=12")
    assert response.content.decode().count("non communiqué") == 5


def test_the_demo_holds_a_minor_on_her_road_to_18(demo):
    preparation = PermitPreparation.objects.get(youth__last_name="Konaté")
    assert preparation.route == PermitRouteCode.EXCEPTIONAL_WORKER
    assert preparation.pieces.count() == 3
    assert Schooling.objects.filter(youth=preparation.youth).count() == 1
    coordination = demo.users["coordination"]
    assert preparation.youth.consents.filter(organisation__memberships__user=coordination)


def test_the_record_shows_the_road_to_18_panel_to_the_hosting_member(gme):
    stay = _hosted(gme)
    referent = gme.user(gme.member_b, Role.REFERENT)
    services.record_schooling(
        referent, stay, **SCHOOLING, start_date=TODAY() - 10 * DAY, attendance_on=TODAY()
    )
    page = gme.client(gme.member_b, Role.REFERENT).get(f"/jeunes/{stay.youth_id}/")
    text = page.content.decode()
    assert "Vers 18 ans" in text and "Lycée Baggio" in text and "préparation non ouverte" in text
    assert f"/hebergement/sejours/{stay.pk}/vers-18-ans/" in text


def test_the_host_records_the_filing_and_a_future_date_writes_nothing(gme):
    stay = _hosted(gme)
    referent = gme.user(gme.member_b, Role.REFERENT)
    preparation = services.start_permit_preparation(referent, stay, TODAY() - 200 * DAY)
    url = f"/hebergement/titres-de-sejour/{preparation.pk}/depot/"
    assert gme.client(gme.lead, Role.COORDINATOR).get(url).status_code == 403
    client = gme.client(gme.member_b, Role.REFERENT)
    response = client.post(url, {"filed_on": (TODAY() + DAY).isoformat()})
    assert response.status_code == 200 and "pas de date future" in response.content.decode()
    preparation.refresh_from_db()
    assert preparation.filed_on is None
    assert client.post(url, {"filed_on": TODAY().isoformat()}).status_code == 302
    preparation.refresh_from_db()
    assert preparation.filed_on == TODAY()
