"""The Nord demonstration: a GME of three associations hosting unaccompanied minors for the
Département du Nord, and a CEJ-JR partnership in Lille (docs/domain-rules.md).

Organisation identifiers (SIRET) are generated, valid but fictitious; people are invented.
The same generator feeds the tests and, at scale, the benchmarks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from coparcours.accounts.factories import DEFAULT_PASSWORD, UserFactory
from coparcours.accounts.models import User
from coparcours.core.access import Relation
from coparcours.demo.cej import load_cej_co_accompaniment
from coparcours.demo.cej_programme import load_cej_programme
from coparcours.demo.cej_volume import load_cej_volume
from coparcours.demo.finance import load_finance_demo
from coparcours.demo.gme_volume import load_gme_volume
from coparcours.demo.housing import load_housing_demo
from coparcours.demo.needs import load_needs_demo
from coparcours.demo.orientations import load_orientations_demo
from coparcours.demo.quality import load_quality_demo
from coparcours.demo.reporting import load_reporting_demo
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    MembershipFactory,
    OrganisationFactory,
    valid_siret,
)
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    Organisation,
    OrganisationKind,
    Role,
)
from coparcours.youths.factories import (
    AssignmentFactory,
    ConsentFactory,
    NoteFactory,
    YouthFactory,
)
from coparcours.youths.models import Youth
from coparcours.youths.models.records import AgeAssessment

DEMO_DOMAIN = "demo.coparcours.fr"


def next_renewal(start: datetime.date, *, years: int) -> datetime.date:
    """The convention's next renewal after today: every ``years`` from its start."""
    renewal = start
    while renewal <= datetime.date.today():
        renewal = renewal.replace(year=renewal.year + years)
    return renewal


@dataclass
class NordDemo:
    departement: Organisation
    dreets: Organisation
    alefpa: Organisation
    temps_de_vie: Organisation
    asrl: Organisation
    porteur: Organisation
    mission_locale: Organisation
    gme: Consortium
    cej_jr: Consortium
    users: dict[str, User]


def _organisation(n: int, kind: str, name: str, address: str, postal_code: str, city: str):
    """A member of the demo, its reception on a number kept for fiction (ARCEP: 03 53 73)."""
    return OrganisationFactory(
        kind=kind,
        name=name,
        siret=valid_siret(59_000_000 + n),
        address=address,
        postal_code=postal_code,
        city=city,
        departement_code="59",
        phone=f"03 53 73 00 {n:02d}",
    )


#: The professional numbers the field people gave for youths (kept for fiction: 03 53 73).
DEMO_WORK_PHONES = {"referente": "03 53 73 01 01", "conseiller": "03 53 73 01 02"}

# (login, first name, last name, [(organisation attribute, role)], staff)
DEMO_PEOPLE = [
    ("admin", "Camille", "Lefebvre", [("alefpa", Role.ADMINISTRATOR)], True),
    ("coordination", "Nadia", "Benali", [("alefpa", Role.COORDINATOR)], False),
    ("referente", "Julie", "Dumont", [("porteur", Role.REFERENT), ("asrl", Role.REFERENT)], False),
    ("conseiller", "Karim", "Haddad", [("mission_locale", Role.COUNSELLOR)], False),
    ("finances", "Olivier", "Vasseur", [("alefpa", Role.FINANCE_OFFICER)], False),
    ("direction", "Sophie", "Delattre", [("temps_de_vie", Role.DIRECTOR)], False),
    ("qualite", "Marc", "Carpentier", [("asrl", Role.QUALITY_DIRECTOR)], False),
    ("departement", "Hélène", "Lemaire", [("departement", Role.FUNDER_VIEWER)], False),
    ("dreets", "Thomas", "Gosselin", [("dreets", Role.FUNDER_VIEWER)], False),
    ("dpo", "Élise", "Marchand", [("alefpa", Role.DATA_PROTECTION_OFFICER)], False),
]


def demo_email(login: str) -> str:
    return f"{login}@{DEMO_DOMAIN}"


