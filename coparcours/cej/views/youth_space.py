"""The youth's own space, opened without a login: the one-time link (and its QR code) a
partner creates and sends, the youth's own page, its language, and the youth's answers to
their appointments (docs/youth-space.md). Their rights live in ``youth_rights``.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from coparcours.cej import selectors
from coparcours.cej import youth_page as youth_pages
from coparcours.cej.forms import YouthBirthDateForm, YouthNewPinForm, YouthPinForm
from coparcours.cej.models import Pathway, YouthLink
from coparcours.cej.views.common import only_its_side
from coparcours.cej.youth_answers import answer_appointment
from coparcours.cej.youth_link_sending import CHANNEL_NAMES, send_youth_link
from coparcours.cej.youth_papers import papers_of, receive_from_youth
from coparcours.core.access import (
    Category,
    SharedAct,
    acting_organisation,
    may_access,
    writable_categories,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.core.audit import logged_path
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.youths import language
from coparcours.youths.language import in_youth_language

#: The address written to the audit log for a youth's link: never its secret token, which
#: the readers of the log could otherwise use.
YOUTH_LINK_PATH_LOGGED = "/cej/mon-parcours/<lien à usage unique>/"

YOUTH_SESSION_KEY = youth_pages.YOUTH_SESSION_KEY
YOUTH_LINK_SESSION_KEY = youth_pages.YOUTH_LINK_SESSION_KEY
#: Why the youth's last file was refused, said once on their page.
PAPER_ERROR_SESSION_KEY = "cej_youth_paper_error"


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def youth_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-time link and its QR code for the youth's own page (expires in 7 days); a link
    still valid is replaced only once the user confirmed it will stop working."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.YOUTH_LINK)
    try:
        token = youth_pages.create_youth_link(
            request.user,
            acting_organisation(request),
            pathway,
            replace=request.POST.get("replace") == "1",
        )
    except youth_pages.LinkStillValid as still_valid:
        return render(
            request,
            "cej/youth_link.html",
            {"pathway": pathway, "warning": " ".join(still_valid.messages)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cej:accompaniment", pk=pathway.pk)
    return _link_page(request, pathway, token)


@requires(
    Capability.CEJ,
    categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT, Category.CONTACT],
)
@require_POST
def youth_link_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the link just created to the youth's own number or address; the page stays on
    the link, so that a failure leaves the QR code and the address at hand."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.YOUTH_LINK)
    token = request.POST.get("token", "")
    channel = request.POST.get("channel", "")
    try:
        where = send_youth_link(request.user, acting_organisation(request), pathway, token, channel)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if not youth_pages.youth_link_opens(token):
            return redirect("cej:accompaniment", pk=pathway.pk)
    else:
        messages.success(request, f"Lien envoyé par {CHANNEL_NAMES[channel]} : {where}.")
    return _link_page(request, pathway, token)


def _link_page(request: HttpRequest, pathway: Pathway, token: str) -> HttpResponse:
    """The link and its QR code, with the ways to send it to the youth's own number or
    address when the user may read them (a pure question: sending is the audited act)."""
    url = request.build_absolute_uri(reverse("cej:youth_open", args=[token]))
    youth = pathway.youth
    reach = may_access(
        request.user, youth, Category.CONTACT, author_organisation_id=youth.owner_organisation_id
    )
    return render(
        request,
        "cej/youth_link.html",
        {
            "pathway": pathway,
            "url": url,
            "token": token,
            "qr_svg": segno.make(url).svg_inline(scale=5),
            "by_sms": reach and bool(youth.phone),
            "by_email": reach and bool(youth.email),
        },
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def youth_access_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the youth's access, after a confirmation saying its consequence: the link
    stops working and the space the youth may have open closes."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.YOUTH_LINK)
    if Category.EDUCATION_EMPLOYMENT not in writable_categories(request.user, pathway.youth):
        raise PermissionDenied("Seuls ceux qui écrivent dans le parcours ferment cet accès.")
    if request.method == "POST":
        closed = youth_pages.close_youth_access(request.user, acting_organisation(request), pathway)
        if closed:
            messages.success(request, "L'accès du jeune à son espace est fermé.")
        else:
            messages.info(request, "Le jeune n'avait plus d'accès ouvert.")
        return redirect("cej:accompaniment", pk=pathway.pk)
    access = youth_pages.youth_access(pathway)
    if access is None:
        state = (
            "Aucun : le dernier lien a servi il y a plus de deux heures, a expiré ou a été fermé."
        )
    elif access.used_at is None:
        state = f"Lien valable jusqu'au {timezone.localtime(access.expires_at):%d/%m/%Y à %H:%M}"
    else:
        state = f"Espace ouvert le {timezone.localtime(access.used_at):%d/%m/%Y à %H:%M}"
    back = reverse("cej:accompaniment", args=[pathway.pk])
    return confirmation_page(
        request,
        Confirmation(
            title="Fermer l'accès du jeune à son espace",
            context=str(pathway.youth),
            facts=[("Accès en cours", state)],
            consequences=[
                "Le lien envoyé au jeune ne fonctionnera plus.",
                "Si son espace est ouvert sur son téléphone, il se ferme à la page suivante.",
                "Pour qu'il y revienne, il faudra lui créer un nouveau lien.",
            ],
            confirm="Fermer l'accès",
            cancel_url=back,
            parent="Accompagnement",
        ),
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def youth_pin_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the code a youth chose, after a confirmation saying its consequence: they
    choose a new one at their next opening, with the link they are given."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.YOUTH_LINK)
    if Category.EDUCATION_EMPLOYMENT not in writable_categories(request.user, pathway.youth):
        raise PermissionDenied("Seuls ceux qui écrivent dans le parcours effacent ce code.")
    if request.method == "POST":
        if youth_pages.reset_youth_pin(request.user, acting_organisation(request), pathway):
            messages.success(request, "Le code du jeune est effacé.")
        return redirect("cej:accompaniment", pk=pathway.pk)
    return confirmation_page(
        request,
        Confirmation(
            title="Effacer le code de l'espace du jeune",
            context=str(pathway.youth),
            facts=[("Code", "choisi par le jeune à sa première ouverture")],
            consequences=[
                "Le jeune choisira un nouveau code à sa prochaine ouverture, avec le lien "
                "que vous lui donnerez.",
                "Si quelqu'un d'autre a le lien, il pourrait choisir le code à sa place : "
                "fermez aussi l'accès du jeune si son téléphone est perdu.",
            ],
            confirm="Effacer le code",
            cancel_url=reverse("cej:accompaniment", args=[pathway.pk]),
            parent="Accompagnement",
        ),
    )


#: The form asking each second factor, and the field that carries the answer.
FACTOR_FORMS = {
    youth_pages.SecondFactor.BIRTH_DATE: (YouthBirthDateForm, "birth_date"),
    youth_pages.SecondFactor.PIN: (YouthPinForm, "pin"),
    youth_pages.SecondFactor.NEW_PIN: (YouthNewPinForm, "pin"),
}


def _wrong_answer(factor: str, tries: int) -> str:
    if factor == youth_pages.SecondFactor.BIRTH_DATE:
        text = ngettext(
            "Cette date ne permet pas d'ouvrir votre espace. Vérifiez-la : il vous reste "
            "%(tries)d essai.",
            "Cette date ne permet pas d'ouvrir votre espace. Vérifiez-la : il vous reste "
            "%(tries)d essais.",
            tries,
        )
    else:
        text = ngettext(
            "Ce code ne permet pas d'ouvrir votre espace. Vérifiez-le : il vous reste "
            "%(tries)d essai.",
            "Ce code ne permet pas d'ouvrir votre espace. Vérifiez-le : il vous reste "
            "%(tries)d essais.",
            tries,
        )
    return text % {"tries": tries}


@public("The young person's own page opens with the expiring link given to them.")
@in_youth_language
def youth_open(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. Fetching it asks for the youth's second factor and uses nothing:
    a messaging app (SMS, WhatsApp, Outlook) fetches an address to preview it before the
    youth taps it. « Ouvrir mon espace » (a POST with the right date of birth or code, or
    the code chosen at the first opening) uses the link and opens the youth's session for
    two hours; a wrong answer gets a neutral message and the tries left. The audit lines
    carry a masked address."""
    factor = youth_pages.opening_factor(token)
    if factor is None:
        return render(request, "cej/youth_expired.html", status=410)
    form_class, field = FACTOR_FORMS[factor]
    form = form_class(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "cej/youth_open.html", {"form": form, "factor": factor})
    with logged_path(YOUTH_LINK_PATH_LOGGED):
        opening = youth_pages.use_youth_link(token, form.cleaned_data[field])
    if opening.link is None:
        if opening.gone or opening.tries_left == 0:
            locked = not opening.gone
            return render(request, "cej/youth_expired.html", {"locked": locked}, status=410)
        form.add_error(field, _wrong_answer(factor, opening.tries_left))
        return render(request, "cej/youth_open.html", {"form": form, "factor": factor})
    youth = opening.link.pathway.youth
    chosen_here = language.phone_language(request)
    if chosen_here and not youth.space_language:
        language.choose_for_youth(youth, chosen_here)
    request.session.cycle_key()
    request.session[YOUTH_SESSION_KEY] = opening.link.pathway_id
    request.session[YOUTH_LINK_SESSION_KEY] = opening.link.pk
    if youth.space_language:
        request.session[language.SESSION_LANGUAGE_KEY] = youth.space_language
    request.session.set_expiry(youth_pages.YOUTH_SESSION_SECONDS)
    return redirect("cej:youth_page")


