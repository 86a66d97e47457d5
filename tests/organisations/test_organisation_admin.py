"""The administrator builds the territory in the Django admin: organisations, consortia,
accounts and memberships, with the same rules as the services (French messages, all or
nothing)."""

from __future__ import annotations

import datetime

import pytest

from coparcours.accounts.models import User
from coparcours.organisations.factories import OrganisationFactory, valid_siret
from coparcours.organisations.models import (
    Consortium,
    ConsortiumMember,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo, login_client):
    return login_client(demo.users["admin"])


def inline_management(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """POST data of an admin inline formset (management form and rows)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def consortium_post(funder: Organisation, members: list[tuple[Organisation, bool]]) -> dict:
    data = {
        "name": "GME Sambre-Avesnois",
        "kind": "gme",
        "funder": str(funder.pk),
        "liability": "solidaire",
        "start_date": "01/09/2025",
        "end_date": "",
        "renewal_date": "",
    }
    rows = [
        {"organisation": str(org.pk), "joined_on": "01/09/2025", "left_on": ""}
        | ({"is_lead": "on"} if lead else {})
        for org, lead in members
    ]
    return data | inline_management("members", rows)


def inline_errors(response) -> str:
    formset = response.context["inline_admin_formsets"][0].formset
    return " ".join(formset.non_form_errors()) + " ".join(
        " ".join(errors) for form_errors in formset.errors for errors in form_errors.values()
    )


ADD_CONSORTIUM = "/admin/organisations/consortium/add/"


def test_administrator_creates_an_organisation(admin_client):
    response = admin_client.post(
        "/admin/organisations/organisation/add/",
        {
            "kind": OrganisationKind.MISSION_LOCALE,
            "name": "Mission locale de Roubaix",
            "siret": "73282932000074",
            "departement_code": "59",
            "address": "40 rue du Grand Chemin",
            "postal_code": "59100",
            "city": "Roubaix",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(name="Mission locale de Roubaix")
    assert organisation.kind == OrganisationKind.MISSION_LOCALE
    assert organisation.siret == "73282932000074"


def test_admin_refuses_a_wrong_siret_and_a_wrong_departement_in_french(admin_client):
    response = admin_client.post(
        "/admin/organisations/organisation/add/",
        {
            "kind": OrganisationKind.ASSOCIATION,
            "name": "Association fautive",
            "siret": "73282932000075",
            "departement_code": "20",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Numéro SIRET invalide" in errors["siret"][0]
    assert "Code de département invalide" in errors["departement_code"][0]
    assert not Organisation.objects.filter(name="Association fautive").exists()


def test_admin_refuses_a_siret_already_used(admin_client, demo):
    response = admin_client.post(
        "/admin/organisations/organisation/add/",
        {
            "kind": OrganisationKind.ASSOCIATION,
            "name": "Homonyme d'Alefpa",
            "siret": demo.alefpa.siret,
            "departement_code": "59",
        },
    )
    assert response.status_code == 200
    assert "Une organisation avec ce SIRET existe déjà." in str(
        response.context["adminform"].form.errors
    )
    assert not Organisation.objects.filter(name="Homonyme d'Alefpa").exists()


def test_administrator_creates_a_consortium_with_its_members_and_one_lead(admin_client, demo):
    response = admin_client.post(
        ADD_CONSORTIUM,
        consortium_post(
            demo.departement,
            [(demo.alefpa, False), (demo.asrl, True), (demo.temps_de_vie, False)],
        ),
    )
    assert response.status_code == 302, inline_errors(response)
    consortium = Consortium.objects.get(name="GME Sambre-Avesnois")
    assert consortium.funder == demo.departement
    assert consortium.start_date == datetime.date(2025, 9, 1)
    assert consortium.members.count() == 3
    assert consortium.lead.organisation == demo.asrl


@pytest.mark.parametrize(
    ("leads", "message"),
    [
        ((False, False, False), "Désignez le mandataire : un membre du groupement doit l'être."),
        ((True, True, False), "Un seul membre peut être mandataire du groupement."),
        ((True, True, True), "Un seul membre peut être mandataire du groupement."),
    ],
)
def test_admin_wants_exactly_one_lead_and_saves_nothing_otherwise(
    admin_client, demo, leads, message
):
    organisations = [demo.alefpa, demo.asrl, demo.temps_de_vie]
    response = admin_client.post(
        ADD_CONSORTIUM, consortium_post(demo.departement, list(zip(organisations, leads)))
    )
    assert response.status_code == 200
    assert message in inline_errors(response)
    assert not Consortium.objects.filter(name="GME Sambre-Avesnois").exists()


def test_admin_refuses_a_consortium_without_members(admin_client, demo):
    response = admin_client.post(ADD_CONSORTIUM, consortium_post(demo.departement, []))
    assert response.status_code == 200
    assert "Désignez le mandataire" in inline_errors(response)
    assert not Consortium.objects.filter(name="GME Sambre-Avesnois").exists()


def test_admin_refuses_the_same_member_twice_and_saves_nothing(admin_client, demo):
    response = admin_client.post(
        ADD_CONSORTIUM,
        consortium_post(demo.departement, [(demo.alefpa, True), (demo.alefpa, False)]),
    )
    assert response.status_code == 200
    assert "Cette organisation est déjà membre du groupement." in inline_errors(response)
    assert not Consortium.objects.filter(name="GME Sambre-Avesnois").exists()
    assert not ConsortiumMember.objects.filter(consortium__name="GME Sambre-Avesnois").exists()


def test_admin_refuses_a_consortium_ending_before_it_starts_in_french(admin_client, demo):
    data = consortium_post(demo.departement, [(demo.alefpa, True)]) | {"end_date": "31/08/2025"}
    response = admin_client.post(ADD_CONSORTIUM, data)
    assert response.status_code == 200
    assert "La fin doit être postérieure au début." in str(response.context["adminform"].errors)
    assert not Consortium.objects.filter(name="GME Sambre-Avesnois").exists()


def test_admin_moves_the_lead_to_another_member(admin_client, demo):
    members = list(demo.gme.members.all())  # lead first (model ordering)
    assert members[0].is_lead
    rows = [
        {
            "id": str(member.pk),
            "consortium": str(demo.gme.pk),
            "organisation": str(member.organisation_id),
            "joined_on": member.joined_on.strftime("%d/%m/%Y"),
            "left_on": "",
        }
        | ({"is_lead": "on"} if member.organisation == demo.asrl else {})
        for member in members
    ]
    data = {
        "name": demo.gme.name,
        "kind": demo.gme.kind,
        "funder": str(demo.departement.pk),
        "liability": demo.gme.liability,
        "start_date": "15/11/2018",
        "end_date": "",
        "renewal_date": "15/11/2021",
    } | inline_management("members", rows, initial=len(rows))
    response = admin_client.post(f"/admin/organisations/consortium/{demo.gme.pk}/change/", data)
    assert response.status_code == 302, inline_errors(response)
    demo.gme.refresh_from_db()
    assert demo.gme.lead.organisation == demo.asrl
    assert demo.gme.members.filter(is_lead=True).count() == 1


def user_post(email: str, memberships: list[dict]) -> dict:
    return {
        "email": email,
        "first_name": "Inès",
        "last_name": "Martin",
        "password1": "Un-mot-de-passe-solide-2026",
        "password2": "Un-mot-de-passe-solide-2026",
        "usable_password": "true",
    } | inline_management("memberships", memberships)


def test_administrator_creates_a_user_with_memberships(admin_client, demo):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        user_post(
            "ines.martin@exemple.fr",
            [
                {"organisation": str(org.pk), "role": Role.REFERENT, "start_date": "01/01/2026"}
                for org in (demo.asrl, demo.porteur)
            ],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="ines.martin@exemple.fr")
    assert user.check_password("Un-mot-de-passe-solide-2026")
    assert sorted(user.memberships.values_list("organisation__name", flat=True)) == [
        "ASRL",
        "Rebond Jeunes Lille (porteur CEJ-JR)",
    ]


def test_admin_refuses_the_same_role_twice_in_one_user_form(admin_client, demo):
    row = {"organisation": str(demo.asrl.pk), "role": Role.REFERENT, "start_date": "01/01/2026"}
    response = admin_client.post(
        "/admin/accounts/user/add/", user_post("doublon@exemple.fr", [row, dict(row)])
    )
    assert response.status_code == 200
    assert "déjà ce rôle dans cette organisation" in inline_errors(response)
    assert not User.objects.filter(email="doublon@exemple.fr").exists()
    assert not Membership.objects.filter(user__email="doublon@exemple.fr").exists()


def test_user_form_accepts_the_same_role_on_successive_periods(admin_client, demo):
    rows = [
        {
            "organisation": str(demo.asrl.pk),
            "role": Role.REFERENT,
            "start_date": "01/01/2024",
            "end_date": "01/01/2025",
        },
        {"organisation": str(demo.asrl.pk), "role": Role.REFERENT, "start_date": "01/01/2025"},
    ]
    response = admin_client.post("/admin/accounts/user/add/", user_post("suite@exemple.fr", rows))
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="suite@exemple.fr").count() == 2


def test_administrator_adds_a_membership(admin_client, demo):
    user = demo.users["conseiller"]
    response = admin_client.post(
        "/admin/organisations/membership/add/",
        {
            "user": str(user.pk),
            "organisation": str(demo.porteur.pk),
            "role": Role.DIRECTOR,
            "start_date": "01/02/2026",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    assert user.memberships.filter(organisation=demo.porteur, role=Role.DIRECTOR).exists()


def test_admin_refuses_an_overlapping_membership_in_french(admin_client, demo):
    user = demo.users["conseiller"]
    before = Membership.objects.count()
    response = admin_client.post(
        "/admin/organisations/membership/add/",
        {
            "user": str(user.pk),
            "organisation": str(demo.mission_locale.pk),
            "role": Role.COUNSELLOR,
            "start_date": "01/03/2025",
            "end_date": "01/03/2026",
        },
    )
    assert response.status_code == 200
    assert "déjà ce rôle dans cette organisation sur cette période" in str(
        response.context["adminform"].form.errors
    )
    assert Membership.objects.count() == before


def test_admin_ends_a_membership_with_a_date_and_never_deletes_it(admin_client, demo):
    membership = demo.users["conseiller"].memberships.get()
    change_url = f"/admin/organisations/membership/{membership.pk}/change/"
    page = admin_client.get(change_url)
    assert page.status_code == 200
    delete_url = f"/admin/organisations/membership/{membership.pk}/delete/"
    assert delete_url not in page.content.decode()
    assert admin_client.get(delete_url).status_code == 403
    changelist = admin_client.get("/admin/organisations/membership/")
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None  # no bulk deletion either
    response = admin_client.post(
        change_url,
        {
            "user": str(membership.user_id),
            "organisation": str(membership.organisation_id),
            "role": membership.role,
            "start_date": membership.start_date.strftime("%d/%m/%Y"),
            "end_date": "01/01/2026",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 1, 1)


def test_user_admin_offers_no_membership_deletion(admin_client, demo):
    user = demo.users["referente"]
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="memberships-0-DELETE"' not in page
    assert 'name="memberships-0-end_date"' in page


def test_organisation_admin_search_and_filters(admin_client, demo):
    OrganisationFactory(name="Association de Valenciennes", siret=valid_siret(77))
    response = admin_client.get("/admin/organisations/organisation/", {"q": "Valenciennes"})
    assert response.status_code == 200
    assert [o.name for o in response.context["cl"].result_list] == ["Association de Valenciennes"]
    response = admin_client.get(
        "/admin/organisations/organisation/", {"kind__exact": OrganisationKind.MISSION_LOCALE}
    )
    assert [o.name for o in response.context["cl"].result_list] == ["Mission locale de Lille"]
