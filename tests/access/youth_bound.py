"""The routes whose address names a youth, or a record of one, and the world they are asked
about in tests/access/test_generated_matrix.py.

The world is the access matrix's (tests/youths/conftest.py: a youth owned by an
association, co-accompanied by a mission locale, with a note and a document in every
category marked ``NOTE-<category>`` / ``DOC-<category>``), with a record behind every
youth-bound route: a CEJ-JR pathway and its file, plan, activities and reviews; a placement
request, its proposal and the stay; an orientation; an erasure and a copy request. The owner
leads the GME (it hosts the stay) and carries the CEJ-JR partnership; the mission locale and the
unrelated association are members of both, so that they pass every gate of the capability
table and the youth-data policy alone decides what they see; the funder funds both and
files the placement request (for a declared age of 15: the GME hosts minors).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.cej.factories import PartnershipSettingsFactory
from coparcours.cej.models import CalendarFeed, MissedAction
from coparcours.cej.models.committee import DecisionKind
from coparcours.cej.services.allowances import request_pacea_allowance
from coparcours.cej.services.committee import create_meeting, record_decision
from coparcours.cej.services.dossier import prepare_dossier
from coparcours.cej.services.feeds import create_feed
from coparcours.cej.services.hours import add_activity
from coparcours.cej.services.outreach import record_outreach
from coparcours.cej.services.plan import add_plan_action, start_plan
from coparcours.core.access import Category
from coparcours.directory.factories import ServiceFactory
from coparcours.directory.services.referrals import send_referral
from coparcours.housing.factories import CapacityChangeFactory, SiteFactory
from coparcours.housing.models.requests import Urgency
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.housing.services.road18 import start_permit_preparation
from coparcours.needs.models import NeedDimension
from coparcours.needs.services import record_need
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
)
from coparcours.organisations.models import ConsortiumKind, Role
from coparcours.youths.factories import AssignmentFactory, ConsentFactory
from coparcours.youths.models import CopyRequest, ErasureRequest
from tests.youths.conftest import _build_world
from tests.youths.test_access_matrix import EXPECTED_RIGHTS

EE = Category.EDUCATION_EMPLOYMENT


@dataclass
class Records:
    """The youth's world and one record behind each kind of youth-bound address."""

    world: object
    ids: dict[str, int] = field(default_factory=dict)


def member(organisation, role):
    """A new user holding one role in one organisation since 2020."""
    user = UserFactory()
    MembershipFactory(
        user=user, organisation=organisation, role=role, start_date=datetime.date(2020, 1, 1)
    )
    return user


