"""The Nord GME at the field's scale, for ``coparcours load_demo``: its ~1,100 places host
about a thousand minors today, after eight years of admissions, transfers, exits and
decisions at 18 (the history simulated by ``gme_history.py``), each hosted youth with an
educator of the hosting member as referent.

Written in bulk, with what the housing services would have written along (the
placement request and the proposal behind each admission, the hosting and coordination
co-accompaniments, the transfers, the decisions at 18, the reminders before majority
already raised, the history rows of each), and the records whose last contact is past
the retention period already anonymised, as the daily job would have left them. The
cached housing figures are renewed at the end. Loading it again changes nothing.
"""

from __future__ import annotations

import copy
import datetime
import random
import unicodedata
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.accounts.models import User
from coparcours.core.access import Category, Relation
from coparcours.demo import people
from coparcours.demo.gme_history import SitePlan, YouthPlan, simulate
from coparcours.housing import figures
from coparcours.housing.models import (
    AfterEighteen,
    CapacityChange,
    PlacementRequest,
    Proposal,
    Site,
    SiteLoan,
    Stay,
    Transfer,
)
from coparcours.housing.models.majority import MajorityReminder, ReminderKind
from coparcours.housing.models.requests import ProposalStatus, RequestStatus, Urgency
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Consortium, Membership, Organisation, Role
from coparcours.youths.models import Assignment, Youth
from coparcours.youths.models.records import AgeAssessment, Situation
from coparcours.youths.privacy.anonymisation import pseudonym
from coparcours.youths.privacy.retention import months_before
from coparcours.youths.rules import add_years, search_key

MEMBERS = ("alefpa", "temps_de_vie", "asrl")
#: Months without contact after which the daily job anonymises a record (the demo's
#: retention rule for youths' records).
RETENTION_MONTHS = 24
#: The Département's territorial services, by the city of the hosting member.
ASE_SERVICES = {
    "Lille": "ASE du Nord — Direction territoriale Lille",
    "Roubaix": "ASE du Nord — Direction territoriale Roubaix-Tourcoing",
}
NEEDS = (
    "Mise à l'abri ; évaluation de minorité faite, scolarisation à organiser.",
    "Scolarisé en UPE2A ; souhaite un CAP. Parle peu le français.",
    "Orientation après l'accueil d'urgence ; suivi santé à organiser (PASS).",
    "Apprentissage en vue ; cherche un employeur en boulangerie.",
    "Jeune fille ; accueil en structure mixte ou non mixte à étudier.",
    "Pris en charge après une arrivée par la gare Lille-Flandres ; besoins à évaluer.",
)
BATCH = 500


def load_gme_volume(gme: Consortium, org: dict[str, Organisation], users: dict[str, User]) -> None:
    """The field-scale history of the GME's places, written once."""
    if PlacementRequest.objects.filter(
        consortium=gme, reference__startswith="ASE-59-2018-"
    ).exists():
        return
    today = timezone.localdate()
    rng = random.Random(59)  # noqa: S311 - names and dates, not secrets
    educators = _educators(org, users)
    plans = simulate(_openings(gme), today, seed=59)
    writer = _Writer(gme, org, users, educators, rng, today)
    writer.write(plans)
    figures.renew(gme.pk)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-").replace("'", "")


def staff_email(member: str, first_name: str, last_name: str) -> str:
    """A member's professional address in the demo's domain."""
    domain = member.replace("_", "-")
    return f"{_ascii(first_name)}.{_ascii(last_name)}@{domain}.demo.coparcours.fr"


