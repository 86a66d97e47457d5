"""The "my caseload" panel of the referents' and counsellors' home pages, and the
"À traiter" blocks of the youths' records: consents about to end, what partners wrote on
the organisation's youths since the last visit, and, for whoever answers the youths'
data-protection rights, the pending erasure requests and the administrators'
exceptional reads."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Duty,
    acting_membership,
    acting_organisation_id,
    decide,
    duty_organisations,
    visible_youth_data,
    visible_youths,
    youths_for_duty,
)
from coparcours.core.audit import record_listing
from coparcours.core.formats import last_day
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.home import HomePanel
from coparcours.organisations.todo import (
    ROWS_SHOWN,
    Todo,
    TodoBlock,
    TodoRow,
    Tone,
    days_phrase,
    new_since,
    todo_of,
)
from coparcours.youths.models import (
    Consent,
    CopyRequest,
    Document,
    ErasureRequest,
    Note,
    Youth,
)
from coparcours.youths.models.copies import CopyStatus
from coparcours.youths.models.erasure import ErasureStatus
from coparcours.youths.models.records import access_facts_for
from coparcours.youths.privacy.audit import organisation_audit
from coparcours.youths.rules import answer_due

#: How far ahead the panel warns that a consent will lapse.
CONSENT_WARNING_DAYS = 30


def caseload_summary(request: HttpRequest) -> dict[str, Any]:
    """Counts of the user's youths and the most recently updated ones.

    Two queries whatever the caseload's size; only youths the policy lets the user list.
    """
    user = request.user
    organisation_id = acting_organisation_id(request)
    youths = visible_youths(user, Youth.objects.active())
    counts = youths.aggregate(
        mine_count=Count("pk", filter=Q(referent=user)),
        organisation_count=Count("pk", filter=Q(owner_organisation_id=organisation_id)),
        shared_count=Count("pk", filter=~Q(owner_organisation_id=organisation_id)),
    )
    recent = youths.filter(referent=user).select_related("owner_organisation")
    return {**counts, "recent": list(recent.order_by("-updated_at", "-pk")[:5])}


def lapsing_consents(request: HttpRequest) -> Todo:
    """Consents given to the organisation's youths' partners that end within
    :data:`CONSENT_WARNING_DAYS`: without a new one, the partner stops seeing what they
    shared (docs/access.md, "Consents")."""
    organisation_id = acting_organisation_id(request)
    today = timezone.localdate()
    youths = visible_youths(request.user, Youth.objects.active())
    consents = (
        Consent.objects.active(today)
        .filter(
            youth__in=youths.filter(owner_organisation_id=organisation_id),
            end_date__isnull=False,
            end_date__lte=today + datetime.timedelta(days=CONSENT_WARNING_DAYS),
        )
        .select_related("youth", "organisation")
        .order_by("end_date", "pk")
    )

    def row(consent: Consent) -> TodoRow:
        return TodoRow(
            label=str(consent.youth),
            detail=f"Partage avec {consent.organisation} "
            f"jusqu'au {last_day(consent.end_date):%d/%m/%Y} inclus",
            badge=f"fin {days_phrase((consent.end_date - today).days)}",
            tone=Tone.URGENT,
            url=reverse("youths:detail", args=[consent.youth_id]) + "#consents-title",
            action="Renouveler",
        )

    return todo_of(consents, row)


CONSENTS_BLOCK = TodoBlock(
    key="consents",
    title="Consentements qui prennent fin",
    capability=Capability.CASELOAD,
    find=lapsing_consents,
    empty=f"Aucun consentement ne prend fin dans les {CONSENT_WARNING_DAYS} jours.",
    order=40,
)

#: How long a youth's withdrawal stays on the home page of the organisations concerned.
WITHDRAWAL_NOTICE_DAYS = 14


def withdrawals_by_youths(request: HttpRequest) -> Todo:
    """The consents youths withdrew from their own space in the last
    :data:`WITHDRAWAL_NOTICE_DAYS` days that concern the acting organisation: it lost what
    they shared, or it recorded the consent, or it holds the record (RGPD art. 7-3). The
    youth is named only to whom the policy still lets list them."""
    organisation_id = acting_organisation_id(request)
    since = timezone.now() - datetime.timedelta(days=WITHDRAWAL_NOTICE_DAYS)
    consents = list(
        Consent.objects.filter(withdrawn_by_youth=True, withdrawn_at__gte=since)
        .filter(
            Q(organisation_id=organisation_id)
            | Q(author_organisation_id=organisation_id)
            | Q(youth__owner_organisation_id=organisation_id)
        )
        .select_related("youth", "organisation")
        .order_by("-withdrawn_at", "-pk")
    )
    listed = set(
        visible_youths(
            request.user, Youth.objects.filter(pk__in={c.youth_id for c in consents})
        ).values_list("pk", flat=True)
    )

    def row(consent: Consent) -> TodoRow:
        named = consent.youth_id in listed
        whom = (
            "votre organisation"
            if consent.organisation_id == organisation_id
            else consent.organisation
        )
        return TodoRow(
            label=str(consent.youth) if named else "Un jeune que vous accompagniez",
            detail=f"a retiré son accord depuis son espace : {whom} n'a plus accès à « "
            f"{', '.join(consent.category_labels)} »",
            badge=f"le {timezone.localtime(consent.withdrawn_at):%d/%m/%Y}",
            tone=Tone.NEW,
            url=reverse("youths:detail", args=[consent.youth_id]) + "#consents-title"
            if named
            else "",
            action="Voir le dossier",
        )

    return todo_of(consents, row)


WITHDRAWALS_BLOCK = TodoBlock(
    key="consents_withdrawn",
    title="Accords retirés par les jeunes",
    capability=Capability.CASELOAD,
    find=withdrawals_by_youths,
    empty=f"Aucun jeune n'a retiré son accord ces {WITHDRAWAL_NOTICE_DAYS} derniers jours.",
    order=39,
)

PANEL = HomePanel(
    capability=Capability.CASELOAD,
    template="youths/home_panel.html",
    context=caseload_summary,
    order=10,
)


# --- What partners wrote since the last visit ------------------------------------------------

#: The newest notes (and as many documents) by partners examined for the block: beyond,
#: the block counts these only (its link, the record, shows everything).
PARTNER_CANDIDATES = 100


def _partner_candidates(request: HttpRequest, model: Any, organisation_id: int) -> list[Any]:
    """The newest notes or documents written since the last visit by other organisations on
    the acting organisation's youths (``visible_youth_data``), narrowed to those a share could
    open to it: identity and housing (opened by the policy itself), or a consent in force
    recorded by their author for the acting organisation. Whether each one is readable is
    still the policy's decision (:func:`partner_news`). One query."""
    today = timezone.localdate()
    opened = Consent.objects.active(today).filter(
        youth=OuterRef("youth_id"),
        organisation_id=organisation_id,
        author_organisation_id=OuterRef("author_organisation_id"),
    )
    rows = visible_youth_data(
        request.user,
        model.objects.filter(created_at__gte=new_since(request.user)).exclude(
            author_organisation_id=organisation_id
        ),
    )
    return list(
        rows.filter(youth__in=Youth.objects.accompanied_ids([organisation_id], today))
        .filter(Q(category__in=[Category.IDENTITY, Category.HOUSING]) | Exists(opened))
        .select_related("youth", "author_organisation")
        .order_by("-created_at", "-pk")[:PARTNER_CANDIDATES]
    )