def build_records() -> Records:
    """The access matrix's world, with a record behind every youth-bound route, and no
    consent to the mission locale yet (:func:`give_consent`)."""
    world = _build_world("none")
    youth, owner, partner = world.youth, world.owner, world.partner
    unrelated, funder = world.unrelated, world.funder
    today = timezone.localdate()
    referent = member(owner, Role.REFERENT)
    coordinator = member(owner, Role.COORDINATOR)
    funder_user = member(funder, Role.FUNDER_VIEWER)

    # the consortia first (a member's standings are read once): the owner leads the GME
    # and hosts the youth, carries the CEJ-JR partnership; the funder funds both
    gme = ConsortiumFactory(name="GME matrice", kind=ConsortiumKind.GME, funder=funder)
    ConsortiumMemberFactory(consortium=gme, organisation=owner, is_lead=True)
    ConsortiumMemberFactory(consortium=gme, organisation=partner)
    ConsortiumMemberFactory(consortium=gme, organisation=unrelated)
    partnership = ConsortiumFactory(
        name="CEJ-JR matrice", kind=ConsortiumKind.CEJ_JR, funder=funder
    )
    ConsortiumMemberFactory(consortium=partnership, organisation=owner, is_lead=True)
    ConsortiumMemberFactory(consortium=partnership, organisation=partner)
    ConsortiumMemberFactory(consortium=partnership, organisation=unrelated)
    PartnershipSettingsFactory(partnership=partnership, departement_code="59")
    site = SiteFactory(consortium=gme, organisation=owner, name="Maison du propriétaire")
    CapacityChangeFactory(site=site, places=3, planned_on=datetime.date(2019, 1, 1))
    other_site = SiteFactory(
        consortium=gme, organisation=owner, name="Autre maison", min_age=16, max_age=25
    )
    CapacityChangeFactory(site=other_site, places=2, planned_on=datetime.date(2019, 1, 1))
    request = request_services.file_request(
        funder_user,
        gme,
        reference="ASE-MATRICE",
        last_name="",
        first_names="",
        age=15,
        sex="M",
        urgency=Urgency.HIGH,
        requested_date=today,
    )
    request.youth = youth
    request.save()
    proposal = request_services.propose(coordinator, request, site, today)
    request_services.answer_proposal(referent, proposal, accept=True)
    stay = stay_services.admit(coordinator, proposal, today - datetime.timedelta(days=10))
    permit = start_permit_preparation(referent, stay, datetime.date(2020, 1, 1))

    pathway = record_outreach(
        referent,
        owner,
        partnership,
        youth=youth,
        mission_locale=partner,
        identified_on=today,
        spotted_where="Accueil de jour",
        spotted_by="Équipe de prévention",
        spotted_how="street",
        registration="never",
    )
    meeting = create_meeting(referent, owner, partnership, date=today)
    record_decision(
        referent, owner, meeting, pathway, kind=DecisionKind.REMOBILISATION, decided_by="Comité"
    )
    pathway.refresh_from_db()
    items = prepare_dossier(referent, owner, pathway)
    sent = items[1]  # a piece the youth sent from their space, waiting to be accepted
    sent.youth_file.save("piece.png", ContentFile(b"\x89PNG\r\n\x1a\n" + bytes(64)), save=False)
    sent.youth_file_type = "image/png"
    sent.youth_sent_at = timezone.now()
    sent.save()
    pacea = request_pacea_allowance(
        referent,
        owner,
        pathway,
        requested_on=today,
        requested_by="Référente",
        amount=Decimal("50"),
    )
    missed = MissedAction.objects.create(
        youth=youth,
        author_organisation=owner,
        pathway=pathway,
        occurred_on=today,
        description="Atelier manqué",
        breach_number=1,
        proposed_effect="reduction",
    )
    plan = start_plan(referent, owner, pathway, diagnosis_on=today)
    action = add_plan_action(
        referent,
        owner,
        plan,
        dimension="housing",
        objective="Un logement stable",
        action="Demande SIAO",
        owner_organisation=owner,
        owner=referent,
        due_on=today,
    )
    activity = add_activity(
        referent,
        owner,
        pathway,
        kind="workshop",
        title="Atelier logement",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        duration_minutes=60,
        responsible=owner,
    )
    create_feed(referent, pathway)

    # an orientation sent by the owner to a service outside Coparcours
    referral = send_referral(
        referent,
        youth,
        owner,
        service=ServiceFactory(),
        categories=[],
        message="Orientation de la matrice",
        consented_categories=[Category.IDENTITY],
        consent_given_by="youth",
        consent_method="signed_form",
    )
    # an unmet need of the youth's housing, recorded by the owner
    need = record_need(
        referent,
        youth,
        owner,
        dimension=NeedDimension.HOUSING,
        since=today,
        description="Besoin de la matrice",
    )
    erasure = ErasureRequest.objects.create(
        youth=youth,
        received_on=today,
        requester="youth",
        reason="Demande de la matrice",
        author_organisation=owner,
        recorded_by=referent,
    )
    copy = CopyRequest.objects.create(youth=youth, received_on=today, author_organisation=owner)
    # a third organisation accompanying the youth (a consent may open data to it), and a
    # consent to it, so that every consent state has one to withdraw
    third = OrganisationFactory(name="Association tierce")
    AssignmentFactory(youth=youth, organisation=third)
    third_consent = ConsentFactory(
        youth=youth,
        organisation=third,
        categories=[Category.CONTACT],
        start_date=datetime.date(2024, 1, 1),
        author_organisation=owner,
    )
    assignment = youth.assignments.get(organisation=partner)
    ids = {
        "youth": youth.pk,
        "document": youth.documents.get(category=Category.HEALTH).pk,
        "assignment": assignment.pk,
        "consent": third_consent.pk,
        "erasure": erasure.pk,
        "copy": copy.pk,
        "pathway": pathway.pk,
        "dossier_item": items[0].pk,
        "youth_sent_item": sent.pk,
        "missed": missed.pk,
        "pacea": pacea.pk,
        "plan_action": action.pk,
        "activity": activity.pk,
        "review": pathway.reviews.first().pk,
        "feed": CalendarFeed.objects.get(pathway=pathway).pk,
        "request": request.pk,
        "proposal": proposal.pk,
        "stay": stay.pk,
        "permit": permit.pk,
        "referral": referral.pk,
        "need": need.pk,
        "service": referral.service_id,
        # what an API payload names: a site to move to, a person and organisations
        "site": site.pk,
        "other_site": other_site.pk,
        "referent": referent.pk,
        "owner": owner.pk,
        "unrelated": unrelated.pk,
        "third": third.pk,
    }
    return Records(world, ids)


