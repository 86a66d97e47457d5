"""Outreach, contacts, committee, stages, administrative file and allowances."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.cej import rules
from coparcours.cej.models import Contact, EligibilityCheck, EligibilityDerogation, VeilleDuration
from coparcours.cej.models.committee import AgendaReason, DecisionKind
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.rules import Stage, Status
from coparcours.cej.services.allowances import (
    decide_pacea_allowance,
    decide_sanction,
    propose_sanction,
    request_pacea_allowance,
)
from coparcours.cej.services.committee import create_meeting, record_decision
from coparcours.cej.services.contacts import add_contact, import_contacts
from coparcours.cej.services.contract import extend_contract, flag_veille_reached, sign_contract
from coparcours.cej.services.dossier import collect_item, prepare_dossier, transmit_dossier
from coparcours.cej.services.eligibility import add_overall_assessment, compute_eligibility
from coparcours.cej.services.outreach import record_outreach
from coparcours.core.access import Category, Relation, visible_youths
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.factories import ConsentFactory
from coparcours.youths.models import Youth

from .conftest import TODAY

DAY = datetime.timedelta(days=1)
SEVEN_MONTHS_AGO = TODAY - datetime.timedelta(days=213)


def _interview(world, pathway, day, intends=True):
    return add_contact(
        world.referent,
        world.porteur,
        pathway,
        occurred_on=day,
        channel="interview",
        answered=True,
        intends_to_continue=intends,
    )


def test_outreach_opens_a_pathway_and_names_the_mission_locale(world):
    pathway = world.outreach()
    assert pathway.stage == Stage.IDENTIFIED
    assert pathway.author_organisation == world.porteur
    assert pathway.category == Category.EDUCATION_EMPLOYMENT
    change = pathway.stage_changes.get()
    assert (change.to_stage, change.on, change.by) == (Stage.IDENTIFIED, TODAY, world.referent)
    assignment = pathway.youth.assignments.get()
    assert (assignment.organisation, assignment.relation) == (
        world.mission_locale,
        Relation.CEJ_PARTNER,
    )
    assert pathway.youth in visible_youths(world.counsellor, Youth.objects.all())
    entry = pathway.checks.get()
    assert entry.at_entry and entry.status == Status.ELIGIBLE


def test_outreach_refuses_bad_input(world):
    with pytest.raises(ValidationError, match="futur"):
        world.outreach(identified_on=TODAY + DAY)
    with pytest.raises(PermissionDenied):
        record_outreach(
            world.counsellor,
            world.mission_locale,
            world.partnership,
            youth_fields={"last_name": "A", "first_names": "B"},
            identified_on=TODAY,
            spotted_where="x",
            spotted_by="y",
            spotted_how="street",
            registration="never",
        )
    assert not Youth.objects.exists()


def test_a_future_contact_is_refused_and_nothing_saved(world):
    pathway = world.outreach()
    with pytest.raises(ValidationError) as error:
        _interview(world, pathway, TODAY + DAY)
    assert "futur" in str(error.value)
    assert not Contact.objects.exists()


def test_contacts_before_entry_refresh_the_entry_check(world):
    pathway = world.outreach()
    _interview(world, pathway, TODAY - datetime.timedelta(days=30))
    entry = pathway.checks.filter(at_entry=True).first()
    assert entry.status == Status.ELIGIBLE_ON
    assert any("Dernier contact substantiel" in reason for reason in entry.reasons)


CSV_OK = (
    "date;canal;reponse;intention\n"
    f"{(TODAY - datetime.timedelta(weeks=3)):%d/%m/%Y};SMS;non;non\n"
    f"{SEVEN_MONTHS_AGO:%Y-%m-%d};Entretien;oui;oui\n"
)


def test_csv_import_adds_every_contact_and_classifies_them(world):
    pathway = world.outreach()
    contacts = import_contacts(world.referent, world.porteur, pathway, CSV_OK)
    assert [c.is_substantial for c in contacts] == [False, True]
    assert {c.source for c in contacts} == {"imported"}
    assert pathway.checks.filter(at_entry=True).first().status == Status.ELIGIBLE


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "date;canal;réponse;intention;conseiller\n01/01/2025;appel;oui;oui;X\n",
            ["Ligne 1 : colonne inconnue « conseiller »"],
        ),
        (
            "date;canal;reponse;intention\n"
            "01/01/2025;appel;oui;oui\n"
            "31/02/2025;pigeon;peut-être;oui\n"
            f"{(TODAY + DAY):%d/%m/%Y};sms;non;non\n",
            [
                "Ligne 3, colonne « date » : « 31/02/2025 » n'est pas une date",
                "Ligne 3, colonne « canal » : « pigeon » inconnu",
                "Ligne 3, colonne « reponse » : « peut-être » n'est ni oui ni non",
                "Ligne 4, colonne « date »",
            ],
        ),
        ("date,canal\n01/01/2025,appel\n", ["colonne « reponse » manquante"]),
        ("", ["Le fichier est vide."]),
    ],
)
def test_a_bad_csv_lists_every_error_and_writes_nothing(world, text, messages):
    pathway = world.outreach()
    checks = EligibilityCheck.objects.count()
    with pytest.raises(ValidationError) as error:
        import_contacts(world.referent, world.porteur, pathway, text)
    found = " | ".join(error.value.messages)
    for message in messages:
        assert message in found
    assert not Contact.objects.exists()
    assert EligibilityCheck.objects.count() == checks


def test_overall_assessment_needs_a_written_justification(world):
    pathway = world.outreach()
    entry = pathway.checks.get()
    with pytest.raises(ValidationError):
        add_overall_assessment(world.referent, world.porteur, entry, "confirmed", "trop court")
    add_overall_assessment(
        world.referent,
        world.porteur,
        entry,
        "despite_criterion",
        "Sans hébergement depuis deux mois, rupture familiale récente, suivi ASE passé.",
    )
    entry.refresh_from_db()
    assert entry.assessed_by == world.referent
    assert entry.history.count() == 2


def _meeting(world, day=TODAY):
    return create_meeting(
        world.referent, world.porteur, world.partnership, date=day, participants="Julie, Karim"
    )


def test_committee_agenda_and_pre_cej_decision(world):
    pathway = world.outreach()
    _interview(world, pathway, TODAY - datetime.timedelta(days=60))
    meeting = _meeting(world)
    assert [(i.pathway, i.reason) for i in meeting.items.all()] == [(pathway, AgendaReason.NEW)]
    with pytest.raises(ValidationError, match="pas encore éligible"):
        record_decision(
            world.referent,
            world.porteur,
            meeting,
            pathway,
            kind=DecisionKind.REMOBILISATION,
            decided_by="Comité",
        )
    decision = record_decision(
        world.referent,
        world.porteur,
        meeting,
        pathway,
        kind=DecisionKind.PRE_CEJ,
        decided_by="Julie Dumont (porteur), Karim Haddad (mission locale)",
    )
    pathway.refresh_from_db()
    veille = rules.add_months(TODAY - datetime.timedelta(days=60), 5)
    assert (pathway.stage, pathway.pre_cej_until, decision.until) == (Stage.PRE_CEJ, veille, veille)
    change = pathway.stage_changes.last()
    assert (change.decision, change.from_stage, change.by) == (
        decision,
        Stage.IDENTIFIED,
        world.referent,
    )
    # the veille date is flagged by the periodic job once reached, not before
    assert flag_veille_reached(veille - DAY) == []
    assert flag_veille_reached(veille) == [pathway]
    pathway.refresh_from_db()
    assert pathway.veille_reached_on == veille
    # a youth reaching veille before the next meeting is put on its agenda
    later = _meeting(world, veille - DAY)
    assert [(i.pathway, i.reason) for i in later.items.all()] == [(pathway, AgendaReason.VEILLE)]


def test_a_decision_for_a_youth_not_on_the_agenda_is_refused(world):
    meeting = _meeting(world)
    pathway = world.outreach(identified_on=TODAY)
    with pytest.raises(ValidationError, match="pas à l'ordre du jour"):
        record_decision(
            world.referent,
            world.porteur,
            meeting,
            pathway,
            kind=DecisionKind.DEFER,
            decided_by="Comité",
        )
    assert not pathway.decisions.exists()


def test_veille_duration_and_derogations_are_dated_settings(world):
    pathway = world.outreach()
    _interview(world, pathway, TODAY - datetime.timedelta(days=100))
    assert compute_eligibility(pathway, TODAY).status == Status.ELIGIBLE_ON
    EligibilityDerogation.objects.create(
        departement_code="59", label="Nord : 3 mois", months=3, start_date=TODAY - DAY
    )
    assert compute_eligibility(pathway, TODAY).status == Status.BY_DEROGATION
    assert compute_eligibility(pathway, TODAY - 2 * DAY).status == Status.ELIGIBLE_ON
    EligibilityDerogation.objects.all().delete()
    VeilleDuration.objects.create(start_date=TODAY - DAY, months=2, source="Test")
    assert compute_eligibility(pathway, TODAY).status == Status.ELIGIBLE


def _to_remobilisation(world, pathway):
    meeting = _meeting(world)
    record_decision(
        world.referent,
        world.porteur,
        meeting,
        pathway,
        kind=DecisionKind.REMOBILISATION,
        decided_by="Comité",
    )
    pathway.refresh_from_db()
    return meeting


def test_dossier_transmission_needs_the_youths_consent(world):
    pathway = world.outreach(registration="never")
    with pytest.raises(ValidationError, match="dès la remobilisation"):
        prepare_dossier(world.referent, world.porteur, pathway)
    _to_remobilisation(world, pathway)
    items = prepare_dossier(world.referent, world.porteur, pathway)
    assert len(items) == 6 and all(i.status == DossierStatus.MISSING for i in items)
    collect_item(world.referent, world.porteur, items[0], on=TODAY)
    with pytest.raises(PermissionDenied) as refusal:
        transmit_dossier(world.referent, world.porteur, pathway)
    assert "le jeune n'a pas donné son accord" in str(refusal.value)
    assert not pathway.dossier_items.filter(status=DossierStatus.TRANSMITTED).exists()
    assert AuditLog.objects.filter(
        event=AuditEvent.DENIED, youth_id=pathway.youth_id, category="admin_documents"
    ).exists()
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=[Category.ADMIN_DOCUMENTS],
        start_date=TODAY,
        author_organisation=world.porteur,
    )
    sent = transmit_dossier(world.referent, world.porteur, pathway)
    assert [i.status for i in sent] == [DossierStatus.TRANSMITTED]


def test_contract_allowance_extension_and_pacea(world):
    pathway = world.outreach(registration="never")
    request_pacea_allowance(
        world.referent,
        world.porteur,
        pathway,
        requested_on=TODAY,
        requested_by="Karim Haddad",
        amount=Decimal("150.00"),
    )
    _to_remobilisation(world, pathway)
    with pytest.raises(ValidationError, match="proposer le contrat"):
        sign_contract(
            world.referent, world.porteur, pathway, start=TODAY, months=6, tax_situation="x"
        )
    meeting = _meeting(world, TODAY - DAY)
    # the pathway is not on this agenda (already decided): add it as pending
    meeting.items.create(
        pathway=pathway,
        youth=pathway.youth,
        author_organisation=world.porteur,
        reason=AgendaReason.PENDING,
    )
    record_decision(
        world.referent,
        world.porteur,
        meeting,
        pathway,
        kind=DecisionKind.PROPOSE_CONTRACT,
        decided_by="Comité",
    )
    with pytest.raises(ValidationError):
        sign_contract(
            world.referent,
            world.porteur,
            pathway,
            start=TODAY,
            months=13,
            tax_situation="non_taxable",
        )
    sign_contract(
        world.referent, world.porteur, pathway, start=TODAY, months=12, tax_situation="non_taxable"
    )
    pathway.refresh_from_db()
    assert pathway.stage == Stage.CONTRACT
    assert pathway.monthly_allowance > 0 and "barème" in pathway.allowance_reason
    extend_contract(
        world.referent,
        world.porteur,
        pathway,
        months=6,
        reason="Formation qualifiante en cours",
        decided_on=TODAY,
    )
    with pytest.raises(ValidationError, match="18 mois"):
        extend_contract(
            world.referent, world.porteur, pathway, months=1, reason="x", decided_on=TODAY
        )
    with pytest.raises(ValidationError, match="PACEA"):
        request_pacea_allowance(
            world.referent,
            world.porteur,
            pathway,
            requested_on=TODAY,
            requested_by="x",
            amount=Decimal("10"),
        )


def _contract(world):
    pathway = world.outreach(registration="never")
    _to_remobilisation(world, pathway)
    meeting = _meeting(world, TODAY - DAY)
    meeting.items.create(
        pathway=pathway,
        youth=pathway.youth,
        author_organisation=world.porteur,
        reason=AgendaReason.PENDING,
    )
    record_decision(
        world.referent,
        world.porteur,
        meeting,
        pathway,
        kind=DecisionKind.PROPOSE_CONTRACT,
        decided_by="Comité",
    )
    sign_contract(
        world.referent, world.porteur, pathway, start=TODAY, months=12, tax_situation="non_taxable"
    )
    return pathway


def test_missed_actions_follow_the_dated_scale_and_the_youths_observations(world):
    pathway = _contract(world)
    with pytest.raises(PermissionDenied):
        propose_sanction(
            world.referent, world.porteur, pathway, occurred_on=TODAY, description="Atelier"
        )
    first = propose_sanction(
        world.counsellor, world.mission_locale, pathway, occurred_on=TODAY, description="Atelier"
    )
    assert (first.breach_number, first.proposed_effect, first.reduction_percent) == (
        1,
        "reduction",
        25,
    )
    with pytest.raises(ValidationError, match="observations"):
        decide_sanction(
            world.counsellor,
            world.mission_locale,
            first,
            confirmed=True,
            youth_observations="",
            decided_on=TODAY,
        )
    decide_sanction(
        world.counsellor,
        world.mission_locale,
        first,
        confirmed=True,
        youth_observations="Absent pour un rendez-vous médical non justifié.",
        decided_on=TODAY,
    )
    assert first.effective_from == rules.first_of_next_month(TODAY)
    second = propose_sanction(
        world.counsellor, world.mission_locale, pathway, occurred_on=TODAY, description="RDV"
    )
    assert (second.breach_number, second.proposed_effect) == (2, "month_withdrawn")


def test_pacea_allowance_is_decided_by_the_mission_locale(world):
    pathway = world.outreach(registration="never")
    request = request_pacea_allowance(
        world.referent,
        world.porteur,
        pathway,
        requested_on=TODAY,
        requested_by="Julie Dumont, référente",
        amount=Decimal("120.00"),
    )
    with pytest.raises(PermissionDenied):
        decide_pacea_allowance(
            world.referent, world.porteur, request, granted=True, decided_on=TODAY
        )
    with pytest.raises(PermissionDenied):  # the porteur's data: the youth must consent
        decide_pacea_allowance(
            world.counsellor, world.mission_locale, request, granted=True, decided_on=TODAY
        )
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=[Category.EDUCATION_EMPLOYMENT],
        start_date=TODAY,
        author_organisation=world.porteur,
    )
    decide_pacea_allowance(
        world.counsellor, world.mission_locale, request, granted=True, decided_on=TODAY
    )
    assert request.decision == "granted"


def test_the_referent_extends_a_contract_from_its_page_within_the_maximum(world, client_for):
    pathway = _contract(world)
    client = client_for(world.referent)
    page = f"/cej/parcours/{pathway.pk}/"
    assert f'href="{page}contrat/prolongation/"' in client.get(page).content.decode()
    form = {"months": "6", "reason": "Formation qualifiante en cours", "decided_on": "2026-01-05"}
    assert client.post(page + "contrat/prolongation/", form).status_code == 302
    pathway.refresh_from_db()
    assert pathway.total_contract_months == 18
    assert "18 mois" in client.get(page).content.decode()
    refused = client.post(page + "contrat/prolongation/", form | {"months": "1"})
    assert refused.status_code == 200
    assert "La durée totale ne peut dépasser 18 mois." in refused.content.decode()
    assert pathway.extensions.count() == 1
