"""The library beyond one partnership: funders designate publishers for their territory;
a designated publisher's guide reaches the partnerships it chooses, its territory or every
user; each partnership pins or hides what reached it; nothing beyond without a designation."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.demo.directory_partners import LIBRARY_GUIDE
from coparcours.directory import guides, library
from coparcours.directory.models import (
    Guide,
    GuideKind,
    GuidePlacement,
    GuideReach,
    LibraryPublisher,
    TerritoryLevel,
)
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, OrganisationKind, Role
from coparcours.organisations.territories import REGION_OF, REGIONS
from coparcours.organisations.validators import DEPARTEMENT_CODE


@pytest.fixture
def kit(demo) -> Guide:
    return Guide.objects.get(title=LIBRARY_GUIDE)


@pytest.fixture
def paris(demo):
    """A CEJ-JR partnership in Paris (Île-de-France) and its porteur's referent."""
    dreets = OrganisationFactory(kind=OrganisationKind.DREETS, departement_code="75")
    porteur = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, departement_code="75")
    partnership = ConsortiumFactory(kind=ConsortiumKind.CEJ_JR, funder=dreets)
    ConsortiumMemberFactory(consortium=partnership, organisation=porteur, is_lead=True)
    referent = MembershipFactory(organisation=porteur, role=Role.REFERENT).user
    return partnership, referent


def _page(client, path: str) -> str:
    return unescape(client.get(path).content.decode())


def test_every_departement_belongs_to_one_region():
    codes = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    codes += ["971", "972", "973", "974", "976"]
    assert all(DEPARTEMENT_CODE.match(code) for code in codes)
    assert sorted(REGION_OF) == sorted(codes)
    assert sum(len(departements) for _name, departements in REGIONS.values()) == len(codes)


def test_the_regional_kit_reaches_the_gme_pinned_and_not_another_region(
    demo, login_client, kit, paris
):
    assert kit.reach == GuideReach.TERRITORY and kit.territory_code == "32"
    coordination = _page(login_client(demo.users["coordination"]), "/annuaire/guides/")
    pinned = coordination.split('id="pinned"')[1].split("<h2")[0]
    assert LIBRARY_GUIDE in pinned and "Hauts-de-France" in pinned
    assert "Rebond Jeunes Lille" in pinned  # who published it
    _partnership, referent = paris
    far = login_client(referent)
    assert LIBRARY_GUIDE not in _page(far, "/annuaire/guides/")
    assert far.get(f"/annuaire/guides/{kit.pk}/").status_code == 404
    assert AuditLog.objects.filter(user=referent, event=AuditEvent.DENIED).exists()


def test_a_funder_designates_a_publisher_of_its_territory_then_ends_it(demo, login_client):
    dreets = login_client(demo.users["dreets"])
    page = _page(dreets, "/annuaire/bibliotheque/editeurs/")
    assert "Hauts-de-France" in page and "Rebond Jeunes Lille (porteur CEJ-JR)" in page
    mission_locale = demo.mission_locale
    funder = demo.dreets
    response = dreets.post(
        "/annuaire/bibliotheque/editeurs/",
        {"funder": funder.pk, f"f{funder.pk}-organisation": mission_locale.pk},
    )
    assert response.status_code == 302
    designation = LibraryPublisher.objects.get(organisation=mission_locale, ended_on=None)
    assert (designation.level, designation.territory_code) == (TerritoryLevel.REGION, "32")
    assert AuditLog.objects.filter(
        event=AuditEvent.ADMIN, object_id=str(designation.pk), organisation_id=funder.pk
    ).exists()
    confirm = _page(dreets, f"/annuaire/bibliotheque/editeurs/{designation.pk}/fin/")
    assert "ne pourra plus publier" in confirm and "restent dans les bibliothèques" in confirm
    dreets.post(f"/annuaire/bibliotheque/editeurs/{designation.pk}/fin/")
    designation.refresh_from_db()
    assert designation.ended_on == timezone.localdate()


def test_a_funder_designates_only_in_its_territory_and_only_funders_designate(
    demo, login_client, paris
):
    departement = demo.departement  # Nord: its territory is 59
    elsewhere = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, departement_code="62")
    client = login_client(demo.users["departement"])
    response = client.post(
        "/annuaire/bibliotheque/editeurs/",
        {"funder": departement.pk, f"f{departement.pk}-organisation": elsewhere.pk},
    )
    assert response.status_code == 200
    assert not LibraryPublisher.objects.filter(organisation=elsewhere).exists()
    designation = LibraryPublisher.objects.get(organisation=demo.porteur)
    # The Département did not make the DREETS's designation: it cannot end it.
    assert client.get(f"/annuaire/bibliotheque/editeurs/{designation.pk}/fin/").status_code == 403
    for login in ("coordination", "referente", "conseiller"):
        refused = login_client(demo.users[login]).get("/annuaire/bibliotheque/editeurs/")
        assert refused.status_code == 403


def test_beyond_its_partnership_only_with_a_designation(demo, login_client, kit):
    coordination = demo.users["coordination"]  # Alefpa: not designated
    gme = demo.gme
    with pytest.raises(ValidationError, match="pas désignée éditrice"):
        guides.create_guide(
            coordination,
            gme,
            kind=GuideKind.OTHER,
            title="Note régionale",
            owner=coordination,
            review_on=timezone.localdate() + datetime.timedelta(days=30),
            body="Texte.",
            reach=GuideReach.TERRITORY,
            territory=library.Territory(TerritoryLevel.REGION, "32"),
        )
    assert not Guide.objects.filter(title="Note régionale").exists()
    client = login_client(coordination)
    form = _page(client, "/annuaire/guides/nouveau/")
    assert "Diffusion" not in form  # nothing beyond its partnership is offered
    own = Guide.objects.get(consortium=gme)
    assert client.get(f"/annuaire/guides/{own.pk}/diffusion/").status_code == 403
    with pytest.raises(ValidationError, match="éditeur national"):
        library.change_reach(demo.users["referente"], kit, reach=GuideReach.EVERYONE)


