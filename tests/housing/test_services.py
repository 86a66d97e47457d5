"""The housing flow: single entry, proposal, admission, transfer, exit, loans, turning 18,
and the refusals of bad input (clear French message, nothing saved)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coparcours.core.access import Category, Relation, check
from coparcours.housing.models import (
    AfterEighteen,
    CapacityChange,
    PlacementRequest,
    Proposal,
    Stay,
    Transfer,
)
from coparcours.housing.models.majority import MajorityDecision
from coparcours.housing.models.requests import ProposalStatus, RequestStatus
from coparcours.housing.models.stays import ExitReason, TransferReason
from coparcours.housing.services import majority as majority_services
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import sites as site_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.models import Role
from coparcours.youths.models import Assignment, Youth

from .conftest import TODAY

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_only_the_funder_files_and_only_the_coordination_proposes(gme):
    with pytest.raises(PermissionDenied):
        request_services.file_request(
            gme.user(gme.member_b, Role.DIRECTOR),
            gme.consortium,
            reference="X",
            age=15,
            sex="M",
            urgency="normal",
            requested_date=TODAY(),
        )
    request = gme.file()
    assert request.status == RequestStatus.RECEIVED and request.funder == gme.funder
    for intruder in (gme.funder_user, gme.user(gme.member_b, Role.DIRECTOR)):
        with pytest.raises(PermissionDenied):
            request_services.propose(intruder, request, gme.site_b, TODAY())
    assert not Proposal.objects.exists()


def test_placement_creates_the_stay_and_the_accompaniment(gme):
    stay = gme.place()
    youth = stay.youth
    assert youth.owner_organisation == gme.member_b  # the hosting member opens the record
    assert youth.is_unaccompanied_minor and youth.last_name.startswith("Sow-")
    assert stay.author_organisation == gme.member_b and stay.category == Category.HOUSING
    relations = set(
        Assignment.objects.active().filter(youth=youth).values_list("organisation", "relation")
    )
    assert relations == {(gme.lead.pk, Relation.GME_COORDINATION)}
    request = PlacementRequest.objects.get()
    assert request.status == RequestStatus.ADMITTED and request.youth == youth
    # the coordination now sees identity and housing, nothing else without consent
    check(gme.coordinator, youth, Category.HOUSING, author_organisation_id=gme.member_b.pk)
    with pytest.raises(PermissionDenied):
        check(gme.coordinator, youth, Category.HEALTH, author_organisation_id=gme.member_b.pk)
    assert stay.history.count() == 1


def test_a_declined_proposal_needs_a_reason_and_sends_the_request_to_the_waiting_list(gme):
    request = gme.file()
    proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
    staff_b = gme.user(gme.member_b, Role.REFERENT)
    with pytest.raises(PermissionDenied):
        request_services.answer_proposal(
            gme.user(gme.member_c, Role.REFERENT), proposal, accept=True
        )
    with pytest.raises(ValidationError, match="motif"):
        request_services.answer_proposal(staff_b, proposal, accept=False, reason="  ")
    request_services.answer_proposal(staff_b, proposal, accept=False, reason="Équipe incomplète")
    request.refresh_from_db()
    proposal.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == "Équipe incomplète"


def test_request_in_the_past_is_refused_with_nothing_saved(gme):
    with pytest.raises(ValidationError) as error:
        gme.file(requested_date=TODAY() - DAY)
    assert "passé" in messages_of(error.value)
    with pytest.raises(ValidationError, match="18 ans"):
        gme.file(age=18)
    assert not PlacementRequest.objects.exists()


def test_admission_beyond_capacity_is_refused_with_nothing_saved(gme):
    gme.place(site=gme.site_b)
    gme.place(site=gme.site_b, reference="ASE-2")
    request = gme.file(reference="ASE-3")
    with pytest.raises(ValidationError, match="pas de place libre"):
        request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
    assert Stay.objects.count() == 2 and Youth.objects.count() == 2


def test_admission_rechecks_capacity_under_the_lock(gme):
    """Two proposals accepted for the last place: the second admission fails cleanly."""
    gme.place(site=gme.site_b)
    staff = gme.user(gme.member_b, Role.REFERENT)
    proposals = []
    for reference in ("ASE-2", "ASE-3"):
        request = gme.file(reference=reference)
        proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
        request_services.answer_proposal(staff, proposal, accept=True)
        proposals.append(proposal)
    stay_services.admit(gme.coordinator, proposals[0])
    youths, assignments = Youth.objects.count(), Assignment.objects.count()
    with pytest.raises(ValidationError) as error:
        stay_services.admit(gme.coordinator, proposals[1])
    assert "Plus de place libre" in messages_of(error.value)
    assert Youth.objects.count() == youths and Assignment.objects.count() == assignments
    assert Stay.objects.count() == 2
    proposals[1].refresh_from_db()
    assert proposals[1].status == ProposalStatus.ACCEPTED


def test_transfer_closes_one_stay_opens_the_next_and_moves_the_accompaniment(gme):
    stay = gme.place(entry=TODAY() - 30 * DAY, sex="F", age=16)
    transfer = stay_services.transfer(
        gme.coordinator, stay, gme.site_c, TODAY(), TransferReason.SCHOOLING, "Lycée à Roubaix"
    )
    stay.refresh_from_db()
    assert stay.end_date == TODAY() and stay.exit_reason == ExitReason.TRANSFER
    new = transfer.to_stay
    assert new.site == gme.site_c and new.start_date == TODAY() and new.end_date is None
    assert new.author_organisation == gme.member_c
    relations = set(
        Assignment.objects.active().filter(youth=stay.youth).values_list("organisation", "relation")
    )
    assert relations == {
        (gme.lead.pk, Relation.GME_COORDINATION),
        (gme.member_c.pk, Relation.HOSTING),
    }


def test_transfer_to_a_site_refusing_the_youth_is_refused_with_nothing_saved(gme):
    boy = gme.place(entry=TODAY() - 30 * DAY, sex="M", age=15)
    with pytest.raises(ValidationError, match="que des filles"):
        stay_services.transfer(gme.coordinator, boy, gme.site_c, TODAY(), TransferReason.HEALTH)
    stay = gme.place(entry=TODAY() - 30 * DAY, sex="F", age=14, reference="ASE-2")
    with pytest.raises(ValidationError) as error:
        stay_services.transfer(gme.coordinator, stay, gme.site_c, TODAY(), TransferReason.HEALTH)
    assert "de 15 à 17 ans ; le jeune a 14 ans" in messages_of(error.value)
    stay.refresh_from_db()
    assert stay.end_date is None and not Transfer.objects.exists()
    assert Stay.objects.count() == 2 and not Stay.objects.filter(end_date__isnull=False).exists()


def test_exit_before_entry_is_refused_then_exit_ends_the_accompaniment(gme):
    stay = gme.place(entry=TODAY() - 10 * DAY)
    with pytest.raises(ValidationError) as error:
        stay_services.record_exit(gme.coordinator, stay, TODAY() - 20 * DAY, ExitReason.FAMILY)
    assert "précéder" in messages_of(error.value)
    stay.refresh_from_db()
    assert stay.end_date is None
    stay_services.record_exit(gme.coordinator, stay, TODAY(), ExitReason.FAMILY, "Retour au pays")
    stay.refresh_from_db()
    assert stay.end_date == TODAY() and stay.exit_reason == ExitReason.FAMILY
    assert not Assignment.objects.active().filter(youth=stay.youth).exists()
    with pytest.raises(PermissionDenied):  # the coordination no longer accompanies the youth
        check(gme.coordinator, stay.youth, Category.HOUSING)


def test_a_youth_never_has_two_stays_at_once(gme):
    stay = gme.place()
    request = gme.file(reference="ASE-2")
    request.youth = stay.youth
    request.save()
    proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
    request_services.answer_proposal(gme.user(gme.member_b, Role.REFERENT), proposal, accept=True)
    with pytest.raises(ValidationError, match="séjour en cours"):
        stay_services.admit(gme.coordinator, proposal)
    assert Stay.objects.count() == 1


def test_a_lent_site_hosts_for_the_borrower(gme):
    """A member lends a place to another at short notice under a convention."""
    director_b = gme.user(gme.member_b, Role.DIRECTOR)
    with pytest.raises(ValidationError, match="membre du groupement"):
        site_services.lend_site(
            director_b,
            gme.site_b,
            gme.outsider,
            convention_reference="C-1",
            signed_on=TODAY() - 2 * DAY,
            start_date=TODAY() - DAY,
        )
    site_services.lend_site(
        director_b,
        gme.site_b,
        gme.member_c,
        convention_reference="C-1",
        signed_on=TODAY() - 2 * DAY,
        start_date=TODAY() - DAY,
    )
    with pytest.raises(ValidationError, match="déjà mis à disposition"):
        site_services.lend_site(
            gme.coordinator,
            gme.site_b,
            gme.lead,
            convention_reference="C-2",
            signed_on=TODAY(),
            start_date=TODAY(),
        )
    request = gme.file()
    proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
    with pytest.raises(PermissionDenied):
        request_services.answer_proposal(
            gme.user(gme.member_b, Role.REFERENT), proposal, accept=True
        )
    request_services.answer_proposal(gme.user(gme.member_c, Role.REFERENT), proposal, accept=True)
    stay = stay_services.admit(gme.coordinator, proposal)
    assert stay.author_organisation == gme.member_c
    assert stay.youth.owner_organisation == gme.member_c


def test_capacity_never_goes_negative_nor_below_occupancy(gme):
    gme.place(site=gme.site_b, entry=TODAY() - 5 * DAY)
    director_b = gme.user(gme.member_b, Role.DIRECTOR)
    with pytest.raises(ValidationError, match="négative"):
        site_services.record_capacity_change(director_b, gme.site_b, -3, TODAY(), TODAY())
    with pytest.raises(ValidationError, match="occupent"):
        site_services.record_capacity_change(director_b, gme.site_b, -2, TODAY(), TODAY())
    site_services.record_capacity_change(director_b, gme.site_b, -1, TODAY(), TODAY())
    assert CapacityChange.objects.filter(site=gme.site_b).count() == 2


def test_young_adult_contract_needs_the_funder_and_stops_at_21(gme):
    birth = TODAY() - datetime.timedelta(days=17 * 365)
    stay = gme.place(birth_date=birth, age=None)
    majority = stay.youth.majority_date
    with pytest.raises(ValidationError) as error:
        majority_services.decide_after_18(
            gme.coordinator,
            stay,
            MajorityDecision.YOUNG_ADULT_CONTRACT,
            majority,
            majority.replace(year=majority.year + 4),
        )
    text = messages_of(error.value)
    assert "accord du Département" in text and "21 ans" in text
    assert not AfterEighteen.objects.exists()
    decision = majority_services.decide_after_18(
        gme.coordinator,
        stay,
        MajorityDecision.YOUNG_ADULT_CONTRACT,
        majority,
        majority.replace(year=majority.year + 1),
        funder_agreement_on=TODAY(),
    )
    assert decision.author_organisation == gme.lead


def test_a_complex_situation_is_co_accompanied_by_a_second_association(gme):
    stay = gme.place()
    owner_staff = gme.user(gme.member_b, Role.REFERENT)
    with pytest.raises(ValidationError, match="association du groupement"):
        stay_services.co_accompany(owner_staff, stay, gme.outsider, "Suivi", TODAY())
    with pytest.raises(PermissionDenied):  # the owner decides who accompanies
        stay_services.co_accompany(gme.coordinator, stay, gme.member_c, "Suivi", TODAY())
    assignment = stay_services.co_accompany(
        owner_staff, stay, gme.member_c, "Accompagnement renforcé", TODAY()
    )
    assert assignment.relation == Relation.CO_ACCOMPANIMENT
    check(gme.user(gme.member_c, Role.REFERENT), stay.youth, Category.IDENTITY)
