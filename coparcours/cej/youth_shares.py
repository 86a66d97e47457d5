"""The youth's own shares: what of their record each organisation may see with their
agreement, and withdrawing that agreement themself, as easily as it was given (RGPD
art. 7-3), from the page their one-time link opened (docs/access.md).

A share on the legal basis of shared professional secrecy (CASF L.226-2-2, L.121-6-2) is
shown too, for transparency, but is not theirs to withdraw: they are told whom to ask.
Withdrawing is confirmed first, with its consequence; it is audited as the youth's own act.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.cej.youth_page import YOUTH_SESSION_KEY
from coparcours.core.access import Category, ShareBasis
from coparcours.core.access.routes import public
from coparcours.youths import services as youth_services
from coparcours.youths.models import Consent

#: The organisation whose access the youth just withdrew, said once on the list.
WITHDRAWN_SESSION_KEY = "cej_youth_withdrawn"


def _youth_pathway(request: HttpRequest) -> Pathway | None:
    pathway_id = request.session.get(YOUTH_SESSION_KEY)
    if pathway_id is None:
        return None
    return Pathway.objects.select_related("youth").filter(pk=pathway_id).first()


def _shares_of(pathway: Pathway) -> list[Consent]:
    return list(
        Consent.objects.active(timezone.localdate())
        .filter(youth_id=pathway.youth_id)
        .select_related("organisation", "author_organisation")
        .order_by("organisation__name", "start_date")
    )


def category_labels(consent: Consent) -> list[str]:
    """The shared categories in plain French, in the record's order."""
    return [str(label) for value, label in Category.choices if value in consent.categories]


def _expired(request: HttpRequest) -> HttpResponse:
    return render(request, "cej/youth_expired.html", status=403)


@public("The young person's own shares, in the session opened by their link.")
def shares(request: HttpRequest) -> HttpResponse:
    """Each organisation's share of the youth's record in force, in plain French."""
    pathway = _youth_pathway(request)
    if pathway is None:
        return _expired(request)
    rows = [
        (consent, category_labels(consent), consent.basis == ShareBasis.CONSENT)
        for consent in _shares_of(pathway)
    ]
    withdrawn = request.session.pop(WITHDRAWN_SESSION_KEY, None)
    return render(
        request,
        "cej/youth_shares.html",
        {"pathway": pathway, "rows": rows, "withdrawn": withdrawn},
    )


@public("The young person withdraws their own consent, in the session opened by their link.")
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    """Confirm (GET) then withdraw (POST) one of the youth's consents; another youth's, a
    legal-basis share or one already ended is not found."""
    pathway = _youth_pathway(request)
    if pathway is None:
        return _expired(request)
    consent = next(
        (
            consent
            for consent in _shares_of(pathway)
            if consent.pk == consent_id and consent.basis == ShareBasis.CONSENT
        ),
        None,
    )
    if consent is None:
        raise Http404("Ce partage n'existe pas ou n'est plus en cours.")
    if request.method == "POST":
        youth_services.withdraw_consent_for_youth(consent)
        request.session[WITHDRAWN_SESSION_KEY] = str(consent.organisation)
        return redirect("cej:youth_shares")
    return render(
        request,
        "cej/youth_share_withdraw.html",
        {"consent": consent, "labels": category_labels(consent)},
    )