def partner_news(request: HttpRequest) -> Todo | None:
    """Notes and documents that other organisations wrote on the youths the acting
    organisation accompanies, since the user's previous sign-in, that the acting membership
    may read: each decided by the policy for its category and author (a partner's note in a
    category it has not shared never shows). Four queries, whatever the volume."""
    membership = acting_membership(request)
    if membership is None:
        return None
    organisation_id = membership.organisation_id
    pieces = _partner_candidates(request, Note, organisation_id)
    pieces += _partner_candidates(request, Document, organisation_id)
    today = timezone.localdate()
    facts = access_facts_for(
        {piece.youth_id: piece.youth.owner_organisation_id for piece in pieces}, today
    )
    readable = [
        piece
        for piece in pieces
        if decide(
            [(organisation_id, membership.role)],
            facts[piece.youth_id],
            piece.category,
            Action.READ,
            author_organisation_id=piece.author_organisation_id,
        )
        is not None
    ]
    readable.sort(key=lambda piece: (piece.created_at, piece.pk), reverse=True)

    def row(piece: Note | Document) -> TodoRow:
        kind = "Note" if isinstance(piece, Note) else "Document"
        written = timezone.localtime(piece.created_at)
        return TodoRow(
            label=str(piece.youth),
            detail=f"{kind} « {piece.get_category_display()} » de {piece.author_organisation}, "
            f"le {written:%d/%m/%Y}",
            badge="nouveau",
            tone=Tone.NEW,
            url=reverse("youths:detail", args=[piece.youth_id]) + f"#cat-{piece.category}",
            action="Lire",
        )

    return todo_of(readable, row)


