"""The demo's register of unmet needs, through the real services: Lucas, accompanied by the
porteur, has waited three months for housing (the SIAO refused for want of places) and has
a mental-health need without an answer; Inès's mobility need was met after two months."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.core.access import Category
from coparcours.directory.models import RefusalReason, Service
from coparcours.directory.services.referrals import answer_referral, send_referral
from coparcours.needs.models import NeedDimension, NeedStatus, UnmetNeed
from coparcours.needs.services import close_need, record_need
from coparcours.organisations.models import Organisation

SIAO = "coparcours-demo-nord--siao-demande-hebergement"


def load_needs_demo(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """One open need with a refused referral, one open mental-health need, one met need."""
    porteur, referent = org["porteur"], users["referente"]
    if UnmetNeed.objects.filter(author_organisation=porteur).exists():
        return
    today = timezone.localdate()
    lucas = porteur.owned_youths.get(last_name="Martin")
    ines = porteur.owned_youths.get(last_name="Petit")
    siao = send_referral(
        referent,
        lucas,
        porteur,
        service=Service.objects.get(di_id=SIAO),
        categories=[Category.HOUSING],
        message="Lucas dort chez des amis depuis trois mois ; demande d'hébergement.",
        consented_categories=[Category.IDENTITY, Category.HOUSING],
        consent_given_by="youth",
        consent_method="signed_form",
    )
    answer_referral(
        siao,
        accepted=False,
        reason=RefusalReason.FULL,
        comment="Aucune place en hébergement d'urgence pour un homme seul ce mois-ci.",
        answered_by="Coordination SIAO",
    )
    record_need(
        referent,
        lucas,
        porteur,
        dimension=NeedDimension.HOUSING,
        since=today - datetime.timedelta(days=90),
        description="Sans solution d'hébergement stable : hébergé chez des amis.",
        referrals=[siao],
    )
    record_need(
        referent,
        lucas,
        porteur,
        dimension=NeedDimension.MENTAL_HEALTH,
        since=today - datetime.timedelta(days=40),
        description="Demande un suivi psychologique ; le CMP a une liste d'attente.",
    )
    mobility = record_need(
        referent,
        ines,
        porteur,
        dimension=NeedDimension.MOBILITY,
        since=today - datetime.timedelta(days=120),
        description="Pas de moyen de se rendre à son stage à Roubaix.",
    )
    close_need(
        referent,
        mobility,
        status=NeedStatus.MET,
        closed_on=today - datetime.timedelta(days=60),
        outcome="Aide au permis et carte de transport de la mission locale.",
    )
