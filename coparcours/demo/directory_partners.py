"""Demo shared guides and partner meetings of the Nord consortia (the tools partners share:
the shared "who does what", the welcome booklet, the step-by-step guide, quarterly meetings of
all porteurs, copil arbitration), and, for ``load_demo``, Lucas's two orientations answered
by the structures. Idempotent: found again by title (no youth is named in the guides and
meetings)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.directory import guides, library, meetings
from coparcours.directory.models import (
    Guide,
    GuideKind,
    GuideReach,
    LibraryPublisher,
    Meeting,
    MeetingKind,
    PlacementChoice,
    Referral,
    RefusalReason,
    Service,
    TerritoryLevel,
)
from coparcours.directory.services.referrals import answer_referral, send_referral
from coparcours.organisations.models import Consortium
from coparcours.youths.models import Youth

DEMO_DOMAIN = "demo.coparcours.fr"

CEJ_JR_GUIDES = [
    (
        GuideKind.WHO_DOES_WHAT,
        "Qui fait quoi dans le CEJ-JR Lille",
        "referente",
        -10,  # review date passed ten days ago: the owner has been reminded
        [
            (
                "Première version.",
                "Repérage et premier contact : le porteur (Rebond Jeunes Lille).\n"
                "Inscription et contrat d'engagement : la mission locale de Lille.\n"
                "Accompagnement renforcé pendant le contrat : le ou la référent·e du porteur.",
            ),
            (
                "Ajout du rôle du SIAO et de la permanence santé mentale.",
                "Repérage et premier contact : le porteur (Rebond Jeunes Lille).\n"
                "Inscription et contrat d'engagement : la mission locale de Lille.\n"
                "Accompagnement renforcé pendant le contrat : le ou la référent·e du porteur.\n"
                "Hébergement d'urgence : demande au SIAO du Nord par le ou la référent·e.\n"
                "Santé mentale : orientation vers le CMP de secteur ou la Maison des "
                "adolescents (premier rendez-vous sous quinze jours).",
            ),
        ],
    ),
    (
        GuideKind.WELCOME_BOOKLET,
        "Livret d'accueil des jeunes",
        "referente",
        120,
        [
            (
                "Première version.",
                "Bienvenue ! Ton ou ta référent·e t'accompagne pendant tout ton parcours.\n"
                "Tu peux le ou la joindre du lundi au vendredi, de 9 h à 17 h.\n"
                "Tes informations ne sont partagées qu'avec ton accord.",
            )
        ],
    ),
    (
        GuideKind.STEP_BY_STEP,
        "Guide pas à pas : du repérage au contrat",
        "conseiller",
        60,
        [
            (
                "Première version.",
                "1. Repérage (« Invisibles », PRIJ) et premier contact.\n"
                "2. Vérification de l'éligibilité (5 mois sans contact substantiel).\n"
                "3. Comité d'intégration avec la mission locale.\n"
                "4. Signature du contrat d'engagement jeune.",
            )
        ],
    ),
    (
        GuideKind.CONVENTION,
        "Convention de partenariat porteur – mission locale",
        "referente",
        240,
        [
            (
                "Version signée.",
                "Objet : modalités de coopération entre le porteur CEJ-JR et la mission "
                "locale de Lille (orientation, comité d'intégration, échanges d'information "
                "avec l'accord du jeune).",
            )
        ],
    ),
]


def _user(login: str) -> User:
    return User.objects.get(email=f"{login}@{DEMO_DOMAIN}")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def load_partner_demo() -> None:
    """Guides of the CEJ-JR Lille partnership and of the GME, a past copil with its minutes
    and decisions, the weekly committees to come and the next quarterly porteurs' meeting."""
    cej_jr = Consortium.objects.get(name="CEJ-JR Lille")
    gme = Consortium.objects.get(name="GME MNA Nord")
    today = timezone.localdate()
    author = _user("referente")
    for kind, title, owner, review_in, versions in CEJ_JR_GUIDES:
        if Guide.objects.filter(consortium=cej_jr, title=title).exists():
            continue
        (first_note, first_body), *later = versions
        guide = guides.create_guide(
            author,
            cej_jr,
            kind=kind,
            title=title,
            owner=_user(owner),
            review_on=today + datetime.timedelta(days=review_in),
            body=first_body,
            change_note=first_note,
        )
        for note, body in later:
            guides.publish_version(author, guide, change_note=note, body=body)
    if not Guide.objects.filter(consortium=gme).exists():
        guides.create_guide(
            _user("coordination"),
            gme,
            kind=GuideKind.WELCOME_BOOKLET,
            title="Livret d'accueil des jeunes accueillis par le GME",
            owner=_user("coordination"),
            review_on=today + datetime.timedelta(days=90),
            body="Ce livret présente ton lieu d'accueil, tes droits et les personnes qui "
            "t'accompagnent jusqu'à tes 18 ans et au-delà.",
        )
    _demo_library(cej_jr, gme, today)
    _demo_meetings(cej_jr, gme, today)