@transaction.atomic
def load_nord_demo(field_scale: bool = False) -> NordDemo:
    """Create (or find again) the Nord demonstration data; running it twice changes nothing.

    The tests' fixture is the small demo; ``field_scale`` (``coparcours load_demo``) adds
    the GME's ~1,000 hosted minors and their history since 2018, billed and paid over the
    last year, and the CEJ-JR partnership's ~80 pathways (``gme_volume``, ``cej_volume``)."""
    org = {
        "departement": _organisation(
            1,
            OrganisationKind.DEPARTEMENT,
            "Département du Nord",
            "51 rue Gustave Delory",
            "59000",
            "Lille",
        ),
        "dreets": _organisation(
            2,
            OrganisationKind.DREETS,
            "DREETS Hauts-de-France",
            "Immeuble Axe Europe, 55 avenue du Président Kennedy",
            "59000",
            "Lille",
        ),
        "alefpa": _organisation(
            3, OrganisationKind.ASSOCIATION, "Alefpa", "199-201 rue Colbert", "59000", "Lille"
        ),
        "temps_de_vie": _organisation(
            4, OrganisationKind.ASSOCIATION, "Temps de vie", "12 rue de Valmy", "59100", "Roubaix"
        ),
        "asrl": _organisation(
            5, OrganisationKind.ASSOCIATION, "ASRL", "199 rue Solférino", "59000", "Lille"
        ),
        "porteur": _organisation(
            6,
            OrganisationKind.ASSOCIATION,
            "Rebond Jeunes Lille (porteur CEJ-JR)",
            "8 rue d'Arras",
            "59000",
            "Lille",
        ),
        "mission_locale": _organisation(
            7,
            OrganisationKind.MISSION_LOCALE,
            "Mission locale de Lille",
            "1 rue Kléber",
            "59000",
            "Lille",
        ),
    }
    gme = ConsortiumFactory(
        name="GME MNA Nord",
        kind=ConsortiumKind.GME,
        funder=org["departement"],
        start_date=datetime.date(2018, 11, 15),
        renewal_date=next_renewal(datetime.date(2018, 11, 15), years=3),
    )
    if not gme.members.exists():
        for key in ("alefpa", "temps_de_vie", "asrl"):
            ConsortiumMemberFactory(consortium=gme, organisation=org[key], is_lead=key == "alefpa")
    cej_jr = ConsortiumFactory(
        name="CEJ-JR Lille",
        kind=ConsortiumKind.CEJ_JR,
        funder=org["dreets"],
        start_date=datetime.date(2022, 9, 1),
    )
    if not cej_jr.members.exists():
        ConsortiumMemberFactory(consortium=cej_jr, organisation=org["porteur"], is_lead=True)
        ConsortiumMemberFactory(consortium=cej_jr, organisation=org["mission_locale"])

    users = {}
    for login, first_name, last_name, roles, staff in DEMO_PEOPLE:
        user = UserFactory(
            email=demo_email(login),
            first_name=first_name,
            last_name=last_name,
            work_phone=DEMO_WORK_PHONES.get(login, ""),
            is_staff=staff,
            is_superuser=staff,
        )
        for key, role in roles:
            if not user.memberships.filter(organisation=org[key], role=role).exists():
                MembershipFactory(
                    user=user,
                    organisation=org[key],
                    role=role,
                    start_date=datetime.date(2022, 1, 1),
                )
        users[login] = user
    _demo_youths(org, users)
    load_housing_demo(org, users, gme)
    if field_scale:
        load_gme_volume(gme, org, users)
    _demo_cej(org, users, cej_jr)
    load_cej_co_accompaniment(org, users, cej_jr)
    load_cej_programme(org, users, cej_jr)
    if field_scale:
        load_cej_volume(cej_jr, org, users)
    _demo_partner_news(org, users)
    _demo_data_protection(org, users)
    _demo_directory(org)
    load_needs_demo(org, users)
    load_finance_demo(gme, org, users, months=12 if field_scale else 3)
    load_reporting_demo(org, users)
    load_orientations_demo(users, gme, cej_jr)
    if field_scale:
        load_quality_demo(gme, cej_jr, org, users)
    return NordDemo(**org, gme=gme, cej_jr=cej_jr, users=users)


# (owner, referent login, last name, first names, sex, birth date, MNA, partner, shared)
DEMO_YOUTHS = [
    ("asrl", "referente", "Diallo", "Mamadou", "M", (2009, 3, 14), True, "alefpa", ["housing"]),
    ("asrl", "referente", "Traoré", "Awa", "F", (2008, 11, 2), True, None, []),
    ("alefpa", "coordination", "Keita", "Moussa Ibrahim", "M", (2008, 6, 30), True, None, []),
    ("temps_de_vie", "direction", "Camara", "Fatoumata", "F", (2009, 1, 20), True, None, []),
    (
        "porteur",
        "referente",
        "Martin",
        "Lucas",
        "M",
        (2004, 9, 8),
        False,
        "mission_locale",
        ["contact", "education_employment", "admin_documents"],
    ),
    ("porteur", "referente", "Petit", "Inès", "F", (2003, 5, 17), False, "mission_locale", []),
]


