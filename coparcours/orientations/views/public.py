"""The public page « Orienter un jeune » of a partnership: a partner without an account
orients a youth who agreed to be contacted. Robots and floods are refused before anything
is written (``orientations.guard``): flood, honeypot, form token, then the form itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from coparcours.core.access.routes import public
from coparcours.core.forms import apply_service_errors
from coparcours.core.middleware import client_address
from coparcours.orientations import guard, rules
from coparcours.orientations.forms import HONEYPOT, OrientationForm
from coparcours.orientations.models import OrientationPage
from coparcours.orientations.services import submit_orientation


def _private(response: HttpResponse) -> HttpResponse:
    """The page's address is its secret: never cached, never sent to another site as a
    referrer (the same site still gets it, so that the form's CSRF check reads its origin)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" would make the POST's Origin null
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refusal(request: HttpRequest, page: OrientationPage) -> tuple[str, int]:
    """Why a post is refused before its content is read (and the status), or ``("", 200)``."""
    if not guard.count_post(client_address(request)):
        return rules.FLOOD, 429
    if request.POST.get(HONEYPOT, "").strip():
        return rules.ROBOT, 400
    try:
        guard.check_form_token(request.POST.get("jeton", ""), page.token)
    except ValidationError as error:
        return error.messages[0], 400
    return "", 200


@public(
    "A partner without an account orients a youth through the partnership's secret address; "
    "flood, robots and replays are refused (orientations.guard) and nothing is written then."
)
def orient(request: HttpRequest, token: str) -> HttpResponse:
    page = OrientationPage.objects.select_related("consortium").filter(token=token).first()
    if page is None:
        raise Http404("Page d'orientation inconnue.")
    if not page.is_open:
        closed = render(request, "orientations/public_closed.html", {"page": page}, status=410)
        return _private(closed)
    status = 200
    if request.method == "POST":
        form = OrientationForm(request.POST)
        refusal, status = _refusal(request, page)
        if refusal:
            form.is_valid()  # the fields keep their errors beside the refusal
            form.add_error(None, refusal)
            if refusal not in (rules.TOO_FAST, rules.FLOOD):
                form.data = form.data.copy()
                form.data["jeton"] = guard.form_token(page.token)
        elif form.is_valid():
            try:
                orientation = submit_orientation(
                    page, request.POST["jeton"], **form.orientation_fields()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                context = {"page": page, "orientation": orientation}
                sent = render(request, "orientations/public_sent.html", context, status=201)
                return _private(sent)
    else:
        form = OrientationForm(initial={"jeton": guard.form_token(page.token)})
    context = {"page": page, "form": form}
    return _private(render(request, "orientations/public_form.html", context, status=status))