@public(
    "The young person chooses the language of their space: remembered on their phone and, "
    "once their space is open, on their record."
)
@require_POST
def youth_language(request: HttpRequest) -> HttpResponse:
    """Switch the youth's space to another language and come back to the same page."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("cej:youth_page")
    code = request.POST.get("language")
    if not language.is_space_language(code):
        return redirect(back)
    pathway = youth_pathway(request)
    if pathway is not None:
        language.choose_for_youth(pathway.youth, code)
        request.session[language.SESSION_LANGUAGE_KEY] = code
    response = redirect(back)
    language.remember_on_phone(response, code)
    return response


@public("The young person's own page, in the session opened by their link.")
@in_youth_language
def youth_page(request: HttpRequest) -> HttpResponse:
    """The youth's own page, in plain French: next appointments, plan, hours this week, as
    far as the link's creator may read them (audited by ``youth_page``)."""
    link = session_link(request)
    if link is None:
        return expired(request)
    return render(
        request,
        "cej/youth_page.html",
        {
            "page": youth_pages.youth_page(link),
            "papers": papers_of(link),
            "paper_error": request.session.pop(PAPER_ERROR_SESSION_KEY, ""),
        },
    )


@public("The young person answers a coming appointment, in the session opened by their link.")
@require_POST
@in_youth_language
def appointment_answer(request: HttpRequest, activity_id: int) -> HttpResponse:
    """« Je serai là » or « Je ne peux pas venir » to an appointment the youth's page
    shows; any other is not found."""
    link = session_link(request)
    if link is None:
        return expired(request)
    if answer_appointment(link, activity_id, request.POST.get("answer", "")) is None:
        raise Http404("Ce rendez-vous n'est pas sur votre page.")
    return redirect(reverse("cej:youth_page") + "#rdv")


