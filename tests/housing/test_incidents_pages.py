"""Serious incidents and runaways, the pages: the host reports from the stay, the
coordination acknowledges and closes, the host records the return; the Département reads
the notice and never a youth's name, the facts nor a health or justice detail; another
member and an organisation outside the GME are refused; the list costs bounded queries and
the home pages show what waits."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coparcours.housing.models.incidents import IncidentKind, IncidentStatus, SeriousIncident
from coparcours.housing.services import incidents as incident_services
from coparcours.organisations.models import Role
from tests.organisations.todo_blocks import home_todo, labels

from .conftest import TODAY, Gme
from .test_incidents import fire

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HEALTH = "Traitement quotidien interrompu."
JUSTICE = "Convocation au tribunal pour enfants le mois prochain."
FACTS = "Non rentré après le repas du soir."


def _post_runaway(client, stay, **fields):
    data = {
        "kind": IncidentKind.RUNAWAY,
        "occurred_on": (TODAY() - 2 * DAY).isoformat(),
        "occurred_time": "21:30",
        "declared_on": (TODAY() - DAY).isoformat(),
        "facts": FACTS,
        "measures": "Recherches autour du site, déclaration au commissariat.",
        "informed": "Commissariat de Lille-Sud",
        "health_details": HEALTH,
        "justice_details": JUSTICE,
    }
    data.update(fields)
    return client.post(f"/hebergement/sejours/{stay.pk}/evenement-grave/", data)


@pytest.fixture
def reported(gme: Gme, django_capture_on_commit_callbacks):
    gme.funder_user, gme.coordinator  # the recipients exist before the report
    stay = gme.place(entry=TODAY() - 10 * DAY)
    client = gme.client(gme.member_b, Role.REFERENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_runaway(client, stay)
    incident = SeriousIncident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hebergement/evenements-graves/{incident.pk}/"
    return stay, incident


def test_the_host_reports_a_runaway_and_reads_all_of_it(gme, reported):
    stay, incident = reported
    page = gme.client(gme.member_b, Role.REFERENT).get(
        f"/hebergement/evenements-graves/{incident.pk}/"
    )
    html = page.content.decode()
    for shown in (str(stay.youth), FACTS, HEALTH, JUSTICE, "21:30", "Enregistrer le retour"):
        assert shown in html
    assert "Prendre en compte" not in html  # the coordination's act


def test_dates_out_of_order_are_refused_on_the_page_with_nothing_written(gme):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    client = gme.client(gme.member_b, Role.REFERENT)
    response = _post_runaway(client, stay, declared_on=(TODAY() - 5 * DAY).isoformat())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rien n&#x27;a été enregistré" in html or "Rien n'a été enregistré" in html
    assert "La déclaration ne peut pas précéder l&#x27;événement." in html
    response = _post_runaway(client, stay, occurred_on=(TODAY() + DAY).isoformat())
    assert "dans le futur" in response.content.decode()
    assert SeriousIncident.objects.count() == 0
    assert mail.outbox == []


def test_the_funder_reads_the_notice_only(gme, reported):
    stay, incident = reported
    client = gme.client(gme.funder, Role.FUNDER_VIEWER)
    for address in (
        "/hebergement/evenements-graves/",
        f"/hebergement/evenements-graves/{incident.pk}/",
    ):
        response = client.get(address)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Fugue ou disparition" in html and "Maison B" in html and "Association B" in html
        for secret in (stay.youth.last_name, stay.youth.first_names, FACTS, HEALTH, JUSTICE):
            assert secret not in html
    detail = client.get(f"/hebergement/evenements-graves/{incident.pk}/").content.decode()
    assert "déclaration au commissariat" in detail  # the measures taken
    for act in ("prise-en-compte", "retour", "cloture"):
        address = f"/hebergement/evenements-graves/{incident.pk}/{act}/"
        assert client.get(address).status_code == 403
        assert client.post(address, {"returned_on": TODAY().isoformat()}).status_code == 403
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DECLARED


def test_the_coordination_reads_the_youth_but_not_the_hosts_health_nor_justice(gme, reported):
    stay, incident = reported
    html = (
        gme.client(gme.lead, Role.COORDINATOR)
        .get(f"/hebergement/evenements-graves/{incident.pk}/")
        .content.decode()
    )
    assert str(stay.youth) in html and FACTS in html
    assert HEALTH not in html and JUSTICE not in html
    assert "2 détails de santé ou de justice réservés" in html
    assert "Prendre en compte" in html


def test_another_member_and_an_outsider_are_refused(gme, reported):
    stay, incident = reported
    member_c = gme.client(gme.member_c, Role.DIRECTOR)
    assert member_c.get(f"/hebergement/evenements-graves/{incident.pk}/").status_code == 404
    assert incident.pk not in [
        i.pk for i in member_c.get("/hebergement/evenements-graves/?vue=tous").context["page"]
    ]
    assert member_c.get(f"/hebergement/sejours/{stay.pk}/evenement-grave/").status_code == 404
    outsider = gme.client(gme.outsider, Role.DIRECTOR)
    assert outsider.get("/hebergement/evenements-graves/").status_code == 403
    assert outsider.get(f"/hebergement/evenements-graves/{incident.pk}/").status_code == 403
    finance = gme.client(gme.member_b, Role.FINANCE_OFFICER)
    assert finance.get("/hebergement/evenements-graves/").status_code == 403
    # the coordination does not report for a member's site
    coordinator = gme.client(gme.lead, Role.COORDINATOR)
    assert coordinator.get(f"/hebergement/sejours/{stay.pk}/evenement-grave/").status_code == 403


def test_acknowledged_then_returned_then_listed_closed(gme, reported):
    _stay, incident = reported
    coordinator = gme.client(gme.lead, Role.COORDINATOR)
    address = f"/hebergement/evenements-graves/{incident.pk}/"
    assert coordinator.post(address + "prise-en-compte/").status_code == 302
    host = gme.client(gme.member_b, Role.REFERENT)
    refused = host.post(address + "retour/", {"returned_on": (TODAY() - 2 * DAY).isoformat()})
    assert refused.status_code == 200
    assert "précéder la déclaration" in refused.content.decode()
    assert host.post(address + "retour/", {"returned_on": TODAY().isoformat()}).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.returned_on) == (IncidentStatus.CLOSED, TODAY())
    assert incident.pk not in [
        i.pk for i in host.get("/hebergement/evenements-graves/").context["page"]
    ]


def test_the_follow_up_given_reaches_the_departement_without_a_name(
    gme, reported, django_capture_on_commit_callbacks
):
    stay, incident = reported
    mail.outbox.clear()
    host = gme.client(gme.member_b, Role.REFERENT)
    page = f"/hebergement/evenements-graves/{incident.pk}/"
    assert "Ajouter une suite donnée" in host.get(page).content.decode()
    url = f"/hebergement/evenements-graves/{incident.pk}/suite/"
    refused = host.post(url, {"text": ""})
    assert refused.status_code == 200 and not incident.measures_taken.exists()
    follow_up = "Rendez-vous avec l'éducateur de prévention du quartier, recherches élargies."
    with django_capture_on_commit_callbacks(execute=True):
        assert host.post(url, {"text": follow_up}).status_code == 302
    (told,) = mail.outbox  # the Département and the coordination, in one message
    assert set(told.to) == {gme.funder_user.email, gme.coordinator.email}
    assert follow_up in told.body and str(stay.youth.last_name) not in told.body
    # the Département reads it with the notice, and adds none
    funder = gme.client(gme.funder, Role.FUNDER_VIEWER)
    notice = funder.get(page).content.decode()
    assert "Suites données" in notice and "éducateur de prévention" in notice
    assert "Ajouter une suite donnée" not in notice
    assert funder.post(url, {"text": "Non"}).status_code == 403
    # the coordination adds its own; once closed, none is added
    coordination = gme.client(gme.lead, Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(url, {"text": "Point fait avec le membre et l'ASE."})
    assert [m.by_coordination for m in incident.measures_taken.all()] == [False, True]
    assert mail.outbox[-1].to == [gme.funder_user.email]
    incident_services.close(gme.coordinator, incident, "Retour à la normale.")
    assert "Ajouter une suite donnée" not in host.get(page).content.decode()
    host.post(url, {"text": "Trop tard"})
    assert incident.measures_taken.count() == 2


def test_the_host_names_another_youth_hosted_there_that_day(gme, reported):
    stay, incident = reported
    other = gme.place(entry=TODAY() - 5 * DAY)
    host = gme.client(gme.member_b, Role.REFERENT)
    page = f"/hebergement/evenements-graves/{incident.pk}/"
    assert "Ajouter un jeune concerné" in host.get(page).content.decode()
    url = f"{page}jeunes/"
    form = host.get(url).content.decode()
    assert f'value="{other.pk}"' in form
    assert f'value="{stay.pk}"' not in form  # already concerned
    answer = host.post(url, {"stay": other.pk, "health_details": "Blessure légère à la main."})
    assert answer.status_code == 302
    assert {c.youth_id for c in incident.youths.all()} == {stay.youth_id, other.youth_id}
    html = host.get(page).content.decode()
    assert str(other.youth) in html and "Blessure légère à la main." in html
    # the Département still reads no name; the coordination names no youth itself
    notice = gme.client(gme.funder, Role.FUNDER_VIEWER).get(page).content.decode()
    assert other.youth.last_name.upper() not in notice.upper()
    assert gme.client(gme.lead, Role.COORDINATOR).get(url).status_code == 403
    # a youth hosted elsewhere, or named twice, is refused and nothing is written
    elsewhere = gme.place(site=gme.site_c, entry=TODAY() - 5 * DAY, sex="F")
    referent = gme.user(gme.member_b, Role.REFERENT)
    for refused_stay in (elsewhere, other):
        with pytest.raises(ValidationError):
            incident_services.add_youth(referent, incident, refused_stay)
    assert incident.youths.count() == 2


def test_closing_is_confirmed_with_its_consequence(gme):
    referent = gme.user(gme.member_b, Role.REFERENT)
    incident = incident_services.report_incident(referent, gme.site_b, fire())
    coordinator = gme.client(gme.lead, Role.COORDINATOR)
    address = f"/hebergement/evenements-graves/{incident.pk}/cloture/"
    page = coordinator.get(address).content.decode()
    assert "Ce que cela entraîne" in page and "définitive" in page
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DECLARED
    assert coordinator.post(address, {"closing_note": ""}).status_code == 200
    assert coordinator.post(address, {"closing_note": "Cuisine refaite."}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_the_list_costs_bounded_queries(gme, django_assert_max_num_queries):
    referent = gme.user(gme.member_b, Role.REFERENT)
    for _ in range(12):
        incident_services.report_incident(referent, gme.site_b, fire())
    for client in (
        gme.client(gme.lead, Role.COORDINATOR),
        gme.client(gme.funder, Role.FUNDER_VIEWER),
        gme.client(gme.member_b, Role.REFERENT),
    ):
        with django_assert_max_num_queries(14):
            response = client.get("/hebergement/evenements-graves/")
        assert len(response.context["page"]) == 12


def test_the_home_pages_show_what_waits(gme, reported):
    stay, incident = reported
    other = incident_services.report_incident(
        gme.user(gme.member_b, Role.REFERENT), gme.site_b, fire()
    )
    coordination = home_todo(gme.client(gme.lead, Role.COORDINATOR))
    assert labels(coordination["housing_incidents_declared"]) == [
        "Fugue ou disparition — Maison B",
        "Sinistre (incendie, inondation, événement climatique) — Maison B",
    ]
    assert labels(coordination["housing_runaways"]) == ["Fugue ou disparition — Maison B"]
    member = home_todo(gme.client(gme.member_b, Role.REFERENT))
    assert member["housing_member_incidents"].rows[0].action == "Enregistrer le retour"
    assert member["housing_member_incidents"].count == 2
    assert "housing_member_incidents" not in home_todo(gme.client(gme.member_c, Role.REFERENT)) or (
        home_todo(gme.client(gme.member_c, Role.REFERENT))["housing_member_incidents"].count == 0
    )
    incident_services.acknowledge(gme.coordinator, other)
    incident_services.record_return(gme.user(gme.member_b, Role.REFERENT), incident, TODAY())
    coordination = home_todo(gme.client(gme.lead, Role.COORDINATOR))
    assert coordination["housing_incidents_declared"].count == 0
    assert coordination["housing_runaways"].count == 0
    assert str(stay.youth) not in str(coordination)
