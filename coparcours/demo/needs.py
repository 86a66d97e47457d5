"""The demo's register of unmet needs, through the real services: Lucas, accompanied by the
porteur, has waited three months for housing (in ``load_demo``, the SIAO refused for want
of places) and has a mental-health need without an answer; Inès's mobility need was met
after two months."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.core.access import Category
from coparcours.directory.models import RefusalReason, Service
from coparcours.directory.services.referrals import answer_referral, send_referral
from coparcours.needs.models import NeedDimension, NeedStatus, UnmetNeed
from coparcours.needs.services import close_need, record_need, update_need
from coparcours.organisations.models import Consortium, Organisation

SIAO = "coparcours-demo-nord--siao-demande-hebergement"


def load_needs_demo(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """One open housing need, one open mental-health need, one met need (the tests'
    fixture: without referrals, as the directory's tests want it)."""
    porteur, referent = org["porteur"], users["referente"]
    if UnmetNeed.objects.filter(author_organisation=porteur).exists():
        return
    today = timezone.localdate()
    lucas = porteur.owned_youths.get(last_name="Martin")
    ines = porteur.owned_youths.get(last_name="Petit")
    record_need(
        referent,
        lucas,
        porteur,
        dimension=NeedDimension.HOUSING,
        since=today - datetime.timedelta(days=90),
        description="Sans solution d'hébergement stable : hébergé chez des amis.",
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


def load_needs_referral_demo() -> None:
    """Lucas's housing need tried with the SIAO, which refused for want of places. For
    ``coparcours load_demo`` (after the directory's referrals), not for the tests' fixture.
    Loading it again changes nothing."""
    porteur = Consortium.objects.get(name="CEJ-JR Lille").members.get(is_lead=True).organisation
    need = UnmetNeed.objects.select_related("youth", "author_organisation", "recorded_by").get(
        youth__last_name="Martin", author_organisation=porteur, dimension=NeedDimension.HOUSING
    )
    if need.referrals.exists():
        return
    referent = need.recorded_by
    siao = send_referral(
        referent,
        need.youth,
        need.author_organisation,
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
    update_need(referent, need, since=need.since, description=need.description, referrals=[siao])