def give_consent(records: Records, state: str, categories: list[str]) -> None:
    """The youth's consent to the mission locale in a state (none, granted, withdrawn), as
    tests/youths/conftest.py records it."""
    if state == "none":
        return
    world = records.world
    consent = ConsentFactory(
        youth=world.youth,
        organisation=world.partner,
        categories=list(categories),
        start_date=datetime.date(2024, 1, 1),
        author_organisation=world.owner,
    )
    if state == "withdrawn":
        consent.withdrawn_at = timezone.now()
        consent.save()


# --- Who may see a record, and what a page needs past that --------------------------------

#: What the mission locale may read of the owner's data while the consent is in force.
CONSENTED = [
    Category.CONTACT,
    Category.HOUSING,
    Category.HEALTH,
    Category.ADMIN_DOCUMENTS,
    Category.EDUCATION_EMPLOYMENT,
]
RELATIONSHIPS = ["owner", "partner", "unrelated", "funder"]
#: The states without a consent in force that the generated matrices ask of the partner
#: (an expired consent is decided as a withdrawn one: no consent in force).
LAPSED_ASKED = ["none", "withdrawn"]
CASEWORKERS = {Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR}
DPO = Role.DATA_PROTECTION_OFFICER
R, W = "r", "w"


def accompanies(relationship: str) -> bool:
    return relationship in {"owner", "partner"}


def may(role: str, relationship: str, consent: str, category: str, action: str) -> bool:
    """May a member read/write the owner's data of this category (the policy's table,
    restated in tests/youths/test_access_matrix.py)?"""
    if not accompanies(relationship) or action not in EXPECTED_RIGHTS[role].get(category, set()):
        return False
    if relationship == "owner" or category == Category.IDENTITY:
        return True
    return consent == "granted" and category in CONSENTED


def may_export(role: str, relationship: str, consent: str, category: str) -> bool:
    """The export reads with the roles' rights, the data-protection officer's with all."""
    if role == DPO:
        return accompanies(relationship) and (
            relationship == "owner"
            or category == Category.IDENTITY
            or (consent == "granted" and category in CONSENTED)
        )
    return may(role, relationship, consent, category, R)


Rule = Callable[[str, str, str], bool]  # (role, relationship, consent) -> bool


def reads(*categories: str) -> Rule:
    return lambda role, rel, consent: all(may(role, rel, consent, c, R) for c in categories)


def writes(*categories: str) -> Rule:
    return lambda role, rel, consent: all(may(role, rel, consent, c, W) for c in categories)


def owner_writes(*categories: str) -> Rule:
    """Decisions on the whole record, or on the owner's own file: its writers only."""
    return lambda role, rel, consent: rel == "owner" and writes(*categories)(role, rel, consent)


def owner_reads(*categories: str) -> Rule:
    """The owner's own file, read by its side only (the side holding the act)."""
    return lambda role, rel, consent: rel == "owner" and reads(*categories)(role, rel, consent)


def duty(anywhere: set[str], owner: set[str]) -> Rule:
    """A data-protection duty (core/access/duties.py): ``anywhere`` in an organisation that
    accompanies the youth, ``owner`` only in the one that owns the record."""
    return lambda role, rel, consent: role in anywhere or (rel == "owner" and role in owner)


def everyone(role: str, relationship: str, consent: str) -> bool:
    return True


def accompanying(role: str, relationship: str, consent: str) -> bool:
    return accompanies(relationship)


