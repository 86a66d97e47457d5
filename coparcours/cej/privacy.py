"""Retention of CEJ-JR data: ten years after the CEJ ends (décret 2015-59 as amended).

The period is the dated ``RetentionRule`` of scope "after the end of the CEJ" (youths app,
editable in the admin), per category: education and employment for the pathway, its
contacts, decisions and allowances; administrative documents for the file. It counts from
the pathway's exit (the end of the contract, or of the CEJ-JR accompaniment when no
contract was signed). The youths app's daily retention job sends ``retention_applied``
when it is done; :func:`apply_cej_retention` answers it (connected in ``apps.py``).

When a youth's record is anonymised (retention or an accepted erasure request), the youths
app sends ``youth_anonymised`` inside its transaction and :func:`erase_youth_cej_data`
erases the youth's CEJ-JR data at once. Both also pseudonymise the youth in the stored
Monday follow-ups, which hold names outside the youth-linked rows.

Erasing keeps what statistics need (stages and their dates, outcome, hours, amounts,
decisions' kinds) and removes the free text and the links to documents, in the rows and in
their past versions.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.models import (
    ActionPlan,
    Activity,
    CommitteeDecision,
    ContractExtension,
    DossierItem,
    EligibilityCheck,
    MissedAction,
    PaceaAllowanceRequest,
    Pathway,
    PlanAction,
    Review,
    StageChange,
    WeeklyFollowUp,
)
from coparcours.cej.rules import Stage
from coparcours.core.access import Category
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import RetentionRule
from coparcours.youths.models.retention import RetentionScope
from coparcours.youths.privacy.anonymisation import ERASED, pseudonym
from coparcours.youths.privacy.retention import months_before

logger = logging.getLogger(__name__)


def erase_follow_up_rows(pathway: Pathway) -> int:
    """Pseudonymise the youth in the Monday follow-ups stored as produced
    (``WeeklyFollowUp.rows``, docs/decisions.md, section 17): the name becomes the record's
    pseudonym and the activities' labels are erased; hours stay for statistics. Only the
    follow-ups of the pathway's mission locale since its first week are read. Returns the
    follow-ups changed."""
    changed = 0
    follow_ups = WeeklyFollowUp.objects.filter(
        mission_locale_id=pathway.mission_locale_id,
        week_start__gte=rules.week_start(pathway.identified_on),
    ).only("pk", "rows")
    for follow_up in follow_ups.iterator():
        rows = follow_up.rows
        touched = False
        for row in rows:
            if row.get("pathway_id") != pathway.pk:
                continue
            row["youth"] = pseudonym(pathway.youth_id)
            for activity in row.get("activities", []):
                activity["label"] = ERASED
            touched = True
        if touched:
            WeeklyFollowUp.objects.filter(pk=follow_up.pk).update(rows=rows)
            changed += 1
    return changed


def _erase_pathway(pathway: Pathway, today: datetime.date, reason: str) -> None:
    pk = pathway.pk
    pathway_text = {"spotted_where": ERASED, "spotted_by": ERASED, "allowance_reason": ""}
    Pathway.objects.filter(pk=pk).update(**pathway_text, data_erased_on=today)
    Pathway.history.filter(id=pk).update(**pathway_text)
    StageChange.objects.filter(pathway_id=pk).update(comment="")
    decisions = {"decided_by": ERASED, "comment": ""}
    CommitteeDecision.objects.filter(pathway_id=pk).update(**decisions)
    CommitteeDecision.history.filter(pathway_id=pk).update(**decisions)
    checks = {"reasons": [], "facts": {}, "justification": ""}
    EligibilityCheck.objects.filter(pathway_id=pk).update(**checks)
    EligibilityCheck.history.filter(pathway_id=pk).update(**checks)
    ContractExtension.objects.filter(pathway_id=pk).update(reason=ERASED)
    MissedAction.objects.filter(pathway_id=pk).update(description=ERASED, youth_observations="")
    PaceaAllowanceRequest.objects.filter(pathway_id=pk).update(requested_by=ERASED)
    sent = list(
        DossierItem.objects.filter(pathway_id=pk)
        .exclude(youth_file="")
        .values_list("youth_file", flat=True)
    )
    youth_sent = {"youth_file": "", "youth_file_type": "", "youth_refusal": ""}
    DossierItem.objects.filter(pathway_id=pk).update(document=None, **youth_sent)
    DossierItem.history.filter(pathway_id=pk).update(document=None, **youth_sent)
    # the files the youth sent and nobody accepted go once the erasure is saved
    transaction.on_commit(lambda: [default_storage.delete(name) for name in sent])
    ActionPlan.objects.filter(pathway_id=pk).update(diagnosis="")
    ActionPlan.history.filter(pathway_id=pk).update(diagnosis="")
    plans = ActionPlan.objects.filter(pathway_id=pk).values("pk")
    PlanAction.objects.filter(plan_id__in=plans).update(objective=ERASED, action=ERASED)
    PlanAction.history.filter(plan_id__in=plans).update(objective=ERASED, action=ERASED)
    Activity.objects.filter(pathway_id=pk).update(title=ERASED)
    Review.objects.filter(pathway_id=pk).update(next_steps="")
    Review.history.filter(pathway_id=pk).update(next_steps="")
    erase_follow_up_rows(pathway)
    record(
        None,
        AuditEvent.WRITE,
        organisation=pathway.author_organisation,
        youth_id=pathway.youth_id,
        obj=pathway,
        reason=f"Effacement des données CEJ-JR : {reason}",
    )


def apply_cej_retention(today: datetime.date | None = None) -> list[int]:
    """Erase the CEJ-JR data of pathways ended longer ago than the dated period.

    The shorter of the education-and-employment and administrative-documents periods
    decides (both default to ten years). One transaction per pathway; running twice changes
    nothing. Returns the pathways erased.
    """
    today = today or timezone.localdate()
    months = RetentionRule.objects.months_by_category(RetentionScope.CEJ_END, today)
    periods = [
        months[c] for c in (Category.EDUCATION_EMPLOYMENT, Category.ADMIN_DOCUMENTS) if c in months
    ]
    if not periods:
        return []
    cutoff = months_before(today, min(periods))
    due = Pathway.objects.filter(
        stage=Stage.EXIT, exit_on__lte=cutoff, data_erased_on__isnull=True
    ).select_related("author_organisation")
    erased = []
    for pathway in due.order_by("pk").iterator():
        with transaction.atomic():
            _erase_pathway(
                pathway,
                today,
                f"sortie le {pathway.exit_on:%d/%m/%Y}, durée de conservation échue",
            )
        erased.append(pathway.pk)
    logger.info("CEJ-JR retention: %d pathways erased", len(erased))
    return erased


def erase_youth_cej_data(youth_id: int, today: datetime.date | None = None) -> list[int]:
    """Erase the CEJ-JR data of every pathway of a youth whose record is anonymised (by
    the retention job or an accepted erasure request, RGPD art. 17), including the stored
    follow-ups, inside the caller's transaction. Returns the pathways erased."""
    today = today or timezone.localdate()
    pathways = Pathway.objects.filter(youth_id=youth_id).select_related("author_organisation")
    erased = []
    for pathway in pathways.order_by("pk"):
        _erase_pathway(pathway, today, "dossier du jeune anonymisé")
        erased.append(pathway.pk)
    return erased


def on_youth_anonymised(sender: Any, youth_id: int, **kwargs: Any) -> None:
    """Receiver of ``youths.privacy.anonymisation.youth_anonymised``."""
    erase_youth_cej_data(youth_id)


def on_retention_applied(sender: Any, today: datetime.date, **kwargs: Any) -> None:
    """Receiver of ``youths.privacy.retention.retention_applied``: the daily job's CEJ-JR
    part."""
    apply_cej_retention(today)
