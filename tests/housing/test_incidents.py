"""Serious incidents and runaways, the services (CASF L.331-8-1): dates in order and never
in the future, refused with nothing written; who may report, acknowledge, record a return
and close; the notices sent after the commit say only what the rule requires."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.core.models import AuditLog
from coparcours.housing.models.incidents import (
    IncidentDetail,
    IncidentKind,
    IncidentStatus,
    IncidentYouth,
    SeriousIncident,
)
from coparcours.housing.services import incidents as incident_services
from coparcours.housing.services.incidents import Report
from coparcours.organisations.models import Role

from .conftest import TODAY, Gme

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def runaway(**fields) -> Report:
    data = {
        "kind": IncidentKind.RUNAWAY,
        "occurred_on": TODAY() - 2 * DAY,
        "declared_on": TODAY() - DAY,
        "facts": "Non rentré après le repas du soir.",
        "measures": "Recherches autour du site, déclaration au commissariat.",
        "health_details": "Traitement quotidien interrompu.",
        "justice_details": "Convocation au tribunal pour enfants le mois prochain.",
    }
    data.update(fields)
    return Report(**data)


def fire(**fields) -> Report:
    data = {
        "kind": IncidentKind.DISASTER,
        "occurred_on": TODAY() - DAY,
        "facts": "Départ de feu dans la cuisine.",
        "measures": "Évacuation, pompiers, relogement de deux jeunes à Maison B-bis.",
    }
    data.update(fields)
    return Report(**data)


def referent_b(gme: Gme):
    return gme.user(gme.member_b, Role.REFERENT)


def test_a_runaway_is_reported_from_the_stay_with_its_youth_and_details(
    gme, django_capture_on_commit_callbacks
):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_services.report_incident(referent_b(gme), gme.site_b, runaway(), stay)
    assert incident.status == IncidentStatus.DECLARED
    assert incident.organisation == gme.member_b
    assert incident.consortium == gme.consortium
    assert list(IncidentYouth.objects.values_list("youth", flat=True)) == [stay.youth_id]
    assert sorted(IncidentDetail.objects.values_list("category", flat=True)) == [
        "health",
        "justice",
    ]
    assert incident.history.count() == 1


def test_the_notices_name_no_youth_nor_a_detail_of_health_or_justice(
    gme, django_capture_on_commit_callbacks
):
    funder_user = gme.funder_user
    coordinator = gme.coordinator
    stay = gme.place(entry=TODAY() - 10 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.report_incident(referent_b(gme), gme.site_b, runaway(), stay)
    to_funder = [m for m in mail.outbox if funder_user.email in m.to]
    to_coordination = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(to_funder) == 1 and len(to_coordination) == 1
    for message in (*to_funder, *to_coordination):
        text = message.subject + message.body
        assert "Fugue ou disparition" in text and "Maison B" in text and "Association B" in text
        assert "déclaration au commissariat" in text  # the measures taken
        for secret in (
            stay.youth.last_name,
            stay.youth.first_names,
            "Traitement quotidien",
            "tribunal pour enfants",
            "repas du soir",  # the facts stay with the coordination and the host
        ):
            assert secret not in text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occurred_on": TODAY() + DAY}, "occurred_on", "futur"),
        ({"declared_on": TODAY() + DAY}, "declared_on", "futur"),
        ({"declared_on": TODAY() - 3 * DAY}, "declared_on", "précéder l'événement"),
        ({"declared_on": None}, "declared_on", "police ou la gendarmerie"),
    ],
)
def test_dates_out_of_order_or_in_the_future_are_refused_and_nothing_is_written(
    gme, fields, field, message
):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    audit_before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        incident_services.report_incident(referent_b(gme), gme.site_b, runaway(**fields), stay)
    assert message in " ".join(refused.value.message_dict[field])
    assert SeriousIncident.objects.count() == 0
    assert IncidentDetail.objects.count() == 0
    assert AuditLog.objects.count() == audit_before
    assert mail.outbox == []


def test_a_runaway_needs_a_youth_and_an_event_outside_the_stay_is_refused(gme):
    with pytest.raises(ValidationError) as refused:
        incident_services.report_incident(referent_b(gme), gme.site_b, runaway())
    assert "séjour" in " ".join(refused.value.message_dict["kind"])
    stay = gme.place(entry=TODAY() - DAY)
    with pytest.raises(ValidationError) as refused:
        incident_services.report_incident(
            referent_b(gme), gme.site_b, runaway(occurred_on=TODAY() - 5 * DAY), stay
        )
    assert "n'était pas hébergé" in " ".join(refused.value.message_dict["occurred_on"])
    assert SeriousIncident.objects.count() == 0


def test_only_the_hosting_members_staff_reports_at_its_site(gme):
    for user in (
        gme.user(gme.member_c, Role.REFERENT),
        gme.coordinator,  # the coordination does not host at site B
        gme.funder_user,
    ):
        with pytest.raises(PermissionDenied):
            incident_services.report_incident(user, gme.site_b, fire())
    assert SeriousIncident.objects.count() == 0


def test_the_coordination_acknowledges_then_closes_a_report_with_a_note(gme):
    incident = incident_services.report_incident(referent_b(gme), gme.site_b, fire())
    with pytest.raises(PermissionDenied):
        incident_services.acknowledge(referent_b(gme), incident)
    incident = incident_services.acknowledge(gme.coordinator, incident)
    assert incident.status == IncidentStatus.ACKNOWLEDGED
    assert incident.acknowledged_by == gme.coordinator
    with pytest.raises(ValidationError, match="déjà été pris en compte"):
        incident_services.acknowledge(gme.coordinator, incident)
    with pytest.raises(ValidationError):
        incident_services.close(gme.coordinator, incident, "  ")
    with pytest.raises(PermissionDenied):
        incident_services.close(gme.funder_user, incident, "Clos.")
    incident = incident_services.close(gme.coordinator, incident, "Cuisine remise en état.")
    assert incident.status == IncidentStatus.CLOSED
    assert incident.closing_note == "Cuisine remise en état."
    assert [h.status for h in incident.history.order_by("history_date")] == [
        IncidentStatus.DECLARED,
        IncidentStatus.ACKNOWLEDGED,
        IncidentStatus.CLOSED,
    ]
    with pytest.raises(ValidationError, match="déjà clos"):
        incident_services.close(gme.coordinator, incident, "Encore.")


def test_the_youths_return_closes_the_runaway_in_order(gme):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    incident = incident_services.report_incident(referent_b(gme), gme.site_b, runaway(), stay)
    incident_services.acknowledge(gme.coordinator, incident)
    with pytest.raises(ValidationError) as refused:
        incident_services.record_return(referent_b(gme), incident, TODAY() - 2 * DAY)
    assert "précéder la déclaration" in " ".join(refused.value.message_dict["returned_on"])
    with pytest.raises(ValidationError) as refused:
        incident_services.record_return(referent_b(gme), incident, TODAY() + DAY)
    assert "futur" in " ".join(refused.value.message_dict["returned_on"])
    incident.refresh_from_db()
    assert incident.returned_on is None and incident.status == IncidentStatus.ACKNOWLEDGED
    with pytest.raises(PermissionDenied):
        incident_services.record_return(gme.user(gme.member_c, Role.REFERENT), incident, TODAY())
    incident = incident_services.record_return(referent_b(gme), incident, TODAY())
    assert incident.returned_on == TODAY()
    assert incident.status == IncidentStatus.CLOSED
    assert "Retour du jeune" in incident.closing_note
    with pytest.raises(ValidationError, match="déjà enregistré"):
        incident_services.record_return(referent_b(gme), incident, TODAY())


def test_a_runaway_closed_without_return_takes_no_return_and_other_events_none(gme):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    gone = incident_services.report_incident(referent_b(gme), gme.site_b, runaway(), stay)
    incident_services.close(gme.coordinator, gone, "Réorienté vers un autre département.")
    with pytest.raises(ValidationError, match="close"):
        incident_services.record_return(referent_b(gme), gone, TODAY())
    burnt = incident_services.report_incident(referent_b(gme), gme.site_b, fire())
    with pytest.raises(ValidationError, match="Seule une fugue"):
        incident_services.record_return(referent_b(gme), burnt, TODAY())


def test_anonymising_the_youth_erases_the_details_and_keeps_the_report(gme):
    from coparcours.youths.privacy.anonymisation import ERASED, anonymise_youth

    stay = gme.place(entry=TODAY() - 10 * DAY)
    incident = incident_services.report_incident(referent_b(gme), gme.site_b, runaway(), stay)
    anonymise_youth(stay.youth_id, reason="Effacement demandé par le jeune.")
    assert set(IncidentDetail.objects.values_list("text", flat=True)) == {ERASED}
    assert set(IncidentDetail.history.values_list("text", flat=True)) == {ERASED}
    incident.refresh_from_db()
    assert incident.measures and incident.kind == IncidentKind.RUNAWAY
