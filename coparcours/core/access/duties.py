"""Data-protection duties on a youth's record (RGPD art. 15 to 17 and 37 to 39; CNIL
référentiel 2021-028): who reads the access log, exports, records and decides an erasure
request, searches the audit log. Decided from the memberships and the youth's relations,
like every access (:mod:`.youth_data`), and audited when carried out."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from coparcours.core.access.youth_data import (
    _R,
    ROLE_RIGHTS,
    AccompaniedRecord,
    Grant,
    Q,
    Relation,
    _all,
    _organisation_label,
    active_memberships,
)
from coparcours.core.audit import record, record_refusal
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Role


class Duty(models.TextChoices):
    """Data-protection workflows (RGPD art. 15 to 17; CNIL référentiel 2021-028)."""

    ACCESS_LOG = "access_log", "Consultation du journal des accès"
    EXPORT = "export", "Export des données (droit d'accès)"
    ERASURE_REQUEST = "erasure_request", "Enregistrement d'une demande d'effacement"
    ERASURE_DECISION = "erasure_decision", "Décision sur une demande d'effacement"
    COPY_ANSWER = "copy_answer", "Réponse à une demande de copie"
    AUDIT_SEARCH = "audit_search", "Recherche dans le journal d'audit de l'organisation"


_CASEWORKERS = frozenset({Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR})
_DPO = Role.DATA_PROTECTION_OFFICER
_NOBODY: frozenset[str] = frozenset()

#: Who carries out each duty in any organisation accompanying the youth (for the audit
#: search: in their own organisation). The data-protection officer (RGPD art. 37 to 39)
#: has no casework rights, only these duties.
DUTY_ROLES: Mapping[str, frozenset[str]] = {
    Duty.ACCESS_LOG: _CASEWORKERS | {_DPO},
    Duty.EXPORT: frozenset({_DPO}),
    Duty.ERASURE_REQUEST: _NOBODY,
    Duty.ERASURE_DECISION: _NOBODY,
    Duty.COPY_ANSWER: _NOBODY,
    Duty.AUDIT_SEARCH: frozenset({Role.ADMINISTRATOR, _DPO}),
}
#: ... and only in the organisation that owns the record (decisions on the whole record).
OWNER_DUTY_ROLES: Mapping[str, frozenset[str]] = {
    Duty.ACCESS_LOG: _NOBODY,
    Duty.EXPORT: _CASEWORKERS,
    Duty.ERASURE_REQUEST: _CASEWORKERS | {_DPO},
    Duty.ERASURE_DECISION: frozenset({Role.DIRECTOR, _DPO}),
    Duty.COPY_ANSWER: frozenset({_DPO}),
    Duty.AUDIT_SEARCH: _NOBODY,
}
#: The duties that record a decision (a write in the log), the others read.
_WRITING_DUTIES = frozenset({Duty.ERASURE_REQUEST, Duty.ERASURE_DECISION, Duty.COPY_ANSWER})
#: The refusal each duty explains.
DUTY_REFUSALS: Mapping[str, str] = {
    Duty.ACCESS_LOG: "Le journal des accès est réservé aux référents, à la direction et au "
    "délégué à la protection des données d'une organisation qui accompagne ce jeune.",
    Duty.EXPORT: "L'export est réservé aux référents et à la direction de l'organisation "
    "référente, et au délégué à la protection des données d'une organisation qui accompagne "
    "ce jeune.",
    Duty.ERASURE_REQUEST: "Une demande d'effacement s'enregistre auprès de l'organisation "
    "référente du jeune (référent, direction ou délégué à la protection des données).",
    Duty.ERASURE_DECISION: "La décision sur une demande d'effacement revient à la direction "
    "ou au délégué à la protection des données de l'organisation référente.",
    Duty.COPY_ANSWER: "La réponse à une demande de copie revient au délégué à la protection "
    "des données de l'organisation référente.",
    Duty.AUDIT_SEARCH: "La recherche dans le journal d'audit est réservée aux administrateurs "
    "et au délégué à la protection des données de l'organisation.",
}

#: Rights applied to an export (right of access, RGPD art. 15): the casework roles keep
#: theirs, and the data-protection officer reads every category as its organisation holds
#: it, so that it can answer the youth; conditions 1 and 3 still apply.
EXPORT_RIGHTS: Mapping[str, Mapping[str, frozenset[str]]] = {
    role: ROLE_RIGHTS[role] if role != _DPO else _all(_R)
    for role in DUTY_ROLES[Duty.EXPORT] | OWNER_DUTY_ROLES[Duty.EXPORT]
}


def duty_organisations(user: Any, duty: str, on: datetime.date | None = None) -> list[int]:
    """The organisations in which the user holds a role that may carry out the duty."""
    roles = DUTY_ROLES[duty] | OWNER_DUTY_ROLES[duty]
    return sorted({org for org, role in active_memberships(user, on) if role in roles})


def youths_for_duty(user: Any, youths: Q, duty: str) -> Q:
    """Restrict a youth queryset to those on which the user may carry out the duty."""
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    anywhere = sorted({org for org, role in memberships if role in DUTY_ROLES[duty]})
    owning = sorted({org for org, role in memberships if role in OWNER_DUTY_ROLES[duty]})
    condition = models.Q(owner_organisation_id__in=owning)
    if anywhere:
        condition |= models.Q(pk__in=youths.accompanied_by(anywhere, day).values("pk"))
    return youths.filter(condition) if anywhere or owning else youths.none()


def _duty_organisation(user: Any, youth: AccompaniedRecord, duty: str) -> tuple[int, str] | None:
    """The (organisation, role) membership through which the user may carry out the duty."""
    day = timezone.localdate()
    relations = youth.access_facts(day).relations
    for organisation_id, role in active_memberships(user, day):
        related = relations.get(organisation_id, frozenset())
        if (role in DUTY_ROLES[duty] and related) or (
            role in OWNER_DUTY_ROLES[duty] and Relation.OWNER in related
        ):
            return organisation_id, role
    return None


def holds_duty(user: Any, youth: AccompaniedRecord, duty: str) -> bool:
    """Whether to offer the duty on a page (not audited: :func:`check_duty` decides)."""
    return _duty_organisation(user, youth, duty) is not None


def check_duty(user: Any, youth: AccompaniedRecord, duty: str, *, obj: Any = None) -> Grant:
    """Grant a data-protection duty on one youth or raise ``PermissionDenied``; audited.

    The user needs a role of :data:`DUTY_ROLES` in an organisation accompanying the youth,
    or of :data:`OWNER_DUTY_ROLES` in the one that owns the record.
    """
    label = Duty(duty).label
    found = _duty_organisation(user, youth, duty)
    if found is None:
        record_refusal(user, youth_id=youth.pk, obj=obj, reason=f"{label} : refusé")
        raise PermissionDenied(DUTY_REFUSALS[duty])
    organisation_id, role = found
    record(
        user,
        AuditEvent.WRITE if duty in _WRITING_DUTIES else AuditEvent.READ,
        organisation=_organisation_label(user, organisation_id),
        youth_id=youth.pk,
        obj=obj,
        reason=label,
    )
    return Grant(organisation_id, role)