#: What the youth reads when their file is refused, by the upload check's code.
UPLOAD_REFUSALS = {
    "too_big": gettext_lazy(
        "Ce fichier est trop lourd : 10 Mo au plus. Essayez une photo moins grande."
    ),
    "file_type": gettext_lazy("Envoyez une photo (JPEG, PNG) ou un PDF."),
}


@public("The young person sends a piece of their file, in the session opened by their link.")
@require_POST
@in_youth_language
def paper_send(request: HttpRequest, item_id: int) -> HttpResponse:
    """A photo or PDF of a missing piece of their file, kept for the referent to accept;
    a bad file is refused in the youth's language, nothing stored."""
    link = session_link(request)
    if link is None:
        return expired(request)
    upload = request.FILES.get("file")
    if upload is None:
        request.session[PAPER_ERROR_SESSION_KEY] = str(
            gettext_lazy("Choisissez d'abord un fichier.")
        )
        return redirect(reverse("cej:youth_page") + "#papiers")
    try:
        item = receive_from_youth(link, item_id, upload)
    except ValidationError as refused:
        errors = getattr(refused, "error_dict", {}).get("file", [])
        code = errors[0].code if errors else None
        request.session[PAPER_ERROR_SESSION_KEY] = str(
            UPLOAD_REFUSALS.get(
                code, gettext_lazy("Ce fichier n'a pas pu être reçu. Essayez un autre.")
            )
        )
        return redirect(reverse("cej:youth_page") + "#papiers")
    if item is None:
        raise Http404("Cette pièce n'est pas à envoyer.")
    return redirect(reverse("cej:youth_page") + "#papiers")


def session_link(request: HttpRequest) -> YouthLink | None:
    """The link that opened the youth's session; ``None`` once the session expired or its
    access was closed by a referent (the session is then ended)."""
    pathway_id = request.session.get(YOUTH_SESSION_KEY)
    if pathway_id is None:
        return None
    link = youth_pages.link_of_session(pathway_id, request.session.get(YOUTH_LINK_SESSION_KEY))
    if link is None:
        request.session.flush()
    return link


def youth_pathway(request: HttpRequest) -> Pathway | None:
    """The pathway of the youth's session, or None once the session has expired or its
    access was closed."""
    link = session_link(request)
    return link.pathway if link is not None else None


def expired(request: HttpRequest) -> HttpResponse:
    """The page saying the youth's link or session has expired."""
    return render(request, "cej/youth_expired.html", status=403)