def nobody(role: str, relationship: str, consent: str) -> bool:
    return False


def coordination(role: str, relationship: str, consent: str) -> bool:
    """The GME's coordination: the coordinators of its lead member (the owner here)."""
    return relationship == "owner" and role == Role.COORDINATOR


def filer_or_coordination(role: str, relationship: str, consent: str) -> bool:
    """A placement request: the funder that filed it and the coordination."""
    return coordination(role, relationship, consent) or (
        relationship == "funder" and role == Role.FUNDER_VIEWER
    )


def author(role: str, relationship: str, consent: str) -> bool:
    """An orientation: the organisation that sent it."""
    return relationship == "owner"


@dataclass(frozen=True)
class Bound:
    """How to reach a youth-bound route in the world and what it answers.

    ``kwargs`` names, for each URL parameter, the record of :class:`Records` it takes (or a
    literal value after ``=``); the first parameter names the youth or its record: an
    unknown value there answers as a hidden one. ``sees``: who may see the record at all
    (others are answered 404, as for an id that does not exist). ``allows``: who, seeing
    it, may open the page (others are answered 403). ``shows``: the categories whose marker
    the page shows, when readable. ``export``: the page reads with the export's rights.
    An action (``post``) is sent with valid data, so that the refusal, not the form's
    validation, answers.
    """

    kwargs: dict[str, str]
    allows: Rule
    sees: Rule = accompanying
    shows: tuple[str, ...] = ()
    export: bool = False
    #: an action: POSTed with this data (in a savepoint rolled back), else the page is GET
    post: dict[str, str] | None = None
    #: a data-protection duty's page names the youth to whoever holds the duty
    names_youth: bool = False

    def kwargs_in(self, records: Records, unknown: str | None = None) -> dict[str, object]:
        """The URL's parameters in the world, with an id no record has for ``unknown``."""
        values: dict[str, object] = {}
        for parameter, source in self.kwargs.items():
            if source.startswith("="):
                values[parameter] = source[1:]
            elif parameter == unknown:
                values[parameter] = UNKNOWN_ID
            else:
                values[parameter] = records.ids[source]
        return values

    @property
    def bound(self) -> str:
        """The parameter naming the youth or their record."""
        return next(iter(self.kwargs))

    @property
    def nested(self) -> list[str]:
        """The parameters naming a record inside the youth's (a document, an action...)."""
        return [p for p, source in list(self.kwargs.items())[1:] if not source.startswith("=")]


#: An id no record has.
UNKNOWN_ID = 2_000_000_000

YOUTH = {"pk": "youth"}
PATHWAY = {"pk": "pathway"}
EE_R, EE_W = reads(EE), writes(EE)


def mission_locale_writes(role: str, relationship: str, consent: str) -> bool:
    """An act of the pathway's mission locale side (core/access/sides.py; the partner here),
    by those who may write its data."""
    return relationship == "partner" and EE_W(role, relationship, consent)


MISSION_LOCALE_W = mission_locale_writes
DOCS = Category.ADMIN_DOCUMENTS
ACCESS_LOG = duty(CASEWORKERS | {DPO}, set())
EXPORT = duty({DPO}, CASEWORKERS)

