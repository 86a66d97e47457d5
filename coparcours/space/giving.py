"""The professional's side of the youth's link, shared by the programmes' pages (a CEJ-JR
pathway, a GME stay): create it and show it with its QR code, send it to the youth's own
number or address, close the youth's access, erase their code. Each programme says who
may act (:class:`Giver`); the pages and their confirmations are the same everywhere
(docs/youth-space.md, « Access »)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Category, Grant, may_access
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.space import links
from coparcours.space.sending import CHANNEL_NAMES, send_youth_link
from coparcours.youths.models import Youth


@dataclass(frozen=True)
class Giver:
    """How one programme's page gives the youth's link: whether the user may (a pure
    question, for the confirmation pages), the audited check returning the grant (for the
    act), the programme's addresses for each act and the page to come back to."""

    youth: Youth
    may: bool
    check: Callable[[], Grant]
    create_url: str
    send_url: str
    back_url: str
    back_label: str

    def require(self) -> None:
        if not self.may:
            raise PermissionDenied("Seuls ceux qui accompagnent le jeune gèrent son accès.")


def give_link(request: HttpRequest, giver: Giver) -> HttpResponse:
    """A new link and its QR code (POST); a link still valid is replaced only once the user
    confirmed it will stop working."""
    try:
        token = links.create_youth_link(
            request.user, giver.check(), giver.youth, replace=request.POST.get("replace") == "1"
        )
    except links.LinkStillValid as still_valid:
        return render(
            request,
            "space/youth_link.html",
            {"giver": giver, "warning": " ".join(still_valid.messages)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(giver.back_url)
    return _link_page(request, giver, token)


def send_link(request: HttpRequest, giver: Giver) -> HttpResponse:
    """Send the link just created to the youth's own number or address; the page stays on
    the link, so that a failure leaves the QR code and the address at hand."""
    token = request.POST.get("token", "")
    channel = request.POST.get("channel", "")
    try:
        where = send_youth_link(request.user, giver.check(), giver.youth, token, channel)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if not links.youth_link_opens(token):
            return redirect(giver.back_url)
    else:
        messages.success(request, f"Lien envoyé par {CHANNEL_NAMES[channel]} : {where}.")
    return _link_page(request, giver, token)


def _link_page(request: HttpRequest, giver: Giver, token: str) -> HttpResponse:
    """The link and its QR code, with the ways to send it to the youth's own number or
    address when the user may read them (a pure question: sending is the audited act)."""
    url = request.build_absolute_uri(reverse("space:open", args=[token]))
    youth = giver.youth
    reach = may_access(
        request.user, youth, Category.CONTACT, author_organisation_id=youth.owner_organisation_id
    )
    return render(
        request,
        "space/youth_link.html",
        {
            "giver": giver,
            "url": url,
            "token": token,
            "qr_svg": segno.make(url).svg_inline(scale=5),
            "by_sms": reach and bool(youth.phone),
            "by_email": reach and bool(youth.email),
        },
    )


def close_access(request: HttpRequest, giver: Giver) -> HttpResponse:
    """Close the youth's access (POST), after a confirmation saying its consequence: the
    link stops working and the space the youth may have open closes."""
    giver.require()
    if request.method == "POST":
        if links.close_youth_access(request.user, giver.check(), giver.youth):
            messages.success(request, "L'accès du jeune à son espace est fermé.")
        else:
            messages.info(request, "Le jeune n'avait plus d'accès ouvert.")
        return redirect(giver.back_url)
    access = links.youth_access(giver.youth)
    if access is None:
        state = (
            "Aucun : le dernier lien a servi il y a plus de deux heures, a expiré ou a été fermé."
        )
    elif access.used_at is None:
        state = f"Lien valable jusqu'au {timezone.localtime(access.expires_at):%d/%m/%Y à %H:%M}"
    else:
        state = f"Espace ouvert le {timezone.localtime(access.used_at):%d/%m/%Y à %H:%M}"
    return confirmation_page(
        request,
        Confirmation(
            title="Fermer l'accès du jeune à son espace",
            context=str(giver.youth),
            facts=[("Accès en cours", state)],
            consequences=[
                "Le lien envoyé au jeune ne fonctionnera plus.",
                "Si son espace est ouvert sur son téléphone, il se ferme à la page suivante.",
                "Pour qu'il y revienne, il faudra lui créer un nouveau lien.",
            ],
            confirm="Fermer l'accès",
            cancel_url=giver.back_url,
            parent=giver.back_label,
        ),
    )


def reset_pin(request: HttpRequest, giver: Giver) -> HttpResponse:
    """Erase the code a youth chose (POST), after a confirmation saying its consequence:
    they choose a new one at their next opening, with the link they are given."""
    giver.require()
    if request.method == "POST":
        if links.reset_youth_pin(request.user, giver.check(), giver.youth):
            messages.success(request, "Le code du jeune est effacé.")
        return redirect(giver.back_url)
    return confirmation_page(
        request,
        Confirmation(
            title="Effacer le code de l'espace du jeune",
            context=str(giver.youth),
            facts=[("Code", "choisi par le jeune à sa première ouverture")],
            consequences=[
                "Le jeune choisira un nouveau code à sa prochaine ouverture, avec le lien "
                "que vous lui donnerez.",
                "Si quelqu'un d'autre a le lien, il pourrait choisir le code à sa place : "
                "fermez aussi l'accès du jeune si son téléphone est perdu.",
            ],
            confirm="Effacer le code",
            cancel_url=giver.back_url,
            parent=giver.back_label,
        ),
    )