PARTNER_NEWS_BLOCK = TodoBlock(
    key="partner_news",
    title="Nouveau chez les partenaires",
    capability=Capability.CASELOAD,
    find=partner_news,
    empty="Aucune note ni aucun document partagé par un partenaire depuis votre dernière visite.",
    order=45,
)


# --- Data-protection rights --------------------------------------------------------------------


def _asked(days: int) -> str:
    if days <= 0:
        return "reçue aujourd'hui"
    return "reçue hier" if days == 1 else f"reçue il y a {days} jours"


def _awaiting(received_on: datetime.date, today: datetime.date) -> tuple[datetime.date, str, str]:
    """A request about one's data waiting for its answer: the day it is due (RGPD art.
    12.3), how long ago it came, and its tone (late once due, urgent in the last week)."""
    due = answer_due(received_on)
    days_left = (due - today).days
    tone = Tone.LATE if days_left < 0 else Tone.URGENT if days_left <= 7 else Tone.WAITING
    return due, _asked((today - received_on).days), tone


def pending_erasures(request: HttpRequest) -> Todo | None:
    """The pending erasure requests on the records the acting organisation owns, oldest
    first, late past the month the law gives to answer (RGPD art. 12.3): "Instruire" where
    the user decides them, else "Suivre" on the record's data-protection page. Three
    queries, and one audit line when youths are named."""
    organisation_id = acting_organisation_id(request)
    user = request.user
    if organisation_id not in duty_organisations(user, Duty.ERASURE_REQUEST):
        return None
    youths = youths_for_duty(user, Youth.objects.all(), Duty.ERASURE_REQUEST)
    requests = (
        ErasureRequest.objects.filter(
            youth__in=youths.filter(owner_organisation_id=organisation_id),
            status=ErasureStatus.PENDING,
        )
        .select_related("youth")
        .order_by("received_on", "pk")
    )
    count = requests.count()
    first = list(requests[:ROWS_SHOWN]) if count else []
    more_url = reverse("youths:erasure_list")
    if not first:
        return Todo(count, [], more_url)
    decided_here = set(
        youths_for_duty(
            user,
            Youth.objects.filter(pk__in=[erasure.youth_id for erasure in first]),
            Duty.ERASURE_DECISION,
        ).values_list("pk", flat=True)
    )
    record_listing(user, category=Category.IDENTITY)  # the youths named, as on their list
    today = timezone.localdate()

    def row(erasure: ErasureRequest) -> TodoRow:
        due, asked, tone = _awaiting(erasure.received_on, today)
        decides = erasure.youth_id in decided_here
        return TodoRow(
            label=f"Dossier n° {erasure.youth_id} — {erasure.youth}",
            detail=f"Demande d'effacement du {erasure.received_on:%d/%m/%Y} "
            f"({erasure.get_requester_display().lower()}), réponse due le {due:%d/%m/%Y}",
            badge=asked,
            tone=tone,
            url=reverse("youths:erasure_decide", args=[erasure.youth_id, erasure.pk])
            if decides
            else reverse("youths:privacy", args=[erasure.youth_id]),
            action="Instruire" if decides else "Suivre",
        )

    return Todo(count, [row(erasure) for erasure in first], more_url)


ERASURE_BLOCK = TodoBlock(
    key="erasure_requests",
    title="Demandes d'effacement",
    capability=Capability.ERASURE_REQUESTS,
    find=pending_erasures,
    empty="Aucune demande d'effacement n'attend de réponse.",
    order=80,
)


