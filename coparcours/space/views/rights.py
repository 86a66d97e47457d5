"""The youth's rights from their own space: who sees what of their record, with their
consent withdrawn themself as easily as it was given (RGPD art. 7-3); who opened it (art.
15-1-c); their requests for a copy (art. 15-3) and to erase it (art. 17); their agreement
to appointment reminders.

A share on the legal basis of shared professional secrecy (CASF L.226-2-2, L.121-6-2) is
shown too, for transparency, but is not theirs to withdraw: they are told whom to ask.
Withdrawing is confirmed first, with its consequence; each act is the youth's own in their
access log (docs/youth-space.md).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coparcours.core.access import ShareBasis
from coparcours.core.access.routes import public
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.space.forms import YouthErasureForm
from coparcours.space.session import expired, session_link
from coparcours.space.shares import category_labels, shares_of
from coparcours.youths import services as youth_services
from coparcours.youths.language import in_youth_language
from coparcours.youths.models import CopyRequest, ErasureRequest, Youth
from coparcours.youths.models.copies import CopyStatus
from coparcours.youths.models.erasure import ErasureStatus
from coparcours.youths.privacy.copies import request_copy_for_youth
from coparcours.youths.privacy.erasure import request_erasure_for_youth
from coparcours.youths.recipients import recipients_of
from coparcours.youths.reminder_choice import choose_reminders
from coparcours.youths.rules import answer_due

#: The organisation whose access the youth just withdrew, said once on the list.
WITHDRAWN_SESSION_KEY = "space_withdrawn"


@public("The young person's own shares, in the session opened by their link.")
@in_youth_language
def shares(request: HttpRequest) -> HttpResponse:
    """Each organisation's share of the youth's record in force, in plain French."""
    link = session_link(request)
    if link is None:
        return expired(request)
    rows = [
        (consent, category_labels(consent), consent.basis == ShareBasis.CONSENT)
        for consent in shares_of(link.youth)
    ]
    withdrawn = request.session.pop(WITHDRAWN_SESSION_KEY, None)
    return render(
        request,
        "space/shares.html",
        {"rows": rows, "withdrawn": withdrawn},
    )


@public("The young person sees who opened their record, in the session opened by their link.")
@in_youth_language
def recipients(request: HttpRequest) -> HttpResponse:
    """The organisations and roles that opened the youth's record, with when (RGPD art.
    15-1-c); the youth's reading is a line of their access log."""
    link = session_link(request)
    if link is None:
        return expired(request)
    youth = link.youth
    rows = recipients_of(youth.pk)
    record(
        None,
        AuditEvent.READ,
        organisation=youth.owner_organisation,
        youth_id=youth.pk,
        obj=youth,
        reason="Le jeune consulte qui a ouvert son dossier (RGPD art. 15)",
    )
    return render(request, "space/recipients.html", {"recipients": rows})


@public("The young person asks that their data be erased, in the session opened by their link.")
@in_youth_language
def erasure(request: HttpRequest) -> HttpResponse:
    """The youth's request to erase their data, landing with the data-protection officer
    of the record's organisation; once sent, the page says when they get an answer."""
    link = session_link(request)
    if link is None:
        return expired(request)
    youth = link.youth
    form = YouthErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        request_erasure_for_youth(youth, form.cleaned_data["reason"])
        return redirect("space:erasure")
    pending = youth.erasure_requests.filter(status=ErasureStatus.PENDING).first()
    return render(request, "space/erasure.html", {"form": form, **_waiting(youth, pending)})


@public("The young person asks for a copy of their data, in the session opened by their link.")
@in_youth_language
def copy_request(request: HttpRequest) -> HttpResponse:
    """The youth's request for a copy of their data (RGPD art. 15-3), landing with the
    data-protection officer of the record's organisation; once sent, the page says when
    they get an answer, then the answer itself."""
    link = session_link(request)
    if link is None:
        return expired(request)
    youth = link.youth
    if request.method == "POST":
        request_copy_for_youth(youth)
        return redirect("space:copy")
    requests = youth.copy_requests.order_by("-received_on", "-pk")
    pending = requests.filter(status=CopyStatus.PENDING).first()
    answered = None if pending else requests.first()
    return render(request, "space/copy.html", {"answered": answered, **_waiting(youth, pending)})


def _waiting(youth: Youth, pending: ErasureRequest | CopyRequest | None) -> dict[str, Any]:
    """What the pending request's include says (``space/includes/request_pending.html``):
    since when, and who answers by which day."""
    return {
        "pending": pending,
        "answer_by": answer_due(pending.received_on) if pending else None,
        "organisation": youth.owner_organisation,
    }


@public("The young person withdraws their own consent, in the session opened by their link.")
@in_youth_language
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    """Confirm (GET) then withdraw (POST) one of the youth's consents; another youth's, a
    legal-basis share or one already ended is not found."""
    link = session_link(request)
    if link is None:
        return expired(request)
    consent = next(
        (
            consent
            for consent in shares_of(link.youth)
            if consent.pk == consent_id and consent.basis == ShareBasis.CONSENT
        ),
        None,
    )
    if consent is None:
        raise Http404("Ce partage n'existe pas ou n'est plus en cours.")
    if request.method == "POST":
        youth_services.withdraw_consent_for_youth(consent)
        request.session[WITHDRAWN_SESSION_KEY] = str(consent.organisation)
        return redirect("space:shares")
    return render(
        request,
        "space/share_withdraw.html",
        {"consent": consent, "labels": category_labels(consent)},
    )


@public("The young person agrees to appointment reminders, in the session opened by their link.")
@require_POST
@in_youth_language
def reminders(request: HttpRequest) -> HttpResponse:
    """Agree to reminders by SMS or e-mail, or stop them, then back to the youth's page."""
    link = session_link(request)
    if link is None:
        return expired(request)
    choose_reminders(link.youth, request.POST.get("channel", ""))
    return redirect(reverse("space:home") + "#rappels")