def _educators(org: dict[str, Organisation], users: dict[str, User]) -> dict[int, list[User]]:
    """Each member's educators (referents of its hosted youths), created with the demo's
    password hashed once; ASRL's include the demo referent, Julie Dumont."""
    password = make_password(DEFAULT_PASSWORD)
    created = User.objects.bulk_create(
        [
            User(
                email=staff_email(member, first, last),
                first_name=first,
                last_name=last,
                password=password,
            )
            for member in MEMBERS
            for first, last in people.STAFF[member]
        ]
    )
    by_email = {user.email: user for user in created}
    Membership.objects.bulk_create(
        [
            Membership(
                user=by_email[staff_email(member, first, last)],
                organisation=org[member],
                role=Role.REFERENT,
                start_date=datetime.date(2018, 11, 15),
            )
            for member in MEMBERS
            for first, last in people.STAFF[member]
        ]
    )
    educators = {
        org[member].pk: [by_email[staff_email(member, *name)] for name in people.STAFF[member]]
        for member in MEMBERS
    }
    educators[org["asrl"].pk].append(users["referente"])
    return educators


def _openings(gme: Consortium) -> list[tuple[SitePlan, int, datetime.date]]:
    """The places each site opened, less those the small demo's youths hold today."""
    loans = defaultdict(list)
    for loan in SiteLoan.objects.filter(site__consortium=gme):
        loans[loan.site_id].append((loan.start_date, loan.end_date, loan.borrower_id))
    sites = {
        site.pk: SitePlan(
            site.pk,
            site.organisation_id,
            site.kind,
            site.min_age,
            site.max_age,
            site.accepted_sex,
            tuple(loans[site.pk]),
        )
        for site in Site.objects.filter(consortium=gme)
    }
    held = defaultdict(int)
    for site_id in (
        Stay.objects.active().filter(site__consortium=gme).values_list("site_id", flat=True)
    ):
        held[site_id] += 1
    openings = []
    for site_id, places, opened_on in (
        CapacityChange.objects.filter(site__consortium=gme, opened_on__isnull=False)
        .order_by("opened_on", "pk")
        .values_list("site_id", "places", "opened_on")
    ):
        kept = min(places, held[site_id])
        held[site_id] -= kept
        if places - kept > 0:
            openings.append((sites[site_id], places - kept, opened_on))
    return openings


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Writer:
    """Writes the simulated history in bulk, table by table, keeping each row's links."""

    def __init__(
        self,
        gme: Consortium,
        org: dict[str, Organisation],
        users: dict[str, User],
        educators: dict[int, list[User]],
        rng: random.Random,
        today: datetime.date,
    ) -> None:
        self.gme, self.org, self.users = gme, org, users
        self.educators, self.rng, self.today = educators, rng, today
        self.lead = org["alefpa"]
        self.cities = {organisation.pk: organisation.city for organisation in org.values()}
        self.forgotten_by = months_before(today, RETENTION_MONTHS)

    def write(self, plans: list[YouthPlan]) -> None:
        youths = self._youths(plans)
        requests = self._requests(plans, youths)
        coordination, hosting = self._assignments(plans, youths)
        stays = self._stays(plans, youths, requests, coordination, hosting)
        self._transfers(plans, stays)
        self._after_18(plans, youths, stays)

    def _anonymised(self, plan: YouthPlan) -> bool:
        return plan.left_on is not None and plan.left_on <= self.forgotten_by

    # --- records ------------------------------------------------------------------------

    def _youths(self, plans: list[YouthPlan]) -> list[Youth]:
        """One record per minor, owned by the member that admitted them (never under the
        names of the small demo's youths, which it finds by name); a referent for each,
        shared evenly among the member's educators for the youths hosted today."""
        rows = []
        caseload: dict[int, int] = defaultdict(int)
        known = set(Youth.objects.values_list("last_name", "first_names"))  # the small demo's
        for plan in plans:
            owner = plan.stays[0].site.operator_on(plan.entry)
            person = people.minor(self.rng, plan.sex)
            while (person.last_name, person.first_names) in known:
                person = people.minor(self.rng, plan.sex)
            educators = self.educators[owner]
            if plan.left_on is None:
                referent = educators[caseload[owner] % len(educators)]
                caseload[owner] += 1
            else:
                referent = self.rng.choice(educators)
            youth = Youth(
                owner_organisation_id=owner,
                referent=referent,
                last_name=person.last_name,
                first_names=person.first_names,
                sex=plan.sex,
                birth_date=plan.birth,
                birth_date_is_declared=True,
                nationality=person.nationality,
                languages=person.languages,
                needs_interpreter=person.needs_interpreter,
                situation=self.rng.choice([Situation.SCHOOL] * 3 + [Situation.TRAINING]),
                is_unaccompanied_minor=True,
                age_assessment=AgeAssessment.MINOR,
                age_assessment_date=plan.entry - datetime.timedelta(days=self.rng.randint(5, 40)),
                ase_service=ASE_SERVICES.get(self.cities[owner], ASE_SERVICES["Lille"]),
                guardian="Président du Département du Nord (tutelle)",
                placement_order_reference=f"AE {plan.entry.year}/{self.rng.randint(100, 9999):05d}",
                placement_order_court="Tribunal judiciaire de Lille — juge des enfants",
                placement_order_start=plan.entry - datetime.timedelta(days=self.rng.randint(1, 12)),
                placement_order_end=plan.majority,
                last_name_key=search_key(person.last_name),
                first_name_key=search_key(person.first_names).split(" ")[0],
            )
            if self._anonymised(plan):
                self._anonymise(youth, plan)
            youth.created_at = _at(plan.entry, 10)
            youth._history_date = youth.created_at
            rows.append(youth)
        youths = Youth.objects.bulk_create(rows, batch_size=BATCH)
        anonymised = [y for y, plan in zip(youths, plans, strict=True) if self._anonymised(plan)]
        for youth in anonymised:
            youth.last_name = pseudonym(youth.pk)
        Youth.objects.bulk_update(youths, ["created_at", "last_name"], batch_size=BATCH)
        Youth.history.bulk_history_create(youths, batch_size=BATCH)
        return youths

    def _anonymise(self, youth: Youth, plan: YouthPlan) -> None:
        """What the retention job leaves of a record two years after the last contact:
        the statistics' fields (sex, the year of birth, the minor's status), no name."""
        for name in (
            "first_names",
            "nationality",
            "languages",
            "ase_service",
            "guardian",
            "placement_order_reference",
            "placement_order_court",
            "last_name_key",
            "first_name_key",
        ):
            setattr(youth, name, "")
        youth.age_assessment_date = youth.placement_order_start = None
        youth.placement_order_end = None
        youth.birth_date = datetime.date(plan.birth.year, 1, 1)
        forgotten = add_years(plan.left_on, RETENTION_MONTHS // 12)
        youth.anonymised_at = _at(forgotten + datetime.timedelta(days=1), 3)

    # --- requests and proposals -----------------------------------------------------------

    def _requests(self, plans: list[YouthPlan], youths: list[Youth]) -> list[PlacementRequest]:
        """The Département's request behind each admission, numbered by year of filing
        after the numbers the small demo uses, and the place the coordination proposed."""
        taken = set(
            PlacementRequest.objects.filter(consortium=self.gme).values_list("reference", flat=True)
        )
        numbers: dict[int, int] = defaultdict(int)
        rows, proposals = [], []
        for plan, youth in zip(plans, youths, strict=True):
            urgency = self.rng.choices(
                [Urgency.IMMEDIATE, Urgency.HIGH, Urgency.NORMAL], weights=[6, 3, 1]
            )[0]
            ahead = {Urgency.IMMEDIATE: (0, 1), Urgency.HIGH: (1, 3), Urgency.NORMAL: (5, 20)}
            filed = plan.entry - datetime.timedelta(days=self.rng.randint(*ahead[urgency]))
            reference = ""
            while not reference or reference in taken:
                numbers[filed.year] += 1
                reference = f"ASE-59-{filed.year}-{numbers[filed.year]:04d}"
            named = not self._anonymised(plan)
            request = PlacementRequest(
                consortium=self.gme,
                funder=self.gme.funder,
                filed_by=self.users["departement"],
                reference=reference,
                last_name=youth.last_name if named else "",
                first_names=youth.first_names if named else "",
                birth_date=plan.birth if named else None,
                age=plan.age_on(filed),
                sex=plan.sex,
                needs=self.rng.choice(NEEDS),
                urgency=urgency,
                urgency_rank={Urgency.IMMEDIATE: 0, Urgency.HIGH: 1}.get(urgency, 2),
                requested_date=plan.entry,
                status=RequestStatus.ADMITTED,
                youth=youth,
            )
            request.created_at = _at(filed, 9 + self.rng.randrange(8))
            request._history_date = request.created_at
            rows.append(request)
        requests = PlacementRequest.objects.bulk_create(rows, batch_size=BATCH)
        PlacementRequest.objects.bulk_update(requests, ["created_at"], batch_size=BATCH)
        PlacementRequest.history.bulk_history_create(requests, batch_size=BATCH)
        for plan, youth, request in zip(plans, youths, requests, strict=True):
            proposal = Proposal(
                request=request,
                site_id=plan.stays[0].site.pk,
                entry_date=plan.entry,
                status=ProposalStatus.ADMITTED,
                proposed_by=self.users["coordination"],
                answered_by=youth.referent,
                answered_at=request.created_at + datetime.timedelta(hours=3),
            )
            proposal.created_at = request.created_at + datetime.timedelta(hours=1)
            proposal._history_date = proposal.created_at
            proposals.append(proposal)
        proposals = Proposal.objects.bulk_create(proposals, batch_size=BATCH)
        Proposal.objects.bulk_update(proposals, ["created_at"], batch_size=BATCH)
        Proposal.history.bulk_history_create(proposals, batch_size=BATCH)
        return requests

    # --- co-accompaniments and stays ------------------------------------------------------

    def _assignments(
        self, plans: list[YouthPlan], youths: list[Youth]
    ) -> tuple[list[Assignment], dict[tuple[int, int], Assignment]]:
        """The coordination accompanies each youth from the first entry to the last exit;
        a member hosting a youth it does not own accompanies them for that stay."""
        coordination = [
            Assignment(
                youth=youth,
                organisation=self.lead,
                relation=Relation.GME_COORDINATION,
                role=f"Coordination du {self.gme.name}",
                start_date=plan.entry,
                end_date=plan.left_on,
                created_by=self.users["coordination"],
            )
            for plan, youth in zip(plans, youths, strict=True)
        ]
        hosting = {}
        for n, (plan, youth) in enumerate(zip(plans, youths, strict=True)):
            for k, stay in enumerate(plan.stays):
                operator = stay.site.operator_on(stay.start)
                if operator != youth.owner_organisation_id:
                    hosting[(n, k)] = Assignment(
                        youth=youth,
                        organisation_id=operator,
                        relation=Relation.HOSTING,
                        role="Hébergement au sein du groupement",
                        start_date=stay.start,
                        end_date=stay.end,
                        created_by=self.users["coordination"],
                    )
        Assignment.objects.bulk_create([*coordination, *hosting.values()], batch_size=BATCH)
        return coordination, hosting

    def _stays(
        self,
        plans: list[YouthPlan],
        youths: list[Youth],
        requests: list[PlacementRequest],
        coordination: list[Assignment],
        hosting: dict[tuple[int, int], Assignment],
    ) -> dict[tuple[int, int], Stay]:
        """Every stay, with its history: opened at the entry, closed at the exit."""
        stays = {}
        for n, (plan, youth) in enumerate(zip(plans, youths, strict=True)):
            for k, stay in enumerate(plan.stays):
                stays[(n, k)] = Stay(
                    youth=youth,
                    site_id=stay.site.pk,
                    category=Category.HOUSING,
                    author_organisation_id=stay.site.operator_on(stay.start),
                    request=requests[n],
                    start_date=stay.start,
                    end_date=stay.end,
                    exit_reason=stay.exit_reason,
                    exit_details=stay.exit_details,
                    hosting_assignment=hosting.get((n, k)),
                    coordination_assignment=coordination[n],
                    created_by=self.users["coordination"],
                )
        created = Stay.objects.bulk_create(list(stays.values()), batch_size=BATCH)
        opened = []
        for stay in created:
            entered = copy.copy(stay)
            entered.end_date, entered.exit_reason, entered.exit_details = None, "", ""
            entered._history_date = _at(stay.start_date, 11)
            opened.append(entered)
        closed = [stay for stay in created if stay.end_date is not None]
        for stay in closed:
            stay._history_date = _at(stay.end_date, 16)
        Stay.history.bulk_history_create(opened, batch_size=BATCH)
        Stay.history.bulk_history_create(closed, batch_size=BATCH, update=True)
        return stays

    def _transfers(self, plans: list[YouthPlan], stays: dict[tuple[int, int], Stay]) -> None:
        rows = []
        for n, plan in enumerate(plans):
            for k in range(1, len(plan.stays)):
                transfer = Transfer(
                    from_stay=stays[(n, k - 1)],
                    to_stay=stays[(n, k)],
                    reason=plan.stays[k].transfer_reason,
                    details="Sortie de l'accueil d'urgence vers une place durable"
                    if plan.stays[k - 1].site.kind == SiteKind.EMERGENCY
                    else "Réorientation décidée en commission de coordination",
                    decided_by=self.users["coordination"],
                )
                transfer._history_date = _at(plan.stays[k].start, 10)
                rows.append(transfer)
        created = Transfer.objects.bulk_create(rows, batch_size=BATCH)
        Transfer.history.bulk_history_create(created, batch_size=BATCH)

    # --- turning 18 -------------------------------------------------------------------------

    def _after_18(
        self, plans: list[YouthPlan], youths: list[Youth], stays: dict[tuple[int, int], Stay]
    ) -> None:
        """The decisions taken before each majority (a contrat jeune majeur once the
        Département agreed), and the reminders before the majorities of those still
        hosted, raised already as the daily job would have."""
        decisions, reminders = [], []
        for n, (plan, youth) in enumerate(zip(plans, youths, strict=True)):
            decided = plan.after_18
            if (
                decided
                and decided.decided_on < self.today
                and (
                    decided.funder_agreement_on is None or decided.funder_agreement_on <= self.today
                )
            ):
                k = max(k for k, stay in enumerate(plan.stays) if stay.start <= decided.decided_on)
                stay = stays[(n, k)]
                row = AfterEighteen(
                    stay=stay,
                    youth=youth,
                    category=Category.HOUSING,
                    author_organisation_id=stay.author_organisation_id,
                    decision=decided.decision,
                    start_date=decided.start,
                    end_date=decided.end,
                    funder_agreement_on=decided.funder_agreement_on,
                    decided_by=youth.referent,
                )
                row._history_date = _at(decided.decided_on, 15)
                decisions.append(row)
            reminders += self._reminders(plan, youth, stays[(n, len(plan.stays) - 1)])
        created = AfterEighteen.objects.bulk_create(decisions, batch_size=BATCH)
        AfterEighteen.history.bulk_history_create(created, batch_size=BATCH)
        MajorityReminder.objects.bulk_create(reminders, batch_size=BATCH)

    def _reminders(self, plan: YouthPlan, youth: Youth, stay: Stay) -> list[MajorityReminder]:
        if plan.left_on is not None or not self.today < plan.majority:
            return []
        due = [
            (ReminderKind.PREPARATION_INTERVIEW, 365, stay.author_organisation_id),
            (ReminderKind.COORDINATOR_ALERT, 90, self.lead.pk),
        ]
        return [
            MajorityReminder(
                youth=youth,
                stay=stay,
                kind=kind,
                organisation_id=recipient,
                majority_date=plan.majority,
            )
            for kind, days, recipient in due
            if (plan.majority - self.today).days <= days
        ]
