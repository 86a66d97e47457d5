"""The Nord demo's GME housing: the members' sites, the funder's waves of places and the
capacity opened by each, the March 2020 site loan, a few stays, and placement requests at
each step (received, waiting, a place proposed and left unanswered, a place accepted whose
admission is still to record), so that the coordination, a member's director and the
funder each find something to handle on their home page.

Called from ``nord.py`` after the youths (their stays need them); loading twice changes
nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.core.access import Relation
from coparcours.housing.models import Site, Stay
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.factories import AssignmentFactory
from coparcours.youths.models import Youth
from coparcours.youths.models.records import AgeAssessment
from coparcours.youths.rules import MAJORITY_AGE, add_years

# Sites of the three members: (key, member, name, kind, host establishment, address, postal
# code, city, ages, sex accepted). Addresses are invented.
DEMO_SITES = [
    (
        "al_mecs",
        "alefpa",
        "Maison d'enfants Les Tilleuls",
        "mecs",
        "",
        "14 rue des Tilleuls",
        "59000",
        "Lille",
        (13, 17),
        "M",
    ),
    (
        "al_urgence",
        "alefpa",
        "Accueil d'urgence Alefpa Lille",
        "emergency",
        "",
        "3 rue Colbert",
        "59000",
        "Lille",
        (14, 17),
        "any",
    ),
    (
        "al_diffus",
        "alefpa",
        "Appartements diffus de la Métropole",
        "diffuse",
        "",
        "25 avenue de Dunkerque",
        "59130",
        "Lambersart",
        (16, 17),
        "any",
    ),
    (
        "tdv_collectif",
        "temps_de_vie",
        "Unité collective du Pile",
        "collective",
        "",
        "40 rue de Condé",
        "59100",
        "Roubaix",
        (14, 17),
        "M",
    ),
    (
        "tdv_diffus",
        "temps_de_vie",
        "Appartements diffus de Tourcoing",
        "diffuse",
        "",
        "8 rue de Lille",
        "59200",
        "Tourcoing",
        (16, 17),
        "any",
    ),
    (
        "tdv_studio",
        "temps_de_vie",
        "Studio de semi-autonomie de Tourcoing",
        "diffuse",
        "",
        "27 rue de Gand",
        "59200",
        "Tourcoing",
        (16, 17),
        "any",
    ),
    (
        "asrl_mecs",
        "asrl",
        "Maison d'enfants Solférino",
        "mecs",
        "",
        "201 rue Solférino",
        "59000",
        "Lille",
        (11, 17),
        "any",
    ),
    (
        "asrl_maternel",
        "asrl",
        "Places au centre maternel de Lille",
        "other_establishment",
        "Centre maternel ASRL",
        "17 rue d'Iéna",
        "59000",
        "Lille",
        (15, 17),
        "F",
    ),
    (
        "asrl_chrs",
        "asrl",
        "Places au CHRS de Lille-Sud",
        "other_establishment",
        "CHRS ASRL",
        "5 rue du Faubourg des Postes",
        "59000",
        "Lille",
        (16, 17),
        "M",
    ),
    (
        "asrl_diffus",
        "asrl",
        "Appartements diffus de Lille-Sud",
        "diffuse",
        "",
        "60 rue de Wazemmes",
        "59000",
        "Lille",
        (16, 17),
        "any",
    ),
    (
        "asrl_accueil",
        "asrl",
        "Lieu d'accueil ASRL d'Hellemmes",
        "emergency",
        "",
        "2 rue Roger Salengro",
        "59260",
        "Hellemmes",
        (14, 17),
        "any",
    ),
]

# The funder's waves, as the Nord GME opened them: 400 places Nov 2018–May 2019, 100 Jul–Sep
# 2019, 50 decided Dec 2019 of which 20 opened in 2020; the fourth wave, which brings the
# total to the 1,100 places reached by 2021, is an assumption of the demo (only that total
# is known).
DEMO_WAVES = [
    (
        "Vague 1 — 400 places (nov. 2018 – mai 2019)",
        (2018, 11, 15),
        400,
        (2018, 11, 15),
        (2019, 5, 31),
    ),
    ("Vague 2 — 100 places (juil. – sept. 2019)", (2019, 6, 17), 100, (2019, 7, 1), (2019, 9, 30)),
    ("Vague 3 — 50 places décidées en déc. 2019", (2019, 12, 16), 50, (2020, 2, 1), (2020, 6, 30)),
    ("Vague 4 — montée en charge 2020–2021", (2020, 6, 15), 580, (2020, 9, 1), (2021, 6, 30)),
]

# (site, wave number, places, planned, opened or None)
DEMO_CAPACITY = [
    ("al_mecs", 1, 60, (2018, 11, 15), (2018, 11, 26)),
    ("al_urgence", 1, 40, (2018, 11, 15), (2018, 11, 20)),
    ("al_diffus", 1, 80, (2019, 2, 1), (2019, 3, 4)),
    ("tdv_collectif", 1, 70, (2018, 12, 1), (2018, 12, 10)),
    ("tdv_diffus", 1, 50, (2019, 3, 1), (2019, 4, 15)),
    ("asrl_mecs", 1, 60, (2019, 1, 7), (2019, 1, 21)),
    ("asrl_chrs", 1, 20, (2019, 4, 1), (2019, 5, 20)),
    ("asrl_accueil", 1, 20, (2019, 5, 1), (2019, 5, 27)),
    ("al_diffus", 2, 40, (2019, 7, 1), (2019, 7, 15)),
    ("tdv_diffus", 2, 30, (2019, 8, 1), (2019, 9, 2)),
    ("asrl_maternel", 2, 30, (2019, 9, 1), (2019, 9, 16)),
    ("asrl_maternel", 3, 10, (2020, 2, 1), (2020, 9, 1)),
    ("tdv_collectif", 3, 10, (2020, 3, 1), (2020, 10, 5)),
    ("al_mecs", 3, 30, (2020, 4, 1), None),
    ("al_diffus", 4, 150, (2020, 9, 1), (2020, 11, 2)),
    ("tdv_diffus", 4, 139, (2020, 10, 1), (2021, 1, 11)),
    ("tdv_studio", 4, 1, (2020, 10, 1), (2021, 1, 11)),
    ("tdv_collectif", 4, 60, (2021, 1, 4), (2021, 3, 1)),
    ("asrl_mecs", 4, 80, (2021, 1, 4), (2021, 2, 1)),
    ("asrl_chrs", 4, 50, (2021, 3, 1), (2021, 4, 6)),
    ("asrl_diffus", 4, 100, (2021, 4, 1), (2021, 5, 3)),
]

# (youth last name, site, entry, exit, exit reason)
DEMO_STAYS = [
    ("Diallo", "al_mecs", (2025, 9, 1), None, ""),
    ("Traoré", "asrl_maternel", (2025, 9, 1), None, ""),
    ("Keita", "al_diffus", (2025, 3, 3), (2026, 6, 30), "majority"),
    ("Camara", "tdv_diffus", (2025, 10, 1), None, ""),
]


def load_housing_demo(
    org: dict[str, Organisation], users: dict[str, User], gme: Consortium
) -> None:
    """Sites, waves and capacity of the GME, the March 2020 loan, stays, a majority coming
    without a decision, requests and proposals at each step."""
    from coparcours.housing.factories import (
        CapacityChangeFactory,
        PlacementRequestFactory,
        SiteFactory,
        WaveFactory,
    )
    from coparcours.housing.models import AfterEighteen, SiteLoan
    from coparcours.housing.models.majority import MajorityDecision
    from coparcours.housing.models.requests import RequestStatus, Urgency

    if gme.sites.exists():
        return
    sites = {}
    for number, (key, owner, name, kind, host, address, postal, city, ages, sex) in enumerate(
        DEMO_SITES
    ):
        sites[key] = SiteFactory(
            consortium=gme,
            organisation=org[owner],
            name=name,
            kind=kind,
            host_establishment=host,
            address=address,
            postal_code=postal,
            city=city,
            night_phone=f"03 53 73 10 {number:02d}",  # ARCEP's range for fiction
            min_age=ages[0],
            max_age=ages[1],
            accepted_sex=sex,
        )
    waves = [
        WaveFactory(
            consortium=gme,
            name=name,
            decided_on=datetime.date(*decided),
            planned_places=places,
            planned_start=datetime.date(*start),
            planned_end=datetime.date(*end),
        )
        for name, decided, places, start, end in DEMO_WAVES
    ]
    for key, wave, places, planned, opened in DEMO_CAPACITY:
        CapacityChangeFactory(
            site=sites[key],
            wave=waves[wave - 1],
            places=places,
            planned_on=datetime.date(*planned),
            opened_on=datetime.date(*opened) if opened else None,
        )
    SiteLoan.objects.create(
        site=sites["asrl_accueil"],
        borrower=org["alefpa"],
        convention_reference="Convention ASRL–Alefpa n° 2020-03",
        signed_on=datetime.date(2020, 3, 19),
        start_date=datetime.date(2020, 3, 19),
        end_date=datetime.date(2020, 7, 1),
    )
    for last_name, site_key, entry, exit_, reason in DEMO_STAYS:
        youth = Youth.objects.filter(
            owner_organisation__in=org.values(), last_name=last_name
        ).first()
        if youth is None:
            continue
        site = sites[site_key]
        end = datetime.date(*exit_) if exit_ else None
        stay = _host(youth, site, org["alefpa"], datetime.date(*entry), end, reason)
        if last_name == "Traoré":
            AfterEighteen.objects.create(
                stay=stay,
                youth=youth,
                author_organisation=site.organisation,
                decision=MajorityDecision.YOUNG_ADULT_CONTRACT,
                start_date=youth.majority_date,
                end_date=datetime.date(2027, 11, 2),
                funder_agreement_on=datetime.date(2026, 10, 15),
                decided_by=users["referente"],
            )
    today = datetime.date.today()
    _coming_majority(org, users, sites, today)
    PlacementRequestFactory(
        consortium=gme,
        funder=org["departement"],
        filed_by=users["departement"],
        reference="ASE-59-2026-0412",
        last_name="Bah",
        first_names="Ibrahima",
        age=16,
        sex="M",
        needs="Mise à l'abri ; scolarisation à organiser ; parle peul et un peu de français.",
        urgency=Urgency.IMMEDIATE,
        requested_date=today,
    )
    PlacementRequestFactory(
        consortium=gme,
        funder=org["departement"],
        filed_by=users["departement"],
        reference="ASE-59-2026-0398",
        last_name="",
        first_names="",
        age=15,
        sex="F",
        needs="Jeune fille ; accueil collectif souhaité.",
        urgency=Urgency.NORMAL,
        requested_date=today + datetime.timedelta(days=7),
        status=RequestStatus.WAITING,
    )
    _proposals(org, users, gme, sites, today)
    _incidents(users, sites, today)


def _incidents(users: dict[str, User], sites: dict[str, Site], today: datetime.date) -> None:
    """One runaway and one serious incident, through the services (CASF L.331-8-1): Camara
    has not come back to Temps de vie's apartments (declared, acknowledged by the
    coordination, a follow-up given); a fire in ASRL's centre maternel waits for the
    coordination."""
    from coparcours.housing.models.incidents import IncidentKind
    from coparcours.housing.services import incidents as incident_services

    day = datetime.timedelta(days=1)
    stay = Stay.objects.get(youth__last_name="Camara", end_date__isnull=True)
    runaway = incident_services.report_incident(
        users["direction"],
        stay.site,
        incident_services.Report(
            kind=IncidentKind.RUNAWAY,
            occurred_on=today - 3 * day,
            occurred_time=datetime.time(22, 15),
            declared_on=today - 2 * day,
            facts="Pas rentrée au logement le soir ; téléphone éteint depuis.",
            measures="Recherches auprès des amies connues, déclaration au commissariat de "
            "Roubaix, information de l'ASE.",
            informed="Commissariat de Roubaix ; ASE (inspectrice de l'enfance)",
            health_details="Traitement en cours, sans réserve emportée.",
        ),
        stay=stay,
    )
    incident_services.acknowledge(users["coordination"], runaway)
    incident_services.add_measure(
        users["direction"],
        runaway,
        "Signalement transmis à l'équipe de prévention de Roubaix ; appel quotidien au "
        "commissariat.",
    )
    incident_services.report_incident(
        users["referente"],
        sites["asrl_maternel"],
        incident_services.Report(
            kind=IncidentKind.DISASTER,
            occurred_on=today - day,
            occurred_time=datetime.time(6, 40),
            facts="Départ de feu dans la cuisine collective, maîtrisé par les pompiers.",
            measures="Évacuation sans blessé ; cuisine fermée, repas livrés jusqu'aux travaux.",
            informed="Sapeurs-pompiers ; mairie de Lille",
        ),
    )


def _host(
    youth: Youth,
    site: Site,
    lead: Organisation,
    start: datetime.date,
    end: datetime.date | None = None,
    reason: str = "",
) -> Stay:
    """A stay at a member's site: the host and the coordination accompany the youth."""
    from coparcours.housing.factories import StayFactory

    hosting = youth.assignments.filter(
        organisation=site.organisation, relation=Relation.HOSTING
    ).first()
    if hosting is None and site.organisation != youth.owner_organisation:
        hosting = AssignmentFactory(
            youth=youth,
            organisation=site.organisation,
            relation=Relation.HOSTING,
            role=f"Hébergement — {site.name}",
            start_date=start,
            end_date=end,
        )
    coordination = AssignmentFactory(
        youth=youth,
        organisation=lead,
        relation=Relation.GME_COORDINATION,
        role=f"Coordination du {site.consortium.name}",
        start_date=start,
        end_date=end,
    )
    return StayFactory(
        youth=youth,
        site=site,
        author_organisation=site.organisation,
        start_date=start,
        end_date=end,
        exit_reason=reason,
        hosting_assignment=hosting,
        coordination_assignment=coordination,
    )