def pending_copies(request: HttpRequest) -> Todo | None:
    """The youths' requests for a copy of their data on the records the acting organisation
    owns, oldest first, late past the month the law gives (RGPD art. 12.3), for the
    data-protection officer who answers them. Two queries, and one audit line when youths
    are named."""
    organisation_id = acting_organisation_id(request)
    user = request.user
    if organisation_id not in duty_organisations(user, Duty.COPY_ANSWER):
        return None
    requests = (  # a request is the record's owner's (it never changes): no join
        CopyRequest.objects.filter(
            author_organisation_id=organisation_id, status=CopyStatus.PENDING
        )
        .select_related("youth")
        .order_by("received_on", "pk")
    )
    today = timezone.localdate()

    def row(copy: CopyRequest) -> TodoRow:
        due, asked, tone = _awaiting(copy.received_on, today)
        return TodoRow(
            label=f"Dossier n° {copy.youth_id} — {copy.youth}",
            detail=f"Demande de copie faite par le jeune le {copy.received_on:%d/%m/%Y}, "
            f"réponse due le {due:%d/%m/%Y}",
            badge=asked,
            tone=tone,
            url=reverse("youths:copy_answer", args=[copy.youth_id, copy.pk]),
            action="Répondre",
        )

    todo = todo_of(requests, row, more_url=reverse("youths:erasure_list"))
    if todo.rows:
        record_listing(user, category=Category.IDENTITY)  # the youths named
    return todo


COPY_BLOCK = TodoBlock(
    key="copy_requests",
    title="Demandes de copie des jeunes",
    capability=Capability.DATA_PROTECTION,
    find=pending_copies,
    empty="Aucune demande de copie n'attend de réponse.",
    order=79,
)

#: How far back the administrators' exceptional reads are shown for review.
BREAK_GLASS_DAYS = 30


def exceptional_reads(request: HttpRequest) -> Todo | None:
    """The administrators' exceptional reads (``break_glass_read``) in the acting
    organisation's audit log over the last :data:`BREAK_GLASS_DAYS` days, newest first,
    with their written reason; those since the user's previous sign-in are new. The log
    keeps no review, so the window is the reminder. The user's own reads are left out: a
    read is reviewed by someone else. Two queries."""
    organisation_id = acting_organisation_id(request)
    if organisation_id is None:
        return None
    user = request.user
    now = timezone.now()
    start = now - datetime.timedelta(days=BREAK_GLASS_DAYS)
    lines = (
        organisation_audit(organisation_id, event=AuditEvent.BREAK_GLASS)
        .filter(at__gte=start)
        .exclude(user_id=user.pk)
    )
    since = new_since(user)
    journal = reverse("youths:audit_search")

    def row(line: AuditLog) -> TodoRow:
        at = timezone.localtime(line.at)
        days = (now - line.at).days
        ago = "aujourd'hui" if days == 0 else f"il y a {days} jour{'s' if days > 1 else ''}"
        category = Category(line.category).label if line.category in Category.values else "—"
        reason = line.reason if len(line.reason) <= 120 else f"{line.reason[:119]}…"
        query = urlencode(
            {
                "event": AuditEvent.BREAK_GLASS,
                "youth": line.youth_id or "",
                "start": f"{at:%Y-%m-%d}",
            }
        )
        return TodoRow(
            label=f"Dossier n° {line.youth_id} — {category}",
            detail=f"{line.user_email or 'Compte supprimé'}, "
            f"le {at:%d/%m/%Y à %H:%M} : « {reason} »",
            badge="nouveau" if line.at >= since else ago,
            tone=Tone.NEW if line.at >= since else Tone.INFO,
            url=f"{journal}?{query}",
            action="Voir le journal",
        )

    more = urlencode(
        {"event": AuditEvent.BREAK_GLASS, "start": f"{timezone.localtime(start):%Y-%m-%d}"}
    )
    return todo_of(lines, row, more_url=f"{journal}?{more}")


BREAK_GLASS_BLOCK = TodoBlock(
    key="break_glass",
    title="Accès exceptionnels à revoir",
    capability=Capability.AUDIT_SEARCH,
    find=exceptional_reads,
    empty=f"Aucun accès exceptionnel à un dossier ces {BREAK_GLASS_DAYS} derniers jours.",
    order=81,
)
