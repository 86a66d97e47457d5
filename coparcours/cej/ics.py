"""ICS (iCalendar) feeds of the shared planning, for the partners' calendar applications."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from coparcours.cej.selectors import PlannedActivity


def calendar(rows: Iterable[PlannedActivity]) -> bytes:
    """One event per activity; a care appointment the reader may not know about is a busy
    slot only ("Activité CEJ-JR"), without the youth's situation."""
    cal = Calendar()
    cal.add("prodid", "-//Coparcours//Planning CEJ-JR//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Coparcours — planning CEJ-JR")
    stamp = timezone.now()
    for row in rows:
        activity = row.activity
        event = Event()
        event.add("uid", f"cej-activity-{activity.pk}@coparcours")
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.starts_at)
        event.add(
            "dtend", activity.starts_at + datetime.timedelta(minutes=activity.duration_minutes)
        )
        what = (
            f"{activity.get_kind_display()} — {activity.title}"
            if row.detail_visible
            else "Activité CEJ-JR"
        )
        event.add("summary", f"{activity.pathway.youth} : {what}")
        event.add("description", f"Organisation responsable : {activity.organisation}")
        event.add("url", f"{settings.SITE_URL}/cej/parcours/{activity.pathway_id}/accompagnement/")
        cal.add_component(event)
    return cal.to_ical()


def programme(partnership: Any, sessions: Iterable[Any], permanences: Iterable[Any]) -> bytes:
    """The partnership's programme: one event per collective session and per permanence,
    with its title, place and times, and never a youth's name or a booking."""
    cal = Calendar()
    cal.add("prodid", "-//Coparcours//Programme CEJ-JR//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Coparcours — programme de {partnership}")
    stamp = timezone.now()
    for session in sessions:
        organiser = session.organiser_partner or str(session.organiser)
        summary = f"{session.get_kind_display()} — {session.title}"
        text = f"Organisée par {organiser}. {session.capacity} places."
        if session.is_cancelled:
            summary, text = f"Annulée : {summary}", f"Annulée : {session.cancellation_reason}"
        event = _event(f"cej-session-{session.pk}@coparcours", stamp, session, summary, text)
        if session.is_cancelled:  # RFC 5545 3.8.1.11: calendars show it struck out
            event.add("status", "CANCELLED")
        cal.add_component(event)
    for permanence in permanences:
        cal.add_component(
            _event(
                f"cej-permanence-{permanence.pk}@coparcours",
                stamp,
                permanence,
                f"Permanence de la mission locale ({permanence.mission_locale})",
                "Créneaux à réserver dans Coparcours.",
            )
        )
    return cal.to_ical()


def _event(uid: str, stamp: datetime.datetime, item: Any, summary: str, text: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.starts_at)
    event.add("dtend", item.ends_at)
    event.add("summary", summary)
    event.add("location", item.place)
    event.add("description", text)
    return event
