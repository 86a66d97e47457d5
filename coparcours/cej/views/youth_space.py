"""The youth's own space from a CEJ-JR pathway (docs/youth-space.md): the link the pathway's
side gives, sends, closes (``space.giving``), and the youth's acts on their pathway from
their space, their answers to appointments and the pieces of their file they send.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coparcours.cej import selectors
from coparcours.cej.views.common import only_its_side
from coparcours.cej.youth_answers import answer_appointment
from coparcours.cej.youth_papers import receive_from_youth
from coparcours.cej.youth_section import may_give_link, readable_pathway, require_link_giver
from coparcours.core.access import Category, SharedAct, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.space import giving
from coparcours.space.reader import reader_of
from coparcours.space.session import ERROR_SESSION_KEY, expired, session_link
from coparcours.youths.language import in_youth_language


def _giver(request: HttpRequest, pk: int) -> giving.Giver:
    """The pathway's side giving the youth's link: the pathway's side holding the act,
    writing its education-and-employment data."""
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.YOUTH_LINK)
    organisation = acting_organisation(request)
    return giving.Giver(
        youth=pathway.youth,
        may=may_give_link(request.user, organisation, pathway),
        check=lambda: require_link_giver(request.user, organisation, pathway),
        create_url=reverse("cej:youth_link", args=[pathway.pk]),
        send_url=reverse("cej:youth_link_send", args=[pathway.pk]),
        back_url=reverse("cej:accompaniment", args=[pathway.pk]),
        back_label="Accompagnement",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def youth_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-time link and its QR code for the youth's own space (expires in 7 days)."""
    return giving.give_link(request, _giver(request, pk))


@requires(
    Capability.CEJ,
    categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT, Category.CONTACT],
)
@require_POST
def youth_link_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the link just created to the youth's own number or address."""
    return giving.send_link(request, _giver(request, pk))


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def youth_access_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the youth's access, after a confirmation saying its consequence."""
    return giving.close_access(request, _giver(request, pk))


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def youth_pin_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the code a youth chose, after a confirmation saying its consequence."""
    return giving.reset_pin(request, _giver(request, pk))


@public("The young person answers a coming appointment, in the session opened by their link.")
@require_POST
@in_youth_language
def appointment_answer(request: HttpRequest, activity_id: int) -> HttpResponse:
    """« Je serai là » or « Je ne peux pas venir » to an appointment the youth's page
    shows; any other is not found."""
    link = session_link(request)
    if link is None:
        return expired(request)
    reader = reader_of(link, timezone.localdate())
    pathway = readable_pathway(link, reader)
    if (
        pathway is None
        or answer_appointment(pathway, reader, activity_id, request.POST.get("answer", "")) is None
    ):
        raise Http404("Ce rendez-vous n'est pas sur votre page.")
    return redirect(reverse("space:home") + "#rdv")


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
    back = reverse("space:home") + "#papiers"
    upload = request.FILES.get("file")
    if upload is None:
        request.session[ERROR_SESSION_KEY] = str(gettext_lazy("Choisissez d'abord un fichier."))
        return redirect(back)
    reader = reader_of(link, timezone.localdate())
    pathway = readable_pathway(link, reader)
    if pathway is None:
        raise Http404("Cette pièce n'est pas à envoyer.")
    try:
        item = receive_from_youth(pathway, reader, item_id, upload)
    except ValidationError as refused:
        errors = getattr(refused, "error_dict", {}).get("file", [])
        code = errors[0].code if errors else None
        request.session[ERROR_SESSION_KEY] = str(
            UPLOAD_REFUSALS.get(
                code, gettext_lazy("Ce fichier n'a pas pu être reçu. Essayez un autre.")
            )
        )
        return redirect(back)
    if item is None:
        raise Http404("Cette pièce n'est pas à envoyer.")
    return redirect(back)
