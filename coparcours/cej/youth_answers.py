"""The youth answers an appointment from their own space, « je serai là » or « je ne peux
pas venir »: the referent and counsellor see it beside the activity and, for an absence
announced, on their home page. Only an appointment the youth's page shows may be answered
(coming, its author readable by the link's creator); the answer is the youth's own act in
their access log (docs/youth-space.md)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from coparcours.cej.models import Activity, Pathway, YouthAnswer
from coparcours.core.access import Category
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.space.reader import Reader


@transaction.atomic
def answer_appointment(
    pathway: Pathway, reader: Reader, activity_id: int, answer: str
) -> Activity | None:
    """Record the youth's answer to one of their coming appointments; ``None`` (nothing
    written) for an appointment their page does not show or an unknown answer."""
    if answer not in YouthAnswer.values:
        return None
    now = timezone.now()
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=activity_id, pathway_id=pathway.pk, starts_at__gt=now)
        .first()
    )
    if activity is None:
        return None
    if not reader.reads(Category.EDUCATION_EMPLOYMENT, activity.author_organisation_id):
        return None
    if activity.youth_answer != answer:
        activity.youth_answer = answer
        activity.youth_answered_at = now
        activity.save(update_fields=["youth_answer", "youth_answered_at", "updated_at"])
        record(
            None,
            AuditEvent.WRITE,
            organisation=activity.organisation,
            youth_id=activity.youth_id,
            obj=activity,
            reason=f"Le jeune répond au rendez-vous du "
            f"{timezone.localtime(activity.starts_at):%d/%m/%Y à %H:%M} : "
            f"{YouthAnswer(answer).label}",
        )
    return activity
