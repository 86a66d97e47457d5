"""The administrative file: its checklist, collected pieces, transmission with consent."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coparcours.cej import rules
from coparcours.cej.models import DossierItem, DossierItemKind, Pathway
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.rules import Stage
from coparcours.cej.services.common import local_today, normalised_key, require_not_future
from coparcours.core.access import (
    Action,
    Category,
    SharedAct,
    check,
    decide,
    member_organisation,
    require_act,
)
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation, Role


@transaction.atomic
def prepare_dossier(user: Any, organisation: Organisation, pathway: Pathway) -> list[DossierItem]:
    """The checklist of the administrative file, from the remobilisation phase on.

    Pieces marked "seulement pour les majeurs non européens" (the residence permit) are
    asked only of adults from outside the EU (:func:`rules.needs_residence_permit`).
    """
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.ADMINISTRATIVE_FILE)
    check(
        user,
        pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if pathway.stage not in {Stage.REMOBILISATION, Stage.CONTRACT}:
        raise ValidationError("Le dossier administratif se prépare dès la remobilisation.")
    existing = set(pathway.dossier_items.values_list("kind_id", flat=True))
    kinds = DossierItemKind.objects.filter(active=True).exclude(pk__in=existing)
    if not rules.needs_residence_permit(
        pathway.youth.age(local_today()), normalised_key(pathway.youth.nationality)
    ):
        kinds = kinds.exclude(only_non_eu_adults=True)
    for kind in kinds:
        DossierItem.objects.create(
            youth_id=pathway.youth_id,
            author_organisation=organisation,
            pathway=pathway,
            kind=kind,
        )
    return list(pathway.dossier_items.select_related("kind"))


@transaction.atomic
def collect_item(
    user: Any, organisation: Organisation, item: DossierItem, *, on: datetime.date, document=None
) -> DossierItem:
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, item.pathway, SharedAct.ADMINISTRATIVE_FILE)
    check(
        user,
        item.pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=item.author_organisation_id,
        obj=item,
        within_organisation_id=organisation.pk,
    )
    require_not_future(on, "on", "Une pièce")
    if document is not None and document.youth_id != item.youth_id:
        raise ValidationError({"document": "Ce document appartient à un autre dossier."})
    if item.status == DossierStatus.TRANSMITTED:
        raise ValidationError("Cette pièce a déjà été transmise.")
    item.status = DossierStatus.COLLECTED
    item.collected_on = on
    item.document = document
    item.save()
    return item


def consent_covers_transmission(pathway: Pathway, day: datetime.date) -> bool:
    """Would the mission locale's counsellor be granted the porteur's administrative
    documents? The access policy decides (consent naming the mission locale)."""
    grant = decide(
        [(pathway.mission_locale_id, Role.COUNSELLOR)],
        pathway.youth.access_facts(day),
        Category.ADMIN_DOCUMENTS,
        Action.READ,
        author_organisation_id=pathway.author_organisation_id,
    )
    return grant is not None


def transmit_dossier(user: Any, organisation: Organisation, pathway: Pathway) -> list[DossierItem]:
    """Transmit the collected pieces to the mission locale, only with the youth's agreement
    (FAQ CEJ-JR, July 2023: "avec l'accord du jeune")."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.ADMINISTRATIVE_FILE)
    check(
        user,
        pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=pathway.author_organisation_id,
        obj=pathway,
        within_organisation_id=organisation.pk,
    )
    day = local_today()
    if not consent_covers_transmission(pathway, day):
        record(
            user,
            AuditEvent.DENIED,
            youth_id=pathway.youth_id,
            category=Category.ADMIN_DOCUMENTS,
            obj=pathway,
            reason="Transmission du dossier administratif sans consentement",
        )
        raise PermissionDenied(
            f"Transmission refusée : le jeune n'a pas donné son accord pour partager ses "
            f"documents administratifs avec {pathway.mission_locale}. Recueillez d'abord son "
            "consentement (catégorie « Documents administratifs »)."
        )
    with transaction.atomic():  # the refusal above is audited outside the transaction
        items = list(pathway.dossier_items.filter(status=DossierStatus.COLLECTED))
        if not items:
            raise ValidationError("Aucune pièce recueillie à transmettre.")
        for item in items:
            item.status = DossierStatus.TRANSMITTED
            item.transmitted_on = day
            item.transmitted_by = user
            item.save()
    return items
