"""The GME housing's "À traiter" blocks of the home pages (docs/conventions.md, "Screens by
role"): for the coordination of a GME, the requests to handle, the proposals a member leaves
unanswered, the majorities coming without a decision and the saturated sites; for a member's
staff, the proposals to answer, the admissions to record and the residence-permit files to
prepare; for the funder, its open
placement requests.

Each block reads the GMEs of the *acting* organisation only (the one chosen in the header),
narrowed by the housing's selectors that apply the access policy; youths' names come through
:func:`~coparcours.housing.selectors.stays.visible_stays`. Each costs a fixed number of
queries whatever the number of rows: most read their first rows and their count in one
query (a window count).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability, acting_membership
from coparcours.housing import rules
from coparcours.housing.home_scope import acting_member_id, first_rows, led_consortia, plural
from coparcours.housing.models.majority import AfterEighteen, MajorityReminder, ReminderKind
from coparcours.housing.models.requests import (
    OPEN_REQUEST_STATUSES,
    PlacementRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
    Urgency,
)
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.sites import SiteLoan
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.housing.selectors import requests as request_selectors
from coparcours.housing.selectors.stays import visible_stays
from coparcours.organisations.models import Consortium, Standing
from coparcours.organisations.todo import (
    Todo,
    TodoBlock,
    TodoRow,
    Tone,
    days_phrase,
    todo_of,
)
from coparcours.youths.rules import MAJORITY_AGE, add_years

#: A proposal left this long without the member's answer is shown to the coordination.
UNANSWERED_AFTER = datetime.timedelta(hours=48)

_SEX_WORDS = {"F": "fille", "M": "garçon"}
_URGENT = {Urgency.IMMEDIATE: "mise à l'abri", Urgency.HIGH: "urgente"}


def _percent(rate: float) -> str:
    """« 95 % », « 96,5 % »."""
    text = f"{rate:.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} %"


def _who(placement: PlacementRequest) -> str:
    """The requested youth without their name: age (or birth date) and sex."""
    age = (
        f"né·e le {placement.birth_date:%d/%m/%Y}"
        if placement.birth_date
        else f"{placement.age} ans"
    )
    sex = _SEX_WORDS.get(placement.sex)
    return f"{age}, {sex}" if sex else age


def _settings(request: HttpRequest) -> HousingSettings:
    """The housing settings in force today, read once for the blocks of one home page."""
    found = getattr(request, "_housing_settings", None)
    if found is None:
        found = HousingSettings.in_force(timezone.localdate())
        request._housing_settings = found  # type: ignore[attr-defined]
    return found


# --- The coordination -----------------------------------------------------------------------


def requests_to_handle(request: HttpRequest) -> Todo | None:
    """Requests of the led GMEs still without a place: received (to answer) and on the
    waiting list, the most urgent first, then the oldest filed."""
    led = led_consortia(request)
    if led is None:
        return None
    requests = PlacementRequest.objects.filter(
        consortium_id__in=led, status__in=[RequestStatus.RECEIVED, RequestStatus.WAITING]
    ).order_by("urgency_rank", "created_at", "pk")

    def row(placement: PlacementRequest) -> TodoRow:
        received = timezone.localtime(placement.created_at)
        detail = (
            f"{_who(placement)} · reçue le {received:%d/%m/%Y}"
            f" · accueil souhaité le {placement.requested_date:%d/%m/%Y}"
        )
        if placement.urgency in _URGENT:
            badge, tone = _URGENT[placement.urgency], Tone.URGENT
            if placement.status == RequestStatus.WAITING:
                detail += " · en liste d'attente"
        elif placement.status == RequestStatus.WAITING:
            badge, tone = "en liste d'attente", Tone.WAITING
        else:
            badge, tone = "nouvelle", Tone.NEW
        return TodoRow(
            label=placement.reference,
            detail=detail,
            badge=badge,
            tone=tone,
            url=reverse("housing:request", args=[placement.pk]),
            action="Traiter",
        )

    return first_rows(requests, row, reverse("housing:dashboard"))


def unanswered_proposals(request: HttpRequest) -> Todo | None:
    """Places proposed to a member of the led GMEs more than 48 hours ago and still without
    its answer, the oldest first."""
    led = led_consortia(request)
    if led is None:
        return None
    now = timezone.now()
    proposals = (
        Proposal.objects.filter(
            site__consortium_id__in=led,
            status=ProposalStatus.PENDING,
            created_at__lte=now - UNANSWERED_AFTER,
        )
        .select_related("request", "site__organisation")
        .order_by("created_at", "pk")
    )

    def row(proposal: Proposal) -> TodoRow:
        days = (now - proposal.created_at).days
        return TodoRow(
            label=proposal.request.reference,
            detail=(
                f"Proposée à {proposal.site.organisation} ({proposal.site.name})"
                f" · entrée prévue le {proposal.entry_date:%d/%m/%Y}"
            ),
            badge=f"sans réponse depuis {plural(days, 'jour')}",
            tone=Tone.WAITING,
            url=reverse("housing:request", args=[proposal.request_id]),
            action="Voir la demande",
        )

    return first_rows(proposals, row, reverse("housing:dashboard"))


def majorities_without_decision(request: HttpRequest) -> Todo | None:
    """Youths hosted in the led GMEs turning 18 within the coordinator alert delay (a dated
    setting) with no decision at 18 recorded; only those whose housing data the policy lets
    the user read, the nearest majority first."""
    led = led_consortia(request)
    if led is None:
        return None
    today = timezone.localdate()
    delay = _settings(request).coordinator_alert_days
    stays = (
        Stay.objects.active(today)
        .filter(
            site__consortium_id__in=led,
            youth__birth_date__gt=add_years(today, -MAJORITY_AGE),
            youth__birth_date__lte=add_years(today + datetime.timedelta(days=delay), -MAJORITY_AGE),
        )
        .exclude(Exists(AfterEighteen.objects.filter(youth_id=OuterRef("youth_id"))))
    )
    coming = sorted(
        visible_stays(request.user, stays, few_rows=True),
        key=lambda stay: (stay.youth.majority_date, stay.pk),
    )

    def row(stay: Stay) -> TodoRow:
        majority = stay.youth.majority_date
        return TodoRow(
            label=str(stay.youth),
            detail=f"{stay.site.name} · 18 ans le {majority:%d/%m/%Y}",
            badge=f"majorité {days_phrase((majority - today).days)}",
            tone=Tone.URGENT,
            url=reverse("housing:stay_after_18", args=[stay.pk]),
            action="Décider",
        )

    return todo_of(coming, row, more_url=reverse("housing:dashboard") + "#majority-title")


def permits_to_prepare(request: HttpRequest) -> Todo | None:
    """Residence-permit files of the minors the acting member hosts whose window the daily
    job announced (opening, or its last days) and which are not yet filed, the nearest
    deadline first; only the youths whose housing data the user may read."""
    membership = acting_membership(request)
    if membership is None:
        return None
    today = timezone.localdate()
    reminders = MajorityReminder.objects.filter(
        organisation_id=membership.organisation_id,
        kind__in=[ReminderKind.PERMIT_OPENS, ReminderKind.PERMIT_DEADLINE],
        youth__permit_preparations__filed_on__isnull=True,
    )
    kinds: dict[int, str] = {}
    for youth_id, kind in reminders.values_list("youth_id", "kind"):
        if kinds.get(youth_id) != ReminderKind.PERMIT_DEADLINE:
            kinds[youth_id] = kind
    stays = Stay.objects.active(today).filter(
        youth_id__in=list(kinds), author_organisation_id=membership.organisation_id
    )
    found = sorted(
        visible_stays(request.user, stays, few_rows=True),
        key=lambda stay: (stay.youth.birth_date, stay.pk),
    )

    def row(stay: Stay) -> TodoRow:
        late = kinds[stay.youth_id] == ReminderKind.PERMIT_DEADLINE
        return TodoRow(
            label=str(stay.youth),
            detail=f"{stay.site.name} · 18 ans le {stay.youth.majority_date:%d/%m/%Y}",
            badge="dépôt bientôt dû" if late else "préparation ouverte",
            tone=Tone.LATE if late else Tone.URGENT,
            url=reverse("housing:road18", args=[stay.pk]),
            action="Préparer",
        )

    return todo_of(found, row)


def saturated_sites(request: HttpRequest) -> Todo | None:
    """The GME and its sites occupied at or above the saturation threshold today (a dated
    setting; the rule of the occupancy page), the fullest first. The GME is the first led
    one by name, the one the occupancy page shows."""
    led = led_consortia(request)
    if led is None:
        return None
    if not led:
        return None
    consortium = Consortium.objects.get(pk=led[0])
    today = timezone.localdate()
    settings_in_force = _settings(request)
    threshold = settings_in_force.saturation_threshold_percent
    groups = occupancy_selectors.occupancy_today(consortium, "site", today, settings_in_force)
    occupied = sum(group.occupied for group in groups)
    capacity = sum(group.capacity for group in groups)
    whole = occupancy_selectors.GroupOccupancy(
        f"Ensemble du {consortium.name}",
        occupied,
        capacity,
        rules.is_saturated(occupied, capacity, threshold),
    )
    saturated = sorted(
        (group for group in groups if group.saturated), key=lambda group: -(group.rate or 0)
    )
    url = reverse("housing:occupancy") + "?par=site"

    def row(group: occupancy_selectors.GroupOccupancy) -> TodoRow:
        full = group.occupied >= group.capacity
        return TodoRow(
            label=group.label,
            detail=(
                f"{plural(group.occupied, 'jeune')} pour {plural(group.capacity, 'place')}"
                f" (seuil d'alerte {threshold} %)"
            ),
            badge="complet" if full else _percent(group.rate or 0),
            tone=Tone.LATE if full else Tone.URGENT,
            url=url,
            action="Voir l'occupation",
        )

    return todo_of([whole, *saturated] if whole.saturated else saturated, row, more_url=url)


# --- A member's staff -----------------------------------------------------------------------


def _addressed_to(organisation_id: int) -> Q:
    """Proposals whose site the organisation runs on the entry date: its own site not lent
    then, or a site lent to it then (``Site.operator_on``, in SQL)."""
    lent_then = SiteLoan.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("entry_date")),
        site_id=OuterRef("site_id"),
        start_date__lte=OuterRef("entry_date"),
    )
    return Q(Exists(lent_then.filter(borrower_id=organisation_id))) | (
        Q(site__organisation_id=organisation_id) & ~Q(Exists(lent_then))
    )


def _member_proposals(request: HttpRequest, status: str) -> QuerySet[Proposal] | None:
    organisation_id = acting_member_id(request)
    if organisation_id is None:
        return None
    return (
        Proposal.objects.filter(
            _addressed_to(organisation_id),
            pk__in=request_selectors.proposals_to_answer(request.user).values("pk"),
            status=status,
        )
        .select_related("request", "site")
        .order_by("entry_date", "created_at", "pk")
    )


def proposals_to_answer(request: HttpRequest) -> Todo | None:
    """Places the coordination proposes to the acting member, waiting for its answer."""
    proposals = _member_proposals(request, ProposalStatus.PENDING)
    if proposals is None:
        return None
    today = timezone.localdate()

    def row(proposal: Proposal) -> TodoRow:
        proposed = timezone.localtime(proposal.created_at)
        days = (proposal.entry_date - today).days
        return TodoRow(
            label=proposal.request.reference,
            detail=(
                f"{proposal.site.name} · {_who(proposal.request)}"
                f" · proposée le {proposed:%d/%m/%Y}"
                f" · entrée prévue le {proposal.entry_date:%d/%m/%Y}"
            ),
            badge=f"entrée {days_phrase(days)}",
            tone=Tone.LATE if days < 0 else Tone.URGENT,
            url=reverse("housing:proposals"),
            action="Répondre",
        )

    return first_rows(proposals, row, reverse("housing:proposals"))


def admissions_to_record(request: HttpRequest) -> Todo | None:
    """Proposals the acting member accepted whose admission is not recorded yet."""
    proposals = _member_proposals(request, ProposalStatus.ACCEPTED)
    if proposals is None:
        return None
    today = timezone.localdate()

    def row(proposal: Proposal) -> TodoRow:
        days = (proposal.entry_date - today).days
        return TodoRow(
            label=proposal.request.reference,
            detail=(
                f"{proposal.site.name} · {_who(proposal.request)}"
                f" · arrivée prévue le {proposal.entry_date:%d/%m/%Y}"
            ),
            badge=f"arrivée {days_phrase(days)}",
            tone=Tone.LATE if days < 0 else Tone.URGENT,
            url=reverse("housing:proposal_admit", args=[proposal.pk]),
            action="Enregistrer l'admission",
        )

    return first_rows(proposals, row, reverse("housing:proposals"))


# --- The funder -----------------------------------------------------------------------------

_STATUS_TONES = {
    RequestStatus.RECEIVED: Tone.NEW,
    RequestStatus.WAITING: Tone.WAITING,
    RequestStatus.PROPOSED: Tone.INFO,
    RequestStatus.ACCEPTED: Tone.INFO,
}


def funder_requests(request: HttpRequest) -> Todo | None:
    """The acting funder's open placement requests and where each stands, the newest first."""
    membership = acting_membership(request)
    if membership is None or Standing.GME_FUNDER not in membership.standings:
        return None
    requests = (
        PlacementRequest.objects.filter(
            pk__in=request_selectors.requests_for(request.user).values("pk"),
            funder_id=membership.organisation_id,
            status__in=OPEN_REQUEST_STATUSES,
        )
        .select_related("consortium")
        .order_by("-created_at", "-pk")
    )

    def row(placement: PlacementRequest) -> TodoRow:
        filed = timezone.localtime(placement.created_at)
        return TodoRow(
            label=placement.reference,
            detail=(
                f"{placement.consortium.name} · déposée le {filed:%d/%m/%Y}"
                f" · accueil souhaité le {placement.requested_date:%d/%m/%Y}"
            ),
            badge=placement.get_status_display(),
            tone=_STATUS_TONES.get(placement.status, Tone.INFO),
            url=reverse("housing:request", args=[placement.pk]),
            action="Voir",
        )

    return first_rows(requests, row, reverse("housing:requests"))