def _coming_majority(
    org: dict[str, Organisation],
    users: dict[str, User],
    sites: dict[str, Site],
    today: datetime.date,
) -> None:
    """A girl in Temps de vie's one-place studio turns 18 in six weeks with no decision
    taken yet: the coordination must decide (exit, follow-up or contrat jeune majeur), and
    the studio is full."""
    from coparcours.youths.factories import YouthFactory

    youth = YouthFactory(
        owner_organisation=org["temps_de_vie"],
        referent=users["direction"],
        last_name="Konaté",
        first_names="Mariam",
        sex="F",
        birth_date=add_years(today, -MAJORITY_AGE) + datetime.timedelta(days=42),
        birth_date_is_declared=True,
        is_unaccompanied_minor=True,
        age_assessment=AgeAssessment.MINOR,
        ase_service="ASE du Nord — Direction territoriale Roubaix-Tourcoing",
        guardian="Président du Département du Nord (tutelle)",
        languages="Soussou, Français",
    )
    stay = _host(youth, sites["tdv_studio"], org["alefpa"], today - datetime.timedelta(days=230))
    _road_to_18(org, users["direction"], stay, today)


def _road_to_18(
    org: dict[str, Organisation], director: User, stay: Stay, today: datetime.date
) -> None:
    """Her road to 18, through the services: a CAP in a lycée professionnel, a residence-permit
    file under CESEDA L.435-3 (entrusted to the ASE at 17) with three pieces gathered, and
    her consent that the coordination reads both."""
    from coparcours.housing.models.road18 import Attendance, SchoolingKind
    from coparcours.housing.services import road18
    from coparcours.youths.factories import ConsentFactory

    road18.record_schooling(
        director,
        stay,
        establishment="Lycée professionnel Louis-Loucheur, Roubaix",
        kind=SchoolingKind.CAP,
        level="CAP Agent polyvalent de restauration, 1re année",
        start_date=today - datetime.timedelta(days=95),
        end_date=None,
        attendance=Attendance.REGULAR,
        attendance_on=today - datetime.timedelta(days=7),
    )
    preparation = road18.start_permit_preparation(director, stay, stay.start_date)
    kinds = road18.piece_kinds(preparation.route)
    road18.gather_pieces(director, preparation, [kind.pk for kind in kinds[:3]])
    road18.raise_permit_reminders(today)  # her window is open: her home page says so
    ConsentFactory(
        youth=stay.youth,
        organisation=org["alefpa"],
        categories=["education_employment", "admin_documents"],
        purpose="Préparation de la majorité avec la coordination du groupement",
        given_by="both",
        start_date=stay.start_date,
        author_organisation=stay.youth.owner_organisation,
    )


