"""Youths' voice: a short anonymous questionnaire reached from the youth's own
page (the CEJ-JR youth session), stored without identity."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.core.access.routes import public
from coparcours.reporting.forms.voice import VoiceForm
from coparcours.reporting.models import VoiceAnswer
from coparcours.space.session import expired, session_link
from coparcours.youths.language import in_youth_language

ANSWERED_KEY = "reporting_voice_month"


@public(
    "Anonymous questionnaire reached only from the young person's own session; it stores "
    "no identity."
)
@in_youth_language
def questionnaire(request: HttpRequest) -> HttpResponse:
    """Only a youth's open session reaches it; the answer keeps the partnership and the
    month, nothing else, and one answer a month is taken per session."""
    link = session_link(request)
    if link is None:
        return expired(request)
    partnership_id = (
        Pathway.objects.filter(youth_id=link.youth_id)
        .order_by("-pk")
        .values_list("partnership_id", flat=True)
        .first()
    )
    month = timezone.localdate().replace(day=1)
    if request.session.get(ANSWERED_KEY) == month.isoformat():
        return render(request, "reporting/voice.html", {"thanks": True})
    form = VoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and partnership_id:
        VoiceAnswer.objects.create(partnership_id=partnership_id, month=month, **form.cleaned_data)
        request.session[ANSWERED_KEY] = month.isoformat()
        return render(request, "reporting/voice.html", {"thanks": True})
    return render(request, "reporting/voice.html", {"form": form})
