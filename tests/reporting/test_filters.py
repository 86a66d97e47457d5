"""Every dashboard filters by period, organisation and site or partnership: the
member and site filters reach every GME table, the partner filter every CEJ-JR table of
pathways, the consortium filter the funder's figures."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.organisations.factories import ConsortiumMemberFactory, OrganisationFactory
from coparcours.organisations.models import OrganisationKind, Role
from coparcours.youths.models import Youth
from coparcours.youths.rules import add_years

from .conftest import client, member, pathway

pytestmark = pytest.mark.django_db


def _tables(browser, key: str, **params) -> dict[str, list]:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    answer = browser.get(f"/api/v1/reporting/{key}?{query}")
    assert answer.status_code == 200, answer.content
    return {table["title"]: table["rows"] for table in answer.json()["tables"]}


def test_member_and_site_filters_reach_every_gme_table(gme):
    today = timezone.localdate()
    soon = add_years(today + datetime.timedelta(days=30), -18)
    for site, sex in ((gme.site_b, "M"), (gme.site_b, "M"), (gme.site_c, "F")):
        stay = gme.place(site, today, sex=sex)
        Youth.objects.filter(pk=stay.youth_id).update(birth_date=soon)
    gme.file()  # not proposed yet: belongs to no member
    coordinator = client(gme.coordinator)
    everything = _tables(coordinator, "groupement")
    b = _tables(coordinator, "groupement", organisation_id=gme.member_b.pk)
    c_site = _tables(coordinator, "groupement", site_id=gme.site_c.pk)
    assert everything["Demandes de placement"][0][1:4] == [4, 3, 1]
    assert b["Demandes de placement"][0][1:4] == [2, 2, 0]
    assert c_site["Demandes de placement"][0][1:4] == [1, 1, 0]
    months = "Entrées, sorties et réorientations par mois"
    assert [row[2] for row in everything[months][:-1]] == [3]
    assert [row[2] for row in b[months][:-1]] == [2]
    assert [row[2] for row in c_site[months][:-1]] == [1]
    majorities = "Majorités dans les 90 prochains jours"
    assert everything[majorities][:-1] == [
        ["GME test", "Association B", 2],
        ["GME test", "Association C", 1],
    ]
    assert b[majorities][:-1] == [["GME test", "Association B", 2]]
    assert c_site[majorities][:-1] == [["GME test", "Association C", 1]]
    places = "Places prévues et ouvertes"
    assert everything[places][-1][2] == 20  # 10 places at each member's site
    assert b[places][-1][2] == 10 and c_site[places][-1][2] == 10
    members = "Taux d'occupation par membre"
    assert [row[1] for row in b[members]] == ["Association B"]
    # both filters at once: member B's site C does not exist, so nothing is counted
    none = _tables(
        coordinator, "groupement", organisation_id=gme.member_b.pk, site_id=gme.site_c.pk
    )
    assert none["Demandes de placement"][0][1:4] == [0, 0, 0]
    assert none[places][-1][2] == 0


def test_the_partner_filter_reaches_every_cej_table_of_pathways(partnership):
    today = timezone.localdate()
    for _ in range(2):
        pathway(partnership, today, [Stage.REMOBILISATION])
    theirs = pathway(partnership, today, [Stage.REMOBILISATION, Stage.CONTRACT])
    first_ml = partnership.members.get(is_lead=False).organisation
    other = OrganisationFactory(name="Mission locale bis", kind=OrganisationKind.MISSION_LOCALE)
    ConsortiumMemberFactory(consortium=partnership, organisation=other)
    Pathway.objects.filter(pk=theirs.pk).update(
        mission_locale=other, contract_start=today - datetime.timedelta(days=21)
    )
    porteur = partnership.members.get(is_lead=True).organisation
    browser = client(member(porteur, Role.DIRECTOR))
    funnel = "Entonnoir CEJ-JR (jeunes repérés sur la période)"
    hours = "Semaines atteignant le minimum d'heures d'activité"
    everything = _tables(browser, "cej")
    assert everything[funnel][0][1] == 3
    bis = _tables(browser, "cej", organisation_id=other.pk)
    assert bis[funnel][0][1] == 1 and bis[funnel][4][1] == 1
    assert bis[hours][0][1] >= 2  # the contract's empty weeks
    first = _tables(browser, "cej", organisation_id=first_ml.pk)
    assert first[funnel][0][1] == 2 and first[funnel][4][1] == 0
    assert first[hours][:-1] == []  # no activity, no contract
    assert _tables(browser, "cej", organisation_id=porteur.pk)[funnel][0][1] == 3
    # an organisation outside the partnership is refused in French
    outsider = OrganisationFactory()
    answer = browser.get(f"/api/v1/reporting/cej?organisation_id={outsider.pk}")
    assert answer.status_code == 422


def test_the_funder_filters_by_consortium_or_partnership(gme, partnership):
    partnership.funder = gme.funder
    partnership.save()
    funder = client(gme.funder_user)
    both = _tables(funder, "financeur")
    assert "Demandes de placement" in both and "Sorties par issue" in both
    only_gme = _tables(funder, "financeur", consortium_id=gme.consortium.pk)
    assert "Demandes de placement" in only_gme and "Sorties par issue" not in only_gme
    only_cej = _tables(funder, "financeur", consortium_id=partnership.pk)
    assert "Sorties par issue" in only_cej and "Demandes de placement" not in only_cej
    # no member or site filter for the funder: aggregates per consortium only
    page = funder.get("/pilotage/financeur/").content.decode()
    assert 'name="organisation"' not in page and 'name="site"' not in page
