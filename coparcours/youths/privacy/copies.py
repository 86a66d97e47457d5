"""Requests for a copy of a youth's data (RGPD art. 15-3): made by the youth from their own
space, answered within a month (art. 12.3) by the data-protection officer of the record's
organisation, who prepares the export (``youths.privacy.export``) and hands it over, or
refuses with words the youth reads (docs/youth-space.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import Duty, check_duty
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import CopyRequest, Youth
from coparcours.youths.models.copies import CopyStatus


@transaction.atomic
def request_copy_for_youth(youth: Youth) -> CopyRequest:
    """The youth asks from their own space for a copy of their data: the request lands
    with the data-protection officer of the record's organisation and is the youth's own
    act in the access log. A request still pending is returned instead of a second one."""
    Youth.objects.select_for_update().filter(pk=youth.pk).first()  # one pending at a time
    pending = youth.copy_requests.filter(status=CopyStatus.PENDING).first()
    if pending is not None:
        return pending
    request = CopyRequest.objects.create(
        youth=youth,
        received_on=timezone.localdate(),
        author_organisation=youth.owner_organisation,
    )
    record(
        None,
        AuditEvent.WRITE,
        organisation=youth.owner_organisation,
        youth_id=youth.pk,
        obj=request,
        reason="Demande de copie de ses données faite par le jeune depuis son espace "
        "(RGPD art. 15)",
    )
    return request


def answer_copy_request(
    user: Any, request: CopyRequest, *, handed_over: bool, answer: str
) -> CopyRequest:
    """The data-protection officer says the copy was handed over (how, when) or why it is
    refused; the youth reads these words in their space."""
    check_duty(user, request.youth, Duty.COPY_ANSWER, obj=request)
    if not answer.strip():
        raise ValidationError({"answer": "Écrivez la réponse : le jeune la lira dans son espace."})
    with transaction.atomic():
        request = CopyRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != CopyStatus.PENDING:
            raise ValidationError("Cette demande a déjà reçu sa réponse.")
        request.status = CopyStatus.HANDED_OVER if handed_over else CopyStatus.REFUSED
        request.answered_at = timezone.now()
        request.answered_by = user
        request.answer = answer.strip()
        request.save()
        record(
            user,
            AuditEvent.WRITE,
            organisation=request.author_organisation,
            youth_id=request.youth_id,
            obj=request,
            reason=f"Demande de copie : {request.get_status_display().lower()}",
        )
    return request