#: Every route whose address names a youth or one of their records.
YOUTH_BOUND: dict[str, Bound] = {
    # the youth's record (tests/youths/test_access_matrix.py states it by hand)
    "youths:detail": Bound(YOUTH, reads(Category.IDENTITY), shows=tuple(Category.values)),
    "youths:edit": Bound({**YOUTH, "category": "=contact"}, writes(Category.CONTACT)),
    "youths:note_add": Bound(YOUTH, reads(Category.IDENTITY)),
    "youths:document_upload": Bound(YOUTH, reads(Category.IDENTITY)),
    "youths:document": Bound({**YOUTH, "document_id": "document"}, reads(Category.HEALTH)),
    "youths:assignment_add": Bound(YOUTH, owner_writes(Category.IDENTITY)),
    "youths:assignment_end": Bound(
        {**YOUTH, "assignment_id": "assignment"}, owner_writes(Category.IDENTITY)
    ),
    "youths:consent_add": Bound(YOUTH, reads(Category.IDENTITY)),
    "youths:consent_form": Bound(YOUTH, reads(Category.IDENTITY)),
    # the consent names a third organisation: the author, the recipient or the owner withdraws
    "youths:consent_withdraw": Bound(
        {**YOUTH, "consent_id": "consent"}, owner_writes(Category.IDENTITY), post={}
    ),
    "youths:access_log": Bound(YOUTH, ACCESS_LOG, names_youth=True),
    "youths:privacy": Bound(YOUTH, ACCESS_LOG, names_youth=True),
    "youths:export_json": Bound(YOUTH, EXPORT, shows=tuple(Category.values), export=True),
    "youths:export_pdf": Bound(YOUTH, EXPORT, shows=tuple(Category.values), export=True),
    "youths:erasure_request": Bound(YOUTH, duty(set(), CASEWORKERS | {DPO}), names_youth=True),
    "youths:copy_answer": Bound(
        {**YOUTH, "request_id": "copy"}, duty(set(), {DPO}), names_youth=True
    ),
    "youths:erasure_decide": Bound(
        {**YOUTH, "request_id": "erasure"}, duty(set(), {Role.DIRECTOR, DPO}), names_youth=True
    ),
    # the CEJ-JR pathway (education and employment), its file (administrative documents)
    "cej:detail": Bound(PATHWAY, EE_R),
    "cej:contact_add": Bound(PATHWAY, EE_W),
    "cej:contact_import": Bound(PATHWAY, EE_W),
    "cej:eligibility_check": Bound(PATHWAY, EE_W, post={}),
    "cej:assessment": Bound(PATHWAY, EE_W),
    "cej:certificate": Bound(PATHWAY, EE_R),
    "cej:dossier_prepare": Bound(PATHWAY, owner_writes(EE, DOCS), post={}),
    "cej:dossier_collect": Bound({**PATHWAY, "item_id": "dossier_item"}, owner_writes(EE, DOCS)),
    "cej:dossier_transmit": Bound(PATHWAY, owner_writes(EE, DOCS), post={}),
    "cej:dossier_youth_file": Bound(
        {**PATHWAY, "item_id": "youth_sent_item"}, owner_reads(EE, DOCS)
    ),
    "cej:dossier_youth_decide": Bound(
        {**PATHWAY, "item_id": "youth_sent_item"},
        owner_writes(EE, DOCS),
        post={"decision": "refuse", "reason": "La photo est floue."},
    ),
    "cej:dossier_pack": Bound(PATHWAY, reads(EE, DOCS)),
    "cej:contract_sign": Bound(PATHWAY, EE_W),
    "cej:contract_extend": Bound(PATHWAY, EE_W),
    "cej:exit": Bound(PATHWAY, EE_W),
    "cej:missed_add": Bound(PATHWAY, MISSION_LOCALE_W),
    "cej:missed_decide": Bound({**PATHWAY, "missed_id": "missed"}, MISSION_LOCALE_W),
    "cej:pacea_add": Bound(PATHWAY, EE_W),
    "cej:pacea_decide": Bound({**PATHWAY, "request_id": "pacea"}, MISSION_LOCALE_W),
    "cej:accompaniment": Bound(PATHWAY, EE_R),
    "cej:plan_start": Bound(PATHWAY, EE_W),
    "cej:plan_action_add": Bound(PATHWAY, EE_W),
    "cej:plan_action_status": Bound(
        {**PATHWAY, "action_id": "plan_action"},
        writes(Category.HOUSING),  # a housing action: its category decides
        post={"status": "done"},
    ),
    "cej:activity_add": Bound(PATHWAY, EE_W),
    "cej:activity_attendance": Bound(
        {**PATHWAY, "activity_id": "activity"}, EE_W, post={"attended": "1"}
    ),
    "cej:counsellor": Bound(PATHWAY, EE_W),
    "cej:review": Bound({**PATHWAY, "review_id": "review"}, EE_R),
    "cej:interview_add": Bound(PATHWAY, EE_W),
    "cej:youth_link": Bound(PATHWAY, EE_W, post={}),
    "cej:youth_access_close": Bound(PATHWAY, EE_W, post={}),
    "cej:youth_link_send": Bound(PATHWAY, EE_W, post={"channel": "sms"}),
    "cej:youth_pin_reset": Bound(PATHWAY, EE_W, post={}),
    # a calendar feed of one pathway: its owner's only (none of the members asking)
    "cej:feed_revoke": Bound({"feed_id": "feed"}, everyone, sees=nobody, post={}),
    # the placement request, its proposal and the stay (housing)
    "housing:request": Bound({"pk": "request"}, everyone, sees=filer_or_coordination),
    "housing:request_propose": Bound({"pk": "request"}, everyone, sees=coordination),
    "housing:request_wait": Bound({"pk": "request"}, everyone, sees=coordination, post={}),
    "housing:request_cancel": Bound(
        {"pk": "request"}, everyone, sees=filer_or_coordination, post={}
    ),
    # the proposal is accepted: the host's team no longer answers it, the coordination may
    "housing:proposal_accept": Bound({"pk": "proposal"}, everyone, sees=coordination, post={}),
    "housing:proposal_decline": Bound({"pk": "proposal"}, everyone, sees=coordination),
    "housing:proposal_admit": Bound({"pk": "proposal"}, everyone, sees=coordination),
    "housing:stay": Bound({"pk": "stay"}, reads(Category.HOUSING)),
    "housing:stay_transfer": Bound({"pk": "stay"}, coordination),
    "housing:stay_exit": Bound({"pk": "stay"}, writes(Category.HOUSING)),
    "housing:stay_after_18": Bound({"pk": "stay"}, writes(Category.HOUSING)),
    "housing:stay_co_accompany": Bound({"pk": "stay"}, writes(Category.HOUSING)),
    "housing:stay_incident": Bound({"pk": "stay"}, owner_writes(Category.HOUSING)),
    # the road to 18: read as the stay, recorded by the hosting member (the owner here)
    "housing:road18": Bound({"pk": "stay"}, reads(Category.HOUSING)),
    "housing:schooling_create": Bound({"pk": "stay"}, owner_writes(EE)),
    "housing:permit_start": Bound({"pk": "stay"}, owner_writes(DOCS)),
    "housing:interview_create": Bound({"pk": "stay"}, owner_writes(Category.HOUSING)),
    "housing:permit_pieces": Bound({"pk": "permit"}, owner_writes(DOCS), post={}),
    "housing:permit_filing": Bound({"pk": "permit"}, owner_writes(DOCS)),
    # the youth's own space, given by the hosting member (the owner here)
    **{
        f"housing:stay_youth_{act}": Bound({"pk": "stay"}, owner_writes(Category.HOUSING), post=p)
        for act, p in (("link", {}), ("access_close", {}), ("link_send", {"channel": "sms"}))
    },
    "housing:stay_youth_pin_reset": Bound({"pk": "stay"}, owner_writes(Category.HOUSING), post={}),
    # orientations: the youth's, and one sent (its author's; the service answers)
    "directory:orientation": Bound({"youth_id": "youth"}, reads(Category.IDENTITY)),
    "directory:referral_create": Bound(
        {"youth_id": "youth", "service_id": "service"}, writes(Category.IDENTITY)
    ),
    "directory:referral": Bound({"pk": "referral"}, reads(Category.NOTES), sees=author),
    "directory:answer_in_app": Bound(
        {"pk": "referral"}, everyone, sees=nobody, post={"decision": "accept"}
    ),
    # unmet needs: the youth's list, one need of the owner's (housing) and its closing
    "needs:youth": Bound({"youth_id": "youth"}, reads(Category.IDENTITY)),
    "needs:need": Bound({"pk": "need"}, reads(Category.HOUSING)),
    "needs:close": Bound({"pk": "need"}, writes(Category.HOUSING)),
    "needs:reopen": Bound({"pk": "need"}, writes(Category.HOUSING)),
}

#: Public routes (reached without an account) whose address names a youth's record: they
#: answer the same for it as for an unknown id to whoever has no youth's session.
PUBLIC_YOUTH_BOUND: dict[str, Bound] = {
    "space:withdraw": Bound({"consent_id": "consent"}, nobody, sees=nobody),
    "cej:youth_appointment_answer": Bound({"activity_id": "activity"}, nobody, sees=nobody),
    "cej:youth_paper_send": Bound({"item_id": "dossier_item"}, nobody, sees=nobody),
}