def _proposals(
    org: dict[str, Organisation],
    users: dict[str, User],
    gme: Consortium,
    sites: dict[str, Site],
    today: datetime.date,
) -> None:
    """A place proposed to Temps de vie three days ago and still unanswered, and a place it
    accepted yesterday whose admission is still to record."""
    from coparcours.housing.factories import PlacementRequestFactory
    from coparcours.housing.models import PlacementRequest, Proposal
    from coparcours.housing.models.requests import ProposalStatus, RequestStatus, Urgency

    now = timezone.now()
    for days_ago, site_key, status, fields in [
        (
            3,
            "tdv_collectif",
            ProposalStatus.PENDING,
            {
                "reference": "ASE-59-2026-0377",
                "last_name": "Sylla",
                "first_names": "Mohamed",
                "age": 16,
                "sex": "M",
                "needs": "Scolarisé en 3e au collège de Roubaix ; rester sur le secteur.",
                "urgency": Urgency.HIGH,
                "requested_date": today + datetime.timedelta(days=2),
                "status": RequestStatus.PROPOSED,
            },
        ),
        (
            2,
            "tdv_diffus",
            ProposalStatus.ACCEPTED,
            {
                "reference": "ASE-59-2026-0365",
                "last_name": "Doumbia",
                "first_names": "Kadiatou",
                "age": 16,
                "sex": "F",
                "needs": "Apprentissage en CAP cuisine à Tourcoing ; autonomie à consolider.",
                "urgency": Urgency.NORMAL,
                "requested_date": today,
                "status": RequestStatus.ACCEPTED,
            },
        ),
    ]:
        request = PlacementRequestFactory(
            consortium=gme, funder=org["departement"], filed_by=users["departement"], **fields
        )
        proposed = now - datetime.timedelta(days=days_ago)
        PlacementRequest.objects.filter(pk=request.pk).update(
            created_at=proposed - datetime.timedelta(days=1)
        )
        accepted = status == ProposalStatus.ACCEPTED
        proposal = Proposal.objects.create(
            request=request,
            site=sites[site_key],
            entry_date=fields["requested_date"],
            status=status,
            proposed_by=users["coordination"],
            answered_by=users["direction"] if accepted else None,
            answered_at=now - datetime.timedelta(days=1) if accepted else None,
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=proposed)