def test_a_publisher_shares_with_chosen_partnerships_of_its_territory(
    demo, login_client, kit, paris
):
    partnership, far_referent = paris
    referente = login_client(demo.users["referente"])
    page = _page(referente, f"/annuaire/guides/{kit.pk}/diffusion/")
    assert "GME MNA Nord" in page and partnership.name not in page  # outside its région
    response = referente.post(
        f"/annuaire/guides/{kit.pk}/diffusion/",
        {"reach": GuideReach.PARTNERSHIPS, "shared_with": [demo.gme.pk]},
    )
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.reach == GuideReach.PARTNERSHIPS and list(kit.shared_with.all()) == [demo.gme]
    assert LIBRARY_GUIDE in _page(login_client(demo.users["direction"]), "/annuaire/guides/")
    with pytest.raises(ValidationError, match="pas dans votre territoire"):
        library.change_reach(
            demo.users["referente"],
            kit,
            reach=GuideReach.PARTNERSHIPS,
            shared_with=[partnership],
        )
    kit.refresh_from_db()
    assert list(kit.shared_with.all()) == [demo.gme]  # nothing written on refusal
    assert LIBRARY_GUIDE not in _page(login_client(far_referent), "/annuaire/guides/")


def test_a_national_publisher_reaches_every_user(demo, login_client, paris):
    porteur = demo.porteur
    LibraryPublisher.objects.create(
        organisation=porteur, level=TerritoryLevel.NATIONAL, started_on=timezone.localdate()
    )
    referente = demo.users["referente"]
    guide = guides.create_guide(
        referente,
        demo.cej_jr,
        kind=GuideKind.STEP_BY_STEP,
        title="Pas à pas national",
        owner=referente,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        body="Pour tous les porteurs.",
        reach=GuideReach.EVERYONE,
    )
    _partnership, far_referent = paris
    page = _page(login_client(far_referent), "/annuaire/guides/")
    assert "Pas à pas national" in page and "Tous les utilisateurs de Coparcours" in page
    assert guide.publisher.level == TerritoryLevel.NATIONAL


def test_a_partnership_hides_what_reached_it_but_not_its_own(demo, login_client, kit):
    coordination = login_client(demo.users["coordination"])
    response = coordination.post(
        f"/annuaire/guides/{kit.pk}/placement/", {"consortium": demo.gme.pk, "choice": "hidden"}
    )
    assert response.status_code == 302
    page = _page(coordination, "/annuaire/guides/")
    hidden = page.split("Documents masqués par vos partenariats")[1]
    assert LIBRARY_GUIDE in hidden and LIBRARY_GUIDE not in page.split("<details")[0]
    assert coordination.get(f"/annuaire/guides/{kit.pk}/").status_code == 200  # by its link
    # The CEJ-JR partnership, its publisher, still has it.
    assert LIBRARY_GUIDE in _page(login_client(demo.users["conseiller"]), "/annuaire/guides/")
    referente = login_client(demo.users["referente"])
    referente.post(
        f"/annuaire/guides/{kit.pk}/placement/",
        {"consortium": demo.cej_jr.pk, "choice": "hidden"},
    )
    assert not GuidePlacement.objects.filter(consortium=demo.cej_jr, choice="hidden").exists()
    # A finance officer does not edit the partners' library.
    finances = login_client(demo.users["finances"])
    refused = finances.post(
        f"/annuaire/guides/{kit.pk}/placement/", {"consortium": demo.gme.pk, "choice": ""}
    )
    assert refused.status_code == 403
    assert GuidePlacement.objects.filter(consortium=demo.gme, choice="hidden").exists()


def test_the_library_page_makes_a_bounded_number_of_queries(
    demo, login_client, django_assert_max_num_queries
):
    referente = demo.users["referente"]
    for n in range(15):
        guides.create_guide(
            referente,
            demo.cej_jr,
            kind=GuideKind.OTHER,
            title=f"Fiche régionale {n}",
            owner=referente,
            review_on=timezone.localdate() + datetime.timedelta(days=30),
            body="Texte.",
            reach=GuideReach.PARTNERSHIPS if n % 2 else GuideReach.TERRITORY,
            territory=library.Territory(TerritoryLevel.DEPARTEMENT, "59"),
            shared_with=[demo.gme],
        )
    client = login_client(demo.users["coordination"])
    with django_assert_max_num_queries(16):
        page = _page(client, "/annuaire/guides/")
    assert "Fiche régionale 14" in page


def test_the_administration_designates_a_national_publisher_with_valid_codes(demo, login_client):
    admin = login_client(demo.users["admin"])
    assert admin.get("/admin/directory/librarypublisher/add/").status_code == 200
    designation = LibraryPublisher(
        organisation=demo.mission_locale,
        level=TerritoryLevel.REGION,
        territory_code="59",  # a département's code, not a région's
        started_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="Code INSEE"):
        designation.full_clean()
    designation.level, designation.territory_code = TerritoryLevel.NATIONAL, ""
    designation.full_clean()
