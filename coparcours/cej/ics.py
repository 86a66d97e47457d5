"""ICS (iCalendar) feeds of the shared planning, for the partners' calendar applications."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

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