LIBRARY_GUIDE = "Mallette pédagogique du CEJ-JR"


def _demo_library(cej_jr: Consortium, gme: Consortium, today: datetime.date) -> None:
    """The DREETS designates the porteur to publish for the région; its teaching kit reaches
    every partnership of Hauts-de-France, and the GME pins it at the top of its library."""
    porteur = cej_jr.members.get(is_lead=True).organisation
    if not LibraryPublisher.objects.filter(organisation=porteur).exists():
        library.designate(_user("dreets"), cej_jr.funder_id, porteur)
    if Guide.objects.filter(title=LIBRARY_GUIDE).exists():
        return
    kit = guides.create_guide(
        _user("referente"),
        cej_jr,
        kind=GuideKind.STEP_BY_STEP,
        title=LIBRARY_GUIDE,
        owner=_user("referente"),
        review_on=today + datetime.timedelta(days=180),
        body="1. Aller vers : les lieux et les partenaires du repérage.\n"
        "2. Le premier contact et l'accord du jeune.\n"
        "3. La remobilisation avant le contrat : activités collectives et individuelles.\n"
        "4. Le « qui fait quoi » avec la mission locale et les partenaires.\n"
        "5. Les bilans à 3 et 6 mois, la sortie et ses suites.",
        reach=GuideReach.TERRITORY,
        territory=library.Territory(TerritoryLevel.REGION, "32"),
    )
    library.place(_user("coordination"), kit, gme.pk, PlacementChoice.PINNED)