def _demo_youths(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """A few accompanied youths, some co-accompanied, one with a consent to share."""
    if Youth.objects.filter(owner_organisation__in=org.values()).exists():
        return
    for owner, referent, last, first, sex, born, mna, partner, shared in DEMO_YOUTHS:
        youth = YouthFactory(
            owner_organisation=org[owner],
            referent=users[referent],
            last_name=last,
            first_names=first,
            sex=sex,
            birth_date=datetime.date(*born),
            birth_date_is_declared=mna,
            is_unaccompanied_minor=mna,
            age_assessment=AgeAssessment.MINOR if mna else "",
            ase_service="ASE du Nord — Direction territoriale Lille" if mna else "",
            guardian="Président du Département du Nord (tutelle)" if mna else "",
            languages="Bambara, Français" if mna else "Français",
        )
        if partner:
            AssignmentFactory(
                youth=youth,
                organisation=org[partner],
                relation=Relation.CEJ_PARTNER if partner == "mission_locale" else Relation.HOSTING,
                role=(
                    "Accompagnement vers l'emploi et la formation"
                    if partner == "mission_locale"
                    else "Hébergement en maison d'enfants"
                ),
                start_date=datetime.date(2025, 9, 1),
            )
        if shared:
            ConsentFactory(
                youth=youth,
                organisation=org[partner],
                categories=shared,
                purpose="Co-accompagnement du parcours",
                given_by="both" if mna else "youth",
                start_date=datetime.date(2025, 9, 1),
                author_organisation=org[owner],
            )
        NoteFactory(
            youth=youth,
            category="notes",
            title="Premier entretien",
            text="Entretien d'accueil ; besoins exprimés et premières démarches.",
            occurred_on=datetime.date(2025, 9, 2),
            author_organisation=org[owner],
            author=users[referent],
        )


#: What partners wrote this week: ((youth's last and first names), author, login, category,
#: days ago, title, text). Each reads it as far as Lucas's, Sarah's and Mamadou's shares open it.
DEMO_PARTNER_NOTES = [
    (
        ("Roussel", "Sarah"),
        "mission_locale",
        "conseiller",
        "education_employment",
        2,
        "Dossier d'inscription au CAP cuisine déposé",
        "Dossier déposé au lycée hôtelier ; entretien de motivation prévu en janvier.",
    ),
    (  # the mission locale's own note: Sarah has not shared it with the porteur
        ("Roussel", "Sarah"),
        "mission_locale",
        "conseiller",
        "notes",
        1,
        "Échange avec Sarah sur sa situation familiale",
        "Sarah évoque des tensions avec sa sœur ; à reprendre au prochain rendez-vous.",
    ),
    (
        ("Martin", "Lucas"),
        "porteur",
        "referente",
        "education_employment",
        1,
        "Atelier CV et simulation d'entretien",
        "Lucas a préparé son CV pour l'E2C ; simulation d'entretien à refaire.",
    ),
    (
        ("Diallo", "Mamadou"),
        "alefpa",
        "coordination",
        "identity",
        3,
        "Acte de naissance transmis par le consulat",
        "Copie intégrale reçue : la date de naissance déclarée est confirmée.",
    ),
]


def _demo_partner_news(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """What each partner wrote on a youth this week (:data:`DEMO_PARTNER_NOTES`)."""
    today = datetime.date.today()
    for (
        last_name,
        first_names,
    ), author, login, category, days_ago, title, text in DEMO_PARTNER_NOTES:
        youth = Youth.objects.filter(
            owner_organisation__in=org.values(), last_name=last_name, first_names=first_names
        ).first()
        if youth is None or youth.notes.filter(title=title).exists():
            continue
        NoteFactory(
            youth=youth,
            category=category,
            title=title,
            text=text,
            occurred_on=today - datetime.timedelta(days=days_ago),
            author_organisation=org[author],
            author=users[login],
        )


def _demo_data_protection(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """Moussa Keita's request to erase his record, received three weeks ago and still to
    decide, and an administrator's exceptional read of his identity to correct it."""
    from coparcours.core.access import Category, break_glass_read
    from coparcours.youths.models import ErasureRequest
    from coparcours.youths.models.erasure import ErasureRequester

    keita = Youth.objects.get(
        owner_organisation=org["alefpa"], last_name="Keita", first_names="Moussa Ibrahim"
    )
    if keita.erasure_requests.exists():
        return
    ErasureRequest.objects.create(  # as recorded at the time, before the demo's audit log
        youth=keita,
        received_on=datetime.date.today() - datetime.timedelta(days=24),
        requester=ErasureRequester.YOUTH,
        reason="Sorti du dispositif à sa majorité, Moussa demande que son dossier soit "
        "effacé (RGPD art. 17) : il ne souhaite plus être suivi.",
        author_organisation=org["alefpa"],
        recorded_by=users["coordination"],
    )
    break_glass_read(
        users["admin"],
        keita,
        Category.IDENTITY,
        "Demande de rectification de la date de naissance par le jeune (RGPD art. 16), "
        "transmise par la coordination.",
    )


def demo_logins(demo: NordDemo) -> list[tuple[str, str, str]]:
    """(e-mail, password, roles and organisations) of every demo account, for the printout."""
    rows = []
    for user in demo.users.values():
        roles = ", ".join(
            f"{membership.get_role_display()} ({membership.organisation})"
            for membership in user.memberships.select_related("organisation")
        )
        rows.append((user.email, DEFAULT_PASSWORD, roles))
    return rows


# --- Territory directory ----------------------------------------------------------------------


def _demo_directory(org: dict[str, Organisation]) -> None:
    """Structures, services and schemes around Lille; the mission locale uses Coparcours.
    The partners' shared guides and meetings."""
    from coparcours.demo.directory_partners import load_partner_demo
    from coparcours.directory.factories import load_nord_directory

    load_nord_directory({"coparcours-demo-nord--ml-lille": org["mission_locale"]})
    load_partner_demo()


# --- CEJ-JR Lille -----------------------------------------------------------------------------


def _demo_cej(org: dict[str, Organisation], users: dict[str, User], cej_jr: Consortium) -> None:
    """The CEJ-JR Lille partnership's settings and youths at several stages, with their
    contacts with the mission locale and last week's integration committee."""
    from django.apps import apps

    from coparcours.cej.defaults import load_regulation_defaults
    from coparcours.cej.models import FollowUpPreference, PartnershipSettings, Pathway
    from coparcours.cej.models.committee import DecisionKind
    from coparcours.cej.services.committee import create_meeting, record_decision
    from coparcours.cej.services.contacts import add_contact
    from coparcours.cej.services.dossier import collect_item, prepare_dossier
    from coparcours.cej.services.outreach import record_outreach

    load_regulation_defaults(apps)  # gone after a transactional test's flush
    settings, _ = PartnershipSettings.objects.get_or_create(
        partnership=cej_jr, defaults={"departement_code": "59", "minimum_weekly_hours": 15}
    )
    FollowUpPreference.objects.get_or_create(
        settings=settings,
        mission_locale=org["mission_locale"],
        defaults={"detail": "per_activity", "porteur_may_relay": True},
    )
    if Pathway.objects.filter(partnership=cej_jr).exists():
        return
    referent, porteur = users["referente"], org["porteur"]
    today = datetime.date.today()
    entered = today - datetime.timedelta(days=20)
    committee = today - datetime.timedelta(
        days=(today.weekday() - settings.committee_weekday) % 7 or 7
    )
    lucas = Youth.objects.get(owner_organisation=porteur, last_name="Martin")
    ines = Youth.objects.get(owner_organisation=porteur, last_name="Petit")
    outreach = {
        "identified_on": entered,
        "spotted_by": "Équipe de prévention spécialisée de Lille-Moulins",
        "spotted_how": "street",
        "registration": "registered",
    }
    pathways = {
        "lucas": record_outreach(
            referent,
            porteur,
            cej_jr,
            youth=lucas,
            spotted_where="Maraude, gare Lille-Flandres",
            **outreach,
        ),
        "ines": record_outreach(
            referent,
            porteur,
            cej_jr,
            youth=ines,
            spotted_where="Accueil de jour, rue Solférino",
            **outreach,
        ),
    }
    contacts = [
        ("lucas", 240, "interview", True, True),
        ("lucas", 30, "sms", False, False),
        ("ines", 60, "call", True, True),
        ("ines", 25, "sms", True, False),
    ]
    for key, days_ago, channel, answered, intends in contacts:
        add_contact(
            referent,
            porteur,
            pathways[key],
            occurred_on=today - datetime.timedelta(days=days_ago),
            channel=channel,
            answered=answered,
            intends_to_continue=intends,
        )
    meeting = create_meeting(
        referent,
        porteur,
        cej_jr,
        date=committee,
        participants="Julie Dumont (Rebond Jeunes), Karim Haddad (Mission locale de Lille)",
    )
    for key, kind in (("lucas", DecisionKind.REMOBILISATION), ("ines", DecisionKind.PRE_CEJ)):
        record_decision(
            referent,
            porteur,
            meeting,
            pathways[key],
            kind=kind,
            decided_by="Julie Dumont (porteur) et Karim Haddad (mission locale)",
        )
    pathways["lucas"].refresh_from_db()
    first, *_ = prepare_dossier(referent, porteur, pathways["lucas"])
    collect_item(referent, porteur, first, on=committee)
    record_outreach(
        referent,
        porteur,
        cej_jr,
        youth_fields={
            "last_name": "Lambert",
            "first_names": "Rayan",
            "sex": "M",
            "birth_date": datetime.date(2005, 12, 3),
            "referent": referent,
        },
        identified_on=today - datetime.timedelta(days=3),
        spotted_where="Permanence au foyer de jeunes travailleurs",
        spotted_by="Foyer de jeunes travailleurs de Lille",
        spotted_how="partner",
        registration="never",
    )
