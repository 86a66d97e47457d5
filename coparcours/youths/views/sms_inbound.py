"""The SMS a youth sends back: « STOP » withdraws their agreement to reminders at once (the
reminders say so). The provider posts each message received to a secret address
(``SMS_INBOUND_TOKEN``), as JSON or a form with the sender's number (``from``, ``sender``
or ``msisdn``) and the text (``text``, ``content`` or ``message``); docs/youth-space.md."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from coparcours.core import phones
from coparcours.core.access.routes import public
from coparcours.youths.models import Youth
from coparcours.youths.reminder_choice import choose_reminders


def _field(data: dict, *names: str) -> str:
    return next((str(data[name]) for name in names if data.get(name)), "")


@public(
    "The SMS provider posts the youths' replies to a secret address: only « STOP » is read, "
    "and it only withdraws reminders."
)
@csrf_exempt
@require_POST
def sms_received(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the reminders of the youths whose number sent « STOP »; any other text, or an
    address without the secret, changes nothing."""
    expected = settings.SMS_INBOUND_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404
    try:
        data = (
            json.loads(request.body) if request.content_type == "application/json" else request.POST
        )
    except ValueError:
        return JsonResponse({"error": "JSON illisible"}, status=400)
    text = _field(data, "text", "content", "message").strip().upper()
    try:
        number = phones.international(_field(data, "from", "sender", "msisdn"))
    except ValidationError:
        return JsonResponse({"stopped": 0})
    if text.split()[:1] != ["STOP"]:
        return JsonResponse({"stopped": 0})
    stopped = 0
    for youth in Youth.objects.filter(reminder_channel="sms").exclude(phone=""):
        if phones.international_or_none(youth.phone) == number:
            stopped += choose_reminders(youth, "", how="en répondant STOP à un SMS")
    return JsonResponse({"stopped": stopped})