def _demo_meetings(cej_jr: Consortium, gme: Consortium, today: datetime.date) -> None:
    referente, conseiller, dreets = _user("referente"), _user("conseiller"), _user("dreets")
    coordination = _user("coordination")
    if not Meeting.objects.filter(title="Copil du CEJ-JR Lille").exists():
        day = today - datetime.timedelta(days=14)
        (copil,) = meetings.schedule_meeting(
            referente,
            consortia=[cej_jr],
            kind=MeetingKind.COPIL,
            title="Copil du CEJ-JR Lille",
            starts_at=_at(day, 14),
            ends_at=_at(day, 16),
            location="DREETS Hauts-de-France, salle 3",
            agenda="1. Bilan du trimestre (entrées, sorties, durée des parcours).\n"
            "2. Délais d'accès aux soins en santé mentale.\n"
            "3. Planning partagé des activités.",
            invitees=[referente, conseiller, dreets],
        )
        meetings.record_minutes(
            referente,
            copil,
            minutes="Le bilan du trimestre est présenté en chiffres agrégés. Les partenaires "
            "constatent des délais de plusieurs mois pour un premier rendez-vous en santé "
            "mentale. Le copil arbitre : une permanence mensuelle du CMP sera demandée.",
            attendance={a.pk: "present" for a in copil.attendances.all()},
        )
        meetings.add_decision(
            referente,
            copil,
            text="Demander au CMP de secteur une permanence mensuelle dans les locaux du porteur.",
            owner=referente,
            due_on=today + datetime.timedelta(days=30),
        )
        decision = meetings.add_decision(
            referente,
            copil,
            text="Mettre à jour la charte « qui fait quoi » avec le rôle du SIAO.",
            owner=conseiller,
            due_on=today - datetime.timedelta(days=3),
        )
        meetings.close_decision(referente, decision)
        meetings.add_decision(
            referente,
            copil,
            text="Partager un planning commun des ateliers collectifs avant le prochain copil.",
            owner=conseiller,
            due_on=today + datetime.timedelta(days=45),
        )
    if not Meeting.objects.filter(kind=MeetingKind.WEEKLY, consortia=cej_jr).exists():
        monday = today + datetime.timedelta(days=7 - today.weekday())
        meetings.schedule_meeting(
            referente,
            consortia=[cej_jr],
            kind=MeetingKind.WEEKLY,
            title="Comité hebdomadaire porteur – mission locale",
            starts_at=_at(monday, 10),
            ends_at=_at(monday, 11),
            location="Mission locale de Lille, 1 rue Kléber",
            agenda="Entrées et sorties de la semaine (sans nom), points de blocage, "
            "ateliers à venir.",
            invitees=[referente, conseiller],
            repeat=4,
        )
    if not Meeting.objects.filter(kind=MeetingKind.QUARTERLY).exists():
        day = today + datetime.timedelta(days=40)
        meetings.schedule_meeting(
            coordination,
            consortia=[gme, cej_jr],
            kind=MeetingKind.QUARTERLY,
            title="Réunion trimestrielle des porteurs",
            starts_at=_at(day, 9),
            ends_at=_at(day, 12),
            location="Alefpa, 199-201 rue Colbert, Lille",
            agenda="Tour de table des porteurs, bonnes pratiques, outils partagés.",
            invitees=[coordination, referente, conseiller],
        )


#: Lucas's orientations: (sender, its side, service, message, answer: accepted or the
#: refusal's reason, comment, answered by).
DEMO_REFERRALS = [
    (
        "referente",
        True,
        "coparcours-demo-nord--fjt-moulins-logement",
        "Lucas, 22 ans, entre à l'E2C en janvier ; il cherche un logement meublé près de "
        "Lille-Moulins. Pouvez-vous l'accueillir pour une visite ?",
        "",
        "Visite faite avec Lucas : un studio se libère au 1er janvier, dossier à déposer.",
        "Sandrine Roussel, responsable des admissions",
    ),
    (
        "conseiller",
        False,
        "coparcours-demo-nord--e2c-parcours",
        "Lucas souhaite un parcours en alternance ; positionnement fait à la mission locale.",
        RefusalReason.FULL,
        "La session de janvier est complète : Lucas est inscrit pour la session de mars.",
        "Patrick Lenoir, chargé des admissions",
    ),
]


def load_referral_demo() -> None:
    """Lucas oriented by the porteur to a young workers' residence (accepted) and by the
    mission locale to the E2C (refused: full), each with his signed agreement. For
    ``coparcours load_demo``, not for the test fixture: the directory's tests start from a
    demo without referrals. Loading it again changes nothing."""
    cej_jr = Consortium.objects.get(name="CEJ-JR Lille")
    porteur = cej_jr.members.get(is_lead=True).organisation
    mission_locale = cej_jr.members.get(is_lead=False).organisation
    lucas = Youth.objects.get(owner_organisation=porteur, last_name="Martin")
    if Referral.objects.filter(youth=lucas).exists():
        return
    for login, from_porteur, service_id, message, refusal, comment, by in DEMO_REFERRALS:
        referral = send_referral(
            _user(login),
            lucas,
            porteur if from_porteur else mission_locale,
            service=Service.objects.get(di_id=service_id),
            categories=["education_employment"],
            message=message,
            consented_categories=["identity", "education_employment"],
            consent_given_by="youth",
            consent_method="signed_form",
        )
        answer_referral(
            referral, accepted=not refusal, reason=refusal, comment=comment, answered_by=by
        )
