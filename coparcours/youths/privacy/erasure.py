"""Requests to erase a youth's data (RGPD art. 17): recorded by a referent, decided with a
motive by the data-protection officer."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import Duty, check_duty
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import ErasureRequest, Youth
from coparcours.youths.models.erasure import ErasureRequester, ErasureStatus
from coparcours.youths.privacy.anonymisation import anonymise_locked, delete_erased_files


def record_erasure_request(
    user: Any,
    youth: Youth,
    *,
    received_on: datetime.date,
    requester: str,
    reason: str,
) -> ErasureRequest:
    """A referent records the youth's request to erase their data (RGPD art. 17)."""
    grant = check_duty(user, youth, Duty.ERASURE_REQUEST)  # a refusal stays in the log
    errors: dict[str, str] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = "La demande ne peut pas être datée dans le futur."
    if requester not in ErasureRequester.values:
        errors["requester"] = "Indiquez qui fait la demande."
    if not reason.strip():
        errors["reason"] = "Indiquez le motif de la demande, dans les mots du jeune."
    if youth.erasure_requests.filter(status=ErasureStatus.PENDING).exists():
        errors["__all__"] = "Une demande d'effacement attend déjà une décision pour ce jeune."
    if errors:
        raise ValidationError(errors)
    request = ErasureRequest(
        youth=youth,
        received_on=received_on,
        requester=requester,
        reason=reason.strip(),
        author_organisation_id=grant.organisation_id,
        recorded_by=user,
    )
    request.full_clean()
    with transaction.atomic():
        request.save()
        record(
            user,
            AuditEvent.WRITE,
            organisation=youth.owner_organisation,
            youth_id=youth.pk,
            obj=request,
            reason="Demande d'effacement enregistrée",
        )
    return request


def decide_erasure_request(
    user: Any, request: ErasureRequest, *, approve: bool, motive: str
) -> ErasureRequest:
    """The data-protection officer (or the director) approves or refuses, with a motive.

    Approval anonymises the record at once, in the same transaction as the decision.
    """
    check_duty(user, request.youth, Duty.ERASURE_DECISION, obj=request)
    if not motive.strip():
        raise ValidationError({"motive": "Motivez la décision : elle sera communiquée au jeune."})
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        youth = (
            Youth.objects.select_for_update()
            .select_related("owner_organisation")
            .get(pk=request.youth_id)
        )
        if request.status != ErasureStatus.PENDING:
            raise ValidationError("Cette demande a déjà été tranchée.")
        request.status = ErasureStatus.APPROVED if approve else ErasureStatus.REFUSED
        request.decided_at = timezone.now()
        request.decided_by = user
        request.decision_motive = motive.strip()
        request.save()
        record(
            user,
            AuditEvent.WRITE,
            organisation=youth.owner_organisation,
            youth_id=youth.pk,
            obj=request,
            reason=f"Demande d'effacement {'acceptée' if approve else 'refusée'} : "
            f"{request.decision_motive}",
        )
        if approve and youth.anonymised_at is None:
            anonymise_locked(youth, user, f"demande d'effacement n° {request.pk} acceptée")
    if approve:
        delete_erased_files([youth.pk])
    return request


#: The motive of a request the youth made from their own space without giving one.
FROM_THE_SPACE = "Demande faite par le jeune depuis son espace, sans motif écrit."


@transaction.atomic
def request_erasure_for_youth(youth: Youth, reason: str) -> ErasureRequest:
    """The youth asks from their own space that their data be erased (RGPD art. 17): the
    request lands with the data-protection officer of the record's organisation, as one a
    referent records, and is the youth's own act in the access log. A request already
    pending is returned instead of a second one."""
    Youth.objects.select_for_update().filter(pk=youth.pk).first()  # one pending at a time
    pending = youth.erasure_requests.filter(status=ErasureStatus.PENDING).first()
    if pending is not None:
        return pending
    request = ErasureRequest.objects.create(
        youth=youth,
        received_on=timezone.localdate(),
        requester=ErasureRequester.YOUTH,
        reason=reason.strip() or FROM_THE_SPACE,
        author_organisation=youth.owner_organisation,
        recorded_by=None,
    )
    record(
        None,
        AuditEvent.WRITE,
        organisation=youth.owner_organisation,
        youth_id=youth.pk,
        obj=request,
        reason="Demande d'effacement faite par le jeune depuis son espace",
    )
    return request
