"""Sites, capacity over time, waves and site loans managed from the web pages by each
member's staff and the coordination, with French refusals, nothing saved on
error, history kept, and who must NOT manage them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import inlineformset_factory
from django.test.utils import CaptureQueriesContext

from coparcours.housing.admin import CapacityChangeFormSet
from coparcours.housing.factories import CapacityChangeFactory, SiteFactory, WaveFactory
from coparcours.housing.models import CapacityChange, Site, SiteLoan, Wave
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import sites as site_services
from coparcours.organisations.models import Role
from tests.access.declared import declared_status

from .conftest import TODAY

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)

SITE_POST = {
    "name": "Maison des Tilleuls",
    "kind": "other_establishment",
    "host_establishment": "CHRS Les Tilleuls",
    "address": "3 rue des Tilleuls",
    "postal_code": "59100",
    "city": "Roubaix",
    "min_age": "15",
    "max_age": "17",
    "accepted_sex": "F",
}


def test_a_member_declares_and_edits_its_site_with_history(gme):
    director = gme.client(gme.member_b, Role.DIRECTOR)
    page = director.get("/hebergement/sites/").content.decode()
    assert "Maison B" in page and gme.site_c.name not in page  # its own sites only
    response = director.post(
        "/hebergement/sites/nouveau/",
        {**SITE_POST, "consortium": gme.consortium.pk, "organisation": gme.member_b.pk},
    )
    site = Site.objects.get(name="Maison des Tilleuls")
    assert response.status_code == 302 and response.url == f"/hebergement/sites/{site.pk}/"
    assert site.organisation == gme.member_b and site.accepted_sex == "F"
    response = director.post(
        f"/hebergement/sites/{site.pk}/modifier/", {**SITE_POST, "max_age": 18}
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.max_age == 18 and site.history.count() == 2
    detail = director.get(f"/hebergement/sites/{site.pk}/").content.decode()
    assert "Historique des modifications" in detail and "CHRS Les Tilleuls" in detail


def test_site_declaration_refuses_bad_input_in_french_and_saves_nothing(gme):
    director = gme.client(gme.member_b, Role.DIRECTOR)
    bad = {
        **SITE_POST,
        "consortium": gme.consortium.pk,
        "organisation": gme.member_b.pk,
        "postal_code": "59",
        "min_age": "17",
        "max_age": "12",
        "host_establishment": "",
    }
    body = director.post("/hebergement/sites/nouveau/", bad).content.decode()
    assert "cinq chiffres" in body
    assert "au moins l&#x27;âge minimum" in body
    assert "CHRS, centre maternel" in body
    duplicate = {**SITE_POST, "name": "maison b", "consortium": gme.consortium.pk}
    body = director.post(
        "/hebergement/sites/nouveau/", {**duplicate, "organisation": gme.member_b.pk}
    ).content.decode()
    assert "porte déjà ce nom" in body
    # another member's organisation is not among the choices of B's staff
    body = director.post(
        "/hebergement/sites/nouveau/", {**duplicate, "organisation": gme.member_c.pk}
    ).content.decode()
    assert "Sélectionnez un choix valide" in body
    assert Site.objects.count() == 2


def test_only_the_coordination_and_the_members_staff_manage_sites(gme):
    with pytest.raises(PermissionDenied):
        site_services.declare_site(
            gme.user(gme.member_c, Role.DIRECTOR),
            gme.consortium,
            gme.member_b,
            **{**SITE_POST, "min_age": 15, "max_age": 17},
        )
    for organisation, role in [
        (gme.member_c, Role.REFERENT),
        (gme.funder, Role.FUNDER_VIEWER),
        (gme.outsider, Role.DIRECTOR),
    ]:
        client = gme.client(organisation, role)
        user = gme.user(organisation, role)
        for page in ("", "modifier/", "capacite/"):  # another member's site: not found
            url = f"/hebergement/sites/{gme.site_b.pk}/{page}"
            assert client.get(url).status_code == declared_status(user, url, 404)
    assert gme.client(gme.funder, Role.FUNDER_VIEWER).get("/hebergement/sites/").status_code == 403
    outsider = gme.client(gme.outsider, Role.DIRECTOR)  # not a member: no sites at all
    assert outsider.get("/hebergement/sites/").status_code == 403
    assert outsider.get("/hebergement/sites/nouveau/").status_code == 403
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    page = coordination.get("/hebergement/sites/").content.decode()
    assert "Maison B" in page and "Appartements C" in page
    response = coordination.post(
        "/hebergement/sites/nouveau/",
        {**SITE_POST, "consortium": gme.consortium.pk, "organisation": gme.member_c.pk},
    )
    assert response.status_code == 302
    assert Site.objects.get(name="Maison des Tilleuls").organisation == gme.member_c


def test_capacity_over_time_from_the_pages_never_negative_history_kept(gme):
    wave = WaveFactory(consortium=gme.consortium, name="Vague de 2020", planned_places=5)
    director = gme.client(gme.member_b, Role.DIRECTOR)
    url = f"/hebergement/sites/{gme.site_b.pk}/capacite/"
    response = director.post(url, {"wave": wave.pk, "places": "4", "planned_on": "2020-01-15"})
    assert response.status_code == 302
    planned = CapacityChange.objects.get(wave=wave)
    assert planned.opened_on is None  # planned, not yet opened
    body = director.get(f"/hebergement/sites/{gme.site_b.pk}/").content.decode()
    assert 'data-opened="2"' in body  # only the opened places count
    response = director.post(
        f"/hebergement/capacites/{planned.pk}/modifier/",
        {"wave": wave.pk, "places": "4", "planned_on": "2020-01-15", "opened_on": "2020-03-02"},
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.opened_on == datetime.date(2020, 3, 2) and planned.history.count() == 2
    body = director.post(
        url, {"places": "-7", "planned_on": "2021-01-01", "opened_on": "2021-01-01"}
    ).content.decode()
    assert "deviendrait négative le 01/01/2021" in body
    body = director.post(url, {"places": "0", "planned_on": "2021-01-01"}).content.decode()
    assert "non nul" in body
    # moving the opening of the first places after a closing would go below zero
    site_services.record_capacity_change(
        gme.user(gme.member_b, Role.DIRECTOR),
        gme.site_b,
        -2,
        datetime.date(2021, 6, 1),
        datetime.date(2021, 6, 1),
    )
    body = director.post(
        f"/hebergement/capacites/{planned.pk}/modifier/",
        {"places": "-6", "planned_on": "2020-01-15", "opened_on": "2020-03-02"},
    ).content.decode()
    assert "deviendrait négative" in body
    planned.refresh_from_db()
    assert planned.places == 4 and CapacityChange.objects.filter(site=gme.site_b).count() == 3
    other = gme.client(gme.member_c, Role.DIRECTOR)
    assert other.get(f"/hebergement/capacites/{planned.pk}/modifier/").status_code == 404


def test_the_admin_inline_also_refuses_a_negative_capacity(gme):
    formset_class = inlineformset_factory(
        Site,
        CapacityChange,
        formset=CapacityChangeFormSet,
        fields=["wave", "places", "planned_on", "opened_on"],
        extra=0,
    )
    existing = gme.site_b.capacity_changes.get()
    data = {
        "capacity_changes-TOTAL_FORMS": "2",
        "capacity_changes-INITIAL_FORMS": "1",
        "capacity_changes-0-id": existing.pk,
        "capacity_changes-0-places": "2",
        "capacity_changes-0-planned_on": "2019-01-01",
        "capacity_changes-0-opened_on": "2019-01-01",
        "capacity_changes-1-places": "-3",
        "capacity_changes-1-planned_on": "2019-06-01",
        "capacity_changes-1-opened_on": "2019-06-01",
    }
    formset = formset_class(data, instance=gme.site_b, prefix="capacity_changes")
    assert not formset.is_valid()
    assert "deviendrait négative le 01/06/2019" in str(formset.non_form_errors())
    data["capacity_changes-1-places"] = "-2"
    assert formset_class(data, instance=gme.site_b, prefix="capacity_changes").is_valid()
    # deleting the opening leaves the closing alone: refused too
    data["capacity_changes-0-DELETE"] = "on"
    formset = formset_class(data, instance=gme.site_b, prefix="capacity_changes")
    assert not formset.is_valid()


WAVE_POST = {
    "name": "Vague de décembre 2019",
    "decided_on": "2019-12-10",
    "planned_places": "50",
    "planned_start": "2020-01-01",
    "planned_end": "2020-12-31",
}


def test_waves_are_recorded_by_the_funder_or_the_coordination(gme):
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    assert funder.post("/hebergement/vagues/nouvelle/", WAVE_POST).status_code == 302
    wave = Wave.objects.get()
    assert wave.consortium == gme.consortium and wave.planned_places == 50
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    response = coordination.post(
        f"/hebergement/vagues/{wave.pk}/modifier/", {**WAVE_POST, "planned_places": "40"}
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.planned_places == 40 and wave.history.count() == 2
    body = coordination.post(
        "/hebergement/vagues/nouvelle/",
        {**WAVE_POST, "planned_places": "0", "planned_end": "2019-06-01"},
    ).content.decode()
    assert "au moins une place" in body and "ne peut pas précéder leur début" in body
    body = coordination.post(
        "/hebergement/vagues/nouvelle/", {**WAVE_POST, "decided_on": "2020-02-01"}
    ).content.decode()
    assert "avant la décision" in body
    assert Wave.objects.count() == 1
    for organisation, role in [(gme.member_b, Role.DIRECTOR), (gme.outsider, Role.COORDINATOR)]:
        client = gme.client(organisation, role)
        assert client.get("/hebergement/vagues/").status_code == 403
        assert client.post("/hebergement/vagues/nouvelle/", WAVE_POST).status_code == 403
        assert client.get(f"/hebergement/vagues/{wave.pk}/modifier/").status_code == 403
    with pytest.raises(PermissionDenied):
        site_services.update_wave(gme.user(gme.member_b, Role.DIRECTOR), wave, planned_places=1)


def test_the_waves_page_shows_planned_against_opened_without_members_details(gme):
    wave = WaveFactory(consortium=gme.consortium, name="Vague 2020", planned_places=50)
    CapacityChangeFactory(site=gme.site_b, wave=wave, places=20, planned_on=TODAY())
    CapacityChangeFactory(site=gme.site_c, wave=wave, places=30, opened_on=None)
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER).get("/hebergement/vagues/")
    body = funder.content.decode()
    assert funder.status_code == 200 and 'data-opened="20"' in body
    assert "capacity-chart" in body
    assert gme.site_b.name not in body and gme.site_c.name not in body
    progress = {p.wave.name: p for p in funder.context["progress"]}
    assert (progress["Vague 2020"].planned_at_sites, progress["Vague 2020"].opened) == (50, 20)


LOAN_POST = {"convention_reference": "CONV-2020-03", "signed_on": "", "start_date": ""}


def test_a_member_lends_a_site_from_the_loans_page(gme):
    director_b = gme.client(gme.member_b, Role.DIRECTOR)
    today = TODAY().isoformat()
    data = {**LOAN_POST, "signed_on": today, "start_date": today, "site": gme.site_b.pk}
    body = director_b.post(
        "/hebergement/prets/nouveau/", {**data, "borrower": gme.member_b.pk}
    ).content.decode()
    assert "ne se prête pas son propre site" in body
    body = director_b.post(
        "/hebergement/prets/nouveau/",
        {**data, "borrower": gme.member_c.pk, "signed_on": (TODAY() + DAY).isoformat()},
    ).content.decode()
    assert "au plus tard le premier jour" in body
    assert not SiteLoan.objects.exists()
    response = director_b.post("/hebergement/prets/nouveau/", {**data, "borrower": gme.member_c.pk})
    assert response.status_code == 302
    loan = SiteLoan.objects.get()
    assert loan.borrower == gme.member_c and loan.history.count() == 1
    assert gme.site_b.operator_on(TODAY()) == gme.member_c
    for organisation, role, sees in [
        (gme.member_b, Role.REFERENT, True),
        (gme.member_c, Role.DIRECTOR, True),  # the borrower
        (gme.lead, Role.COORDINATOR, True),
        (gme.lead, Role.REFERENT, False),  # the lead's staff, not the coordination
    ]:
        page = gme.client(organisation, role).get("/hebergement/prets/").content.decode()
        assert ("CONV-2020-03" in page) == sees, (organisation, role)
    for organisation, role in [(gme.funder, Role.FUNDER_VIEWER), (gme.outsider, Role.COUNSELLOR)]:
        client = gme.client(organisation, role)
        assert client.get("/hebergement/prets/").status_code == 403
        assert client.get("/hebergement/prets/nouveau/").status_code == 403
    # C's staff cannot lend B's site: it is not among their choices
    body = (
        gme.client(gme.member_c, Role.DIRECTOR)
        .post("/hebergement/prets/nouveau/", {**data, "borrower": gme.lead.pk})
        .content.decode()
    )
    assert "Sélectionnez un choix valide" in body
    with pytest.raises(ValidationError):
        site_services.lend_site(
            gme.coordinator,
            gme.site_b,
            gme.lead,
            convention_reference="C-2",
            signed_on=TODAY(),
            start_date=TODAY(),
        )


def _more_sites(gme, n: int) -> None:
    for _ in range(n):
        site = SiteFactory(consortium=gme.consortium, organisation=gme.member_b)
        wave = WaveFactory(consortium=gme.consortium)
        CapacityChangeFactory(site=site, wave=wave, places=3)
        CapacityChangeFactory(site=site, wave=wave, places=2, opened_on=None)
        site_services.lend_site(
            gme.coordinator,
            site,
            gme.member_c,
            convention_reference="C",
            signed_on=TODAY(),
            start_date=TODAY(),
        )


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/hebergement/sites/", "coordination"),
        ("/hebergement/sites/", "member"),
        ("/hebergement/vagues/", "coordination"),
        ("/hebergement/vagues/", "funder"),
        ("/hebergement/prets/", "member"),
        ("/hebergement/site-b/", "member"),
    ],
)
def test_site_pages_keep_a_bounded_number_of_queries(gme, url, who, django_assert_max_num_queries):
    client = {
        "coordination": gme.client(gme.lead, Role.COORDINATOR),
        "member": gme.client(gme.member_b, Role.DIRECTOR),
        "funder": gme.client(gme.funder, Role.FUNDER_VIEWER),
    }[who]
    url = url.replace("site-b/", f"sites/{gme.site_b.pk}/")
    _more_sites(gme, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_sites(gme, 10)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
    assert len(small) <= 16, [q["sql"] for q in small.captured_queries]


def test_member_staff_find_housing_in_the_navigation(gme):
    for organisation, role, shown in [
        (gme.member_b, Role.REFERENT, True),
        (gme.member_b, Role.DIRECTOR, True),
        (gme.lead, Role.COORDINATOR, True),
        (gme.funder, Role.FUNDER_VIEWER, True),
        (gme.member_b, Role.FINANCE_OFFICER, False),
    ]:
        page = gme.client(organisation, role).get("/").content.decode()
        start = page.index('class="main-nav"')
        nav = page[start : page.index("</nav>", start)]
        assert ('href="/hebergement/"' in nav) == shown, (organisation, role)
    referent = gme.client(gme.member_b, Role.REFERENT)
    response = referent.get("/hebergement/")
    assert response.status_code == 302 and response.url == "/hebergement/propositions/"
    links = referent.get("/hebergement/sites/").content.decode()
    assert "/hebergement/prets/" in links and "/hebergement/disponibilites/" not in links


def test_home_pages_show_the_housing_figures(gme):
    gme.file(reference="ASE-H1")
    waiting = gme.file(reference="ASE-H2")
    request_services.put_on_waiting_list(gme.coordinator, waiting)
    home = gme.client(gme.lead, Role.COORDINATOR).get("/").content.decode()
    assert "Coordination du groupement" in home
    assert 'data-todo="housing_requests"' in home
    assert "ASE-H1" in home and "ASE-H2" in home and "en liste d&#x27;attente" in home
    home = gme.client(gme.funder, Role.FUNDER_VIEWER).get("/").content.decode()
    assert 'data-todo="housing_my_requests"' in home and "Déposer une demande" in home
    assert "ASE-H1" in home and "En liste d&#x27;attente" in home
    # a coordinator of a member that does not lead the GME coordinates nothing
    home = gme.client(gme.member_b, Role.COORDINATOR).get("/").content.decode()
    assert "ne coordonne aucun groupement" in home and "ASE-H1" not in home


def test_the_administration_applies_the_same_french_rules(gme, admin_client):
    """Sites and waves edited in the administration are validated by the models' ``clean``,
    the same rules as the pages."""
    site = Site(
        consortium=gme.consortium,
        organisation=gme.outsider,
        **{**SITE_POST, "postal_code": "5910", "min_age": 15, "max_age": 25},
    )
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert set(error.value.message_dict) >= {"organisation", "postal_code", "max_age"}
    wave = Wave(consortium=gme.consortium, **{**WAVE_POST, "planned_places": 0})
    with pytest.raises(ValidationError, match="au moins une place"):
        wave.full_clean()
    response = admin_client.post(
        "/admin/housing/wave/add/",
        {**WAVE_POST, "consortium": gme.consortium.pk, "planned_places": "0"},
    )
    assert response.status_code == 200 and "au moins une place" in response.content.decode()
    assert not Wave.objects.exists()
