"""The youth's own space, opened without a login: the one-time link, the page, its language
(docs/youth-space.md). Their rights live in ``rights``; each programme's acts (a CEJ-JR
youth's answers and papers) in its own app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coparcours.core.access.routes import public
from coparcours.core.audit import logged_path
from coparcours.space import links
from coparcours.space.forms import YouthBirthDateForm, YouthNewPinForm, YouthPinForm
from coparcours.space.page import youth_page
from coparcours.space.session import ERROR_SESSION_KEY, expired, open_session, session_link
from coparcours.youths import language
from coparcours.youths.language import in_youth_language

#: The address written to the audit log for a youth's link: never its secret token, which
#: the readers of the log could otherwise use.
YOUTH_LINK_PATH_LOGGED = "/mon-espace/<lien à usage unique>/"

#: The form asking each second factor, and the field that carries the answer.
FACTOR_FORMS = {
    links.SecondFactor.BIRTH_DATE: (YouthBirthDateForm, "birth_date"),
    links.SecondFactor.PIN: (YouthPinForm, "pin"),
    links.SecondFactor.NEW_PIN: (YouthNewPinForm, "pin"),
}


def _wrong_answer(factor: str, tries: int) -> str:
    if factor == links.SecondFactor.BIRTH_DATE:
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


@public("The young person's own space opens with the expiring link given to them.")
@in_youth_language
def youth_open(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. Fetching it asks for the youth's second factor and uses nothing:
    a messaging app (SMS, WhatsApp, Outlook) fetches an address to preview it before the
    youth taps it. « Ouvrir mon espace » (a POST with the right date of birth or code, or
    the code chosen at the first opening) uses the link and opens the youth's session for
    two hours; a wrong answer gets a neutral message and the tries left. The audit lines
    carry a masked address."""
    factor = links.opening_factor(token)
    if factor is None:
        return render(request, "space/expired.html", status=410)
    form_class, field = FACTOR_FORMS[factor]
    form = form_class(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "space/open.html", {"form": form, "factor": factor})
    with logged_path(YOUTH_LINK_PATH_LOGGED):
        opening = links.use_youth_link(token, form.cleaned_data[field])
    if opening.link is None:
        if opening.gone or opening.tries_left == 0:
            locked = not opening.gone
            return render(request, "space/expired.html", {"locked": locked}, status=410)
        form.add_error(field, _wrong_answer(factor, opening.tries_left))
        return render(request, "space/open.html", {"form": form, "factor": factor})
    youth = opening.link.youth
    chosen_here = language.phone_language(request)
    if chosen_here and not youth.space_language:
        language.choose_for_youth(youth, chosen_here)
    open_session(request, opening.link)
    return redirect("space:home")


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
        back = reverse("space:home")
    code = request.POST.get("language")
    if not language.is_space_language(code):
        return redirect(back)
    link = session_link(request)
    if link is not None:
        language.choose_for_youth(link.youth, code)
        request.session[language.SESSION_LANGUAGE_KEY] = code
    response = redirect(back)
    language.remember_on_phone(response, code)
    return response


@public("The young person's own page, in the session opened by their link.")
@in_youth_language
def home(request: HttpRequest) -> HttpResponse:
    """The youth's own page, in plain language: whom to call, then each programme's part,
    as far as the link's creator may read them (audited by ``space.page``)."""
    link = session_link(request)
    if link is None:
        return expired(request)
    return render(
        request,
        "space/page.html",
        {"page": youth_page(link), "error": request.session.pop(ERROR_SESSION_KEY, "")},
    )
