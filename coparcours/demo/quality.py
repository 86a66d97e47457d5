"""The Nord GME's evaluations in the field-scale demo: last year's quality campaign,
answered by the three members with their improvement plan, and this year's governance
campaign before the convention's renewal, answered by one member so far; and a year of
the CEJ-JR youths' anonymous answers. Loading it again changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.organisations.models import Consortium, Organisation
from coparcours.reporting.models import (
    Campaign,
    CampaignKind,
    ImprovementAction,
    SelfAssessment,
    VoiceAnswer,
)

QUALITY_CRITERIA = (
    "Projet personnalisé formalisé dans les trois mois de l'accueil",
    "Scolarisation ou formation effective de chaque jeune",
    "Préparation de la majorité engagée un an avant (entretien CASF L.222-5-1)",
    "Accès aux soins : bilan de santé à l'arrivée",
    "Expression des jeunes : conseil de la vie sociale ou équivalent",
)
GOVERNANCE_CRITERIA = (
    "La coordination est l'interlocutrice unique du Département",
    "Les réorientations entre membres se décident en moins de quinze jours",
    "Le reversement des paiements aux membres est immédiat et tracé",
    "Chaque membre garde ses pratiques et ses outils",
)
#: Each member's scores, criterion by criterion, and its improvement action.
QUALITY_SCORES = {
    "alefpa": ((3, 4, 2, 3, 2), "Entretien de préparation à la majorité à 17 ans pour tous"),
    "temps_de_vie": ((3, 3, 3, 2, 3), "Convention avec la PASS de Roubaix pour les bilans"),
    "asrl": ((4, 3, 3, 3, 2), "Conseil des jeunes trimestriel sur chaque site"),
}


def load_quality_demo(
    gme: Consortium, cej_jr: Consortium, org: dict[str, Organisation], users: dict[str, User]
) -> None:
    """Two campaigns of the GME and the CEJ-JR youths' answers of the last twelve months."""
    if Campaign.objects.filter(consortium=gme).exists():
        return
    today = timezone.localdate()
    quality = Campaign.objects.create(
        consortium=gme,
        kind=CampaignKind.QUALITY,
        title=f"Évaluation de la qualité {today.year - 1}",
        due_on=datetime.date(today.year - 1, 12, 15),
        created_by=users["coordination"],
    )
    governance = Campaign.objects.create(
        consortium=gme,
        kind=CampaignKind.GOVERNANCE,
        title="Évaluation de la gouvernance avant le renouvellement",
        due_on=today + datetime.timedelta(days=21),
        created_by=users["coordination"],
    )
    criteria = {
        campaign: [
            campaign.criteria.create(position=n, label=label) for n, label in enumerate(labels, 1)
        ]
        for campaign, labels in ((quality, QUALITY_CRITERIA), (governance, GOVERNANCE_CRITERIA))
    }
    scored_by = {"alefpa": users["coordination"], "temps_de_vie": users["direction"]}
    for member, (scores, action) in QUALITY_SCORES.items():
        SelfAssessment.objects.bulk_create(
            SelfAssessment(
                criterion=criterion,
                organisation=org[member],
                score=score,
                evidence="Revue de dossiers tirés au sort et entretiens avec les équipes.",
                scored_by=scored_by.get(member, users["qualite"]),
            )
            for criterion, score in zip(criteria[quality], scores, strict=True)
        )
        ImprovementAction.objects.create(
            campaign=quality,
            organisation=org[member],
            action=action,
            owner=f"Direction de {org[member].name}",
            due_on=datetime.date(today.year, 6, 30),
        )
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            criterion=criterion,
            organisation=org["asrl"],
            score=3,
            evidence="Comptes rendus des copils et des commissions de coordination.",
            scored_by=users["qualite"],
        )
        for criterion in criteria[governance]
    )
    VoiceAnswer.objects.bulk_create(
        VoiceAnswer(
            partnership=cej_jr,
            month=_months_back(today.replace(day=1), n % 12),
            adhesion=3 + n % 2,
            support=2 + (n % 5 > 0),
            quality_of_life=2 + n % 3,
        )
        for n in range(60)
    )


def _months_back(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)