BLOCKS = [
    TodoBlock(
        key="housing_requests",
        title="Demandes à traiter",
        capability=Capability.HOUSING_QUEUE,
        find=requests_to_handle,
        empty="Aucune demande de placement n'attend de place.",
        order=10,
    ),
    TodoBlock(
        key="housing_unanswered",
        title="Propositions sans réponse depuis 48 h",
        capability=Capability.HOUSING_COORDINATION,
        find=unanswered_proposals,
        empty="Les membres ont répondu à toutes les propositions de plus de 48 heures.",
        order=12,
    ),
    TodoBlock(
        key="housing_majorities",
        title="Majorités à venir sans décision",
        capability=Capability.HOUSING_COORDINATION,
        find=majorities_without_decision,
        empty="Aucun jeune hébergé n'atteint 18 ans prochainement sans décision.",
        order=14,
    ),
    TodoBlock(
        key="housing_permits",
        title="Titres de séjour à préparer",
        capability=Capability.HOUSING_ROAD_TO_18,
        find=permits_to_prepare,
        empty="Aucun dossier de titre de séjour n'attend de préparation.",
        order=15,
    ),
    TodoBlock(
        key="housing_saturation",
        title="Sites saturés",
        capability=Capability.HOUSING_QUEUE,
        find=saturated_sites,
        empty="Aucun site n'atteint le seuil d'alerte de saturation.",
        order=16,
    ),
    TodoBlock(
        key="housing_proposals",
        title="Propositions à accepter ou refuser",
        capability=Capability.HOUSING_MEMBER,
        find=proposals_to_answer,
        empty="Aucune place proposée n'attend votre réponse.",
        order=20,
    ),
    TodoBlock(
        key="housing_admissions",
        title="Admissions à enregistrer",
        capability=Capability.HOUSING_MEMBER,
        find=admissions_to_record,
        empty="Aucune admission acceptée n'attend d'être enregistrée.",
        order=22,
    ),
    TodoBlock(
        key="housing_my_requests",
        title="Mes demandes de placement",
        capability=Capability.HOUSING_REQUESTS,
        find=funder_requests,
        empty="Aucune demande de placement en cours.",
        order=30,
    ),
]
