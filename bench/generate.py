"""A national-size data set for the benchmarks, built with the demo's factories and bulk inserts.

Full scale (``--scale 1``): 100 départements, 300 missions locales, 600 associations,
100,000 youths, each co-accompanied by a mission locale, half of them with a consent,
300,000 notes; 100 GMEs of three associations with 15,000 housing places on 1,500 sites,
ten years of stays and the members' daily rates; 300 CEJ-JR partnerships, a pathway for
every youth, 500,000 contacts with the missions locales, 2,000,000 activities and 30,000
reviews. ``--scale 0.01`` gives a 1 % set for quick runs. Run it on an empty, migrated
database:

    DATABASE_URL=postgres://... .venv/bin/python -m bench.generate --scale 1
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time
from collections.abc import Iterator
from decimal import Decimal

BATCH = 5_000
BENCH_EMAIL = "bench@bench.coparcours.fr"
BENCH_COORDINATOR_EMAIL = "bench-coordination@bench.coparcours.fr"
#: The counsellor of the first mission locale (its home page is measured).
BENCH_COUNSELLOR_EMAIL = "conseiller0@bench.coparcours.fr"
#: Start of the memberships, assignments and consents; youths' contacts and notes follow it.
RECORDS_START = datetime.date(2020, 1, 1)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    """Fill the database; returns the number of rows created per kind."""
    from django.db import transaction

    from coparcours.organisations.models import OrganisationKind

    rng = random.Random(seed)
    n_departements = max(1, round(100 * scale))
    n_missions = max(1, round(300 * scale))
    n_associations = max(1, round(600 * scale))
    n_youths = max(10, round(100_000 * scale))
    departements = [f"{n:02d}" for n in range(1, 96) if n != 20][:n_departements]

    with transaction.atomic():
        organisations, by_kind = _organisations(
            departements, n_departements, n_missions, n_associations
        )
        associations = by_kind[OrganisationKind.ASSOCIATION]
        missions = by_kind[OrganisationKind.MISSION_LOCALE]
        users, referents, counsellors, bench_user = _users_and_memberships(associations, missions)
        youth_ids = _youths(rng, n_youths, associations, referents, bench_user)
        assignments, consents, notes = _youth_records(rng, youth_ids, missions)
        funder = by_kind[OrganisationKind.DEPARTEMENT]
        housing = _housing(rng, funder, associations, youth_ids, n_departements)
        cej = _cej(rng, funder, associations, missions, counsellors, youth_ids, scale)
    _analyze()
    return {
        "organisations": len(organisations),
        "users": len(users) + 2,
        "youths": len(youth_ids),
        "assignments": assignments,
        "consents": consents,
        "notes": notes,
        **housing,
        **cej,
    }


def _organisations(departements, n_departements: int, n_missions: int, n_associations: int):
    """Create the départements, missions locales and associations, and group them by kind."""
    from coparcours.organisations.factories import valid_siret
    from coparcours.organisations.models import Organisation, OrganisationKind

    organisations = [
        Organisation(
            kind=kind,
            name=f"{label} {n:04d}",
            siret=valid_siret(70_000_000 + offset + n),
            departement_code=departements[n % len(departements)],
            city="Commune",
        )
        for kind, label, count, offset in (
            (OrganisationKind.DEPARTEMENT, "Département", n_departements, 0),
            (OrganisationKind.MISSION_LOCALE, "Mission locale", n_missions, 1_000),
            (OrganisationKind.ASSOCIATION, "Association", n_associations, 5_000),
        )
        for n in range(count)
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    by_kind: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(name__regex=r" \d{4}$"):
        by_kind.setdefault(organisation.kind, []).append(organisation)
    return organisations, by_kind


def _users_and_memberships(associations, missions):
    """Create a referent per association, a counsellor per mission locale and the bench users."""
    from coparcours.accounts.factories import UserFactory
    from coparcours.accounts.models import User
    from coparcours.organisations.models import Membership, Role

    password = UserFactory.build().password  # hashed once, shared by every account
    users = [
        User(email=f"referent{n}@bench.coparcours.fr", password=password, last_name=f"R{n}")
        for n in range(len(associations))
    ] + [
        User(email=f"conseiller{n}@bench.coparcours.fr", password=password, last_name=f"C{n}")
        for n in range(len(missions))
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    users = list(User.objects.filter(email__endswith="@bench.coparcours.fr").order_by("pk"))
    referents, counsellors = users[: len(associations)], users[len(associations) :]
    start = RECORDS_START
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=o, role=Role.REFERENT, start_date=start)
            for u, o in zip(referents, associations, strict=True)
        ]
        + [
            Membership(user=u, organisation=o, role=Role.COUNSELLOR, start_date=start)
            for u, o in zip(counsellors, missions, strict=True)
        ],
        batch_size=BATCH,
    )
    bench_user = User.objects.create(
        email=BENCH_EMAIL, password=password, first_name="Banc", last_name="Essai"
    )
    Membership.objects.create(
        user=bench_user, organisation=associations[0], role=Role.REFERENT, start_date=start
    )
    coordinator = User.objects.create(
        email=BENCH_COORDINATOR_EMAIL, password=password, first_name="Banc", last_name="Coord"
    )
    Membership.objects.create(
        user=coordinator, organisation=associations[0], role=Role.COORDINATOR, start_date=start
    )
    return users, referents, counsellors, bench_user


def _youths(rng, n_youths: int, associations, referents, bench_user) -> list[tuple[int, int]]:
    """Create the youths, spread over the associations; returns their (pk, owner) pairs."""
    from coparcours.youths import rules
    from coparcours.youths.factories import YouthFactory
    from coparcours.youths.models import Youth

    start = RECORDS_START
    youths = []
    for n in range(n_youths):
        owner = n % len(associations)
        youth = YouthFactory.build(
            owner_organisation=associations[owner],
            referent=bench_user if owner == 0 else referents[owner],
        )
        youth.last_name_key = rules.search_key(youth.last_name)
        youth.first_name_key = rules.search_key(youth.first_names).split(" ")[0]
        youth.last_contact_on = start + datetime.timedelta(days=rng.randrange(2_000))
        youths.append(youth)
    for batch in _batches(youths):
        Youth.objects.bulk_create(batch)
    return list(Youth.objects.order_by("pk").values_list("pk", "owner_organisation_id"))


def _youth_records(rng, youth_ids, missions) -> tuple[int, int, int]:
    """Give every youth a mission locale, three notes and, one in two, a consent; counts them."""
    from coparcours.core.access import Category, Relation
    from coparcours.youths.models import Assignment, Consent, Note
    from coparcours.youths.models.consents import ConsentMethod

    start = RECORDS_START
    assignments, consents, notes = [], [], []
    for index, (youth_id, owner_id) in enumerate(youth_ids):
        mission = missions[index % len(missions)]
        assignments.append(
            Assignment(
                youth_id=youth_id,
                organisation=mission,
                relation=Relation.CEJ_PARTNER,
                role="Emploi et formation",
                start_date=start,
            )
        )
        if index % 2 == 0:
            consents.append(
                Consent(
                    youth_id=youth_id,
                    organisation=mission,
                    categories=[Category.CONTACT, Category.EDUCATION_EMPLOYMENT],
                    purpose="Co-accompagnement",
                    method=ConsentMethod.ORAL_WITH_WITNESS,
                    witness="Témoin",
                    start_date=start,
                    author_organisation_id=owner_id,
                )
            )
        for category in (Category.NOTES, Category.HOUSING, Category.EDUCATION_EMPLOYMENT):
            notes.append(
                Note(
                    youth_id=youth_id,
                    category=category,
                    title="Entretien",
                    text="Point d'étape sur le parcours.",
                    occurred_on=start + datetime.timedelta(days=rng.randrange(2_000)),
                    author_organisation_id=owner_id,
                )
            )
    for model, rows in ((Assignment, assignments), (Consent, consents), (Note, notes)):
        for batch in _batches(rows):
            model.objects.bulk_create(batch)
    return len(assignments), len(consents), len(notes)


def _analyze() -> None:
    """Planner statistics for the bulk-loaded tables: without them (autovacuum had not run
    yet) PostgreSQL guessed a few rows where there were thousands and chose slow plans."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


TODAY = datetime.date(2026, 11, 1)
HOUSING_START = TODAY.replace(year=TODAY.year - 10)
PLACES_PER_SITE = 10
SITES_PER_MEMBER = 5
CONTACTS_START = datetime.date(2021, 1, 1)
ACTIVITY_WEEKS = 20


def _housing(rng, departements, associations, youth_ids, n_gmes: int) -> dict[str, int]:
    """One GME of three associations per département, 150 places each on 15 sites, and ten
    years of stays: each place hosts one youth after another (1½ to 4½ years each), every
    youth of the hosting member at most once."""
    from coparcours.accounts.models import User
    from coparcours.finance.models import DailyRate
    from coparcours.housing.models import CapacityChange
    from coparcours.housing.models.sites import SiteKind
    from coparcours.organisations.models import Consortium, ConsortiumKind, Membership, Role

    gmes = Consortium.objects.bulk_create(
        [
            Consortium(
                kind=ConsortiumKind.GME,
                name=f"GME {n:03d}",
                funder=departements[n % len(departements)],
                start_date=HOUSING_START,
            )
            for n in range(min(n_gmes, len(associations) // 3))
        ]
    )
    members, sites = _gme_members_and_sites(gmes, associations)
    DailyRate.objects.bulk_create(
        [
            DailyRate(
                consortium=member.consortium,
                organisation=member.organisation,
                kind=kind,
                start_date=HOUSING_START,
                amount=Decimal("165.40") if kind == SiteKind.MECS else Decimal("98.75"),
                decision="Arrêté de tarification",
            )
            for member in members
            for kind in (SiteKind.MECS, SiteKind.DIFFUSE)
        ],
        batch_size=BATCH,
    )
    # The bench coordinator runs the lead member's billing in every GME (the billing job).
    coordinator = User.objects.get(email=BENCH_COORDINATOR_EMAIL)
    Membership.objects.bulk_create(
        [
            Membership(
                user=coordinator,
                organisation=member.organisation,
                role=Role.COORDINATOR,
                start_date=HOUSING_START,
            )
            for member in members
            if member.is_lead and member.organisation_id != associations[0].pk
        ]
    )
    CapacityChange.objects.bulk_create(
        [
            CapacityChange(
                site=site, places=PLACES_PER_SITE, planned_on=HOUSING_START, opened_on=HOUSING_START
            )
            for site in sites
        ],
        batch_size=BATCH,
    )
    n_stays = _stays(rng, sites, youth_ids)
    return {"gmes": len(gmes), "sites": len(sites), "stays": n_stays}


def _gme_members_and_sites(gmes, associations):
    """Make three associations members of each GME, each with ``SITES_PER_MEMBER`` sites."""
    from coparcours.housing.models import Site
    from coparcours.housing.models.sites import SiteKind
    from coparcours.organisations.models import ConsortiumMember

    members, sites = [], []
    for n, gme in enumerate(gmes):
        for rank, association in enumerate(associations[3 * n : 3 * n + 3]):
            members.append(
                ConsortiumMember(consortium=gme, organisation=association, is_lead=rank == 0)
            )
            sites += [
                Site(
                    consortium=gme,
                    organisation=association,
                    name=f"Site {association.pk}-{k}",
                    kind=SiteKind.MECS if k % 2 else SiteKind.DIFFUSE,
                    address="1 rue de la Gare",
                    postal_code="59000",
                    city="Commune",
                    min_age=11,
                    max_age=17,
                )
                for k in range(SITES_PER_MEMBER)
            ]
    ConsortiumMember.objects.bulk_create(members, batch_size=BATCH)
    sites = Site.objects.bulk_create(sites, batch_size=BATCH)
    return members, sites


def _stays(rng, sites, youth_ids) -> int:
    """Fill every place with one youth of its member after another until ``TODAY``."""
    from coparcours.core.access import Category
    from coparcours.housing.models import Stay

    pools: dict[int, list[int]] = {}
    for youth_id, owner_id in youth_ids:
        pools.setdefault(owner_id, []).append(youth_id)
    stays = []
    for site in sites:
        pool = pools.get(site.organisation_id, [])
        for _place in range(PLACES_PER_SITE):
            day = HOUSING_START + datetime.timedelta(days=rng.randrange(60))
            while pool and day < TODAY:
                end = day + datetime.timedelta(days=rng.randrange(550, 1_650))
                stays.append(
                    Stay(
                        youth_id=pool.pop(),
                        site=site,
                        category=Category.HOUSING,
                        author_organisation_id=site.organisation_id,
                        start_date=day,
                        end_date=end if end <= TODAY else None,
                        exit_reason="majority" if end <= TODAY else "",
                    )
                )
                day = end
    for batch in _batches(stays):
        Stay.objects.bulk_create(batch)
    return len(stays)


def _cej(
    rng, departements, associations, missions, counsellors, youth_ids, scale: float
) -> dict[str, int]:
    """One CEJ-JR partnership per mission locale with the two associations that share its
    youths; a pathway for every youth (the eligibility benchmark runs over 100,000), followed
    by the mission locale's counsellor; five contacts per youth on average; twenty weekly
    activities per pathway over the twenty weeks before ``TODAY`` (2,000,000 at full scale),
    shared between the porteur and the mission locale; a 3-month review for 30 % of the
    pathways, rated on every dimension by the porteur. Rows are inserted batch by batch,
    never all held in memory."""
    from coparcours.cej.models import PartnershipSettings, Pathway
    from coparcours.cej.rules import Stage
    from coparcours.organisations.models import Consortium, ConsortiumKind, ConsortiumMember

    partnerships = Consortium.objects.bulk_create(
        [
            Consortium(
                kind=ConsortiumKind.CEJ_JR,
                name=f"CEJ-JR {mission.name}",
                funder=departements[n % len(departements)],
                start_date=datetime.date(2023, 1, 1),
            )
            for n, mission in enumerate(missions)
        ]
    )
    members, settings_rows = [], []
    for n, (partnership, mission) in enumerate(zip(partnerships, missions, strict=True)):
        porteurs = associations[n :: len(missions)][:2]
        members += [ConsortiumMember(consortium=partnership, organisation=mission)] + [
            ConsortiumMember(consortium=partnership, organisation=porteur, is_lead=rank == 0)
            for rank, porteur in enumerate(porteurs)
        ]
        settings_rows.append(
            PartnershipSettings(partnership=partnership, departement_code=mission.departement_code)
        )
    ConsortiumMember.objects.bulk_create(members, batch_size=BATCH)
    PartnershipSettings.objects.bulk_create(settings_rows, batch_size=BATCH)

    stages = [Stage.IDENTIFIED, Stage.PRE_CEJ, Stage.REMOBILISATION] + [Stage.CONTRACT] * 6
    for batch in _batches(list(enumerate(youth_ids))):
        Pathway.objects.bulk_create(
            [
                _pathway(
                    rng, index, youth_id, owner_id, partnerships, missions, counsellors, stages
                )
                for index, (youth_id, owner_id) in batch
            ]
        )
    pathways = list(
        Pathway.objects.order_by("pk").values_list(
            "pk", "youth_id", "author_organisation_id", "mission_locale_id"
        )
    )
    n_contacts = _contacts(rng, pathways, round(500_000 * scale))
    n_activities = _activities(rng, pathways)
    n_reviews, n_ratings = _reviews(rng, pathways)
    return {
        "partnerships": len(partnerships),
        "pathways": len(pathways),
        "contacts": n_contacts,
        "activities": n_activities,
        "reviews": n_reviews,
        "ratings": n_ratings,
    }


def _contacts(rng, pathways, n_contacts: int) -> int:
    """Create the missions locales' imported contacts, round-robin over the pathways."""
    from coparcours.cej.models import Contact
    from coparcours.cej.models.eligibility import ContactSource
    from coparcours.cej.rules import Channel, is_substantial
    from coparcours.core.access import Category

    channels = list(Channel.values)
    for start in range(0, n_contacts, BATCH):
        contacts = []
        for n in range(start, min(start + BATCH, n_contacts)):
            _pathway_id, youth_id, _owner, mission_id = pathways[n % len(pathways)]
            channel = rng.choice(channels)
            answered, intends = rng.random() < 0.6, rng.random() < 0.5
            contacts.append(
                Contact(
                    youth_id=youth_id,
                    category=Category.EDUCATION_EMPLOYMENT,
                    author_organisation_id=mission_id,
                    occurred_on=CONTACTS_START + datetime.timedelta(days=rng.randrange(2_100)),
                    channel=channel,
                    answered=answered,
                    intends_to_continue=intends,
                    is_substantial=is_substantial(channel, answered, intends),
                    source=ContactSource.IMPORTED,
                )
            )
        Contact.objects.bulk_create(contacts)
    return n_contacts


def _activities(rng, pathways) -> int:
    """Create a weekly activity per pathway, by the porteur and the mission locale in turn."""
    from coparcours.cej.models import Activity
    from coparcours.cej.models.hours import ActivityKind
    from coparcours.core.access import Category

    kinds = [kind for kind in ActivityKind.values if kind != ActivityKind.HEALTH]
    first_monday = TODAY - datetime.timedelta(days=TODAY.weekday() + 7 * ACTIVITY_WEEKS)
    n_activities = 0
    for batch in _batches(pathways, BATCH // ACTIVITY_WEEKS):
        activities = []
        for pathway_id, youth_id, owner_id, mission_id in batch:
            for week in range(ACTIVITY_WEEKS):
                starts_at = datetime.datetime.combine(
                    first_monday + datetime.timedelta(days=7 * week + rng.randrange(5)),
                    datetime.time(9, 0),
                    tzinfo=datetime.UTC,
                )
                duration = rng.choice((120, 180, 240, 300))
                activities.append(
                    Activity(
                        pathway_id=pathway_id,
                        youth_id=youth_id,
                        category=Category.EDUCATION_EMPLOYMENT,
                        author_organisation_id=owner_id,
                        kind=rng.choice(kinds),
                        title="Atelier",
                        starts_at=starts_at,
                        duration_minutes=duration,
                        ends_at=starts_at + datetime.timedelta(minutes=duration),
                        organisation_id=owner_id if week % 2 else mission_id,
                        attended=rng.random() < 0.85,
                    )
                )
        Activity.objects.bulk_create(activities)
        n_activities += len(activities)
    return n_activities


def _reviews(rng, pathways) -> tuple[int, int]:
    """Create a 3-month review for 30 % of the pathways, rated by the porteur; counts them."""
    from coparcours.cej.models import Review, ReviewRating
    from coparcours.cej.models.plan import DIMENSION_CATEGORIES, Dimension
    from coparcours.cej.models.reviews import Rater
    from coparcours.core.access import Category

    reviewed = [row for n, row in enumerate(pathways) if n % 10 < 3]
    for batch in _batches(reviewed):
        Review.objects.bulk_create(
            [
                Review(
                    pathway_id=pathway_id,
                    youth_id=youth_id,
                    category=Category.EDUCATION_EMPLOYMENT,
                    author_organisation_id=owner_id,
                    milestone_months=3,
                    due_on=TODAY - datetime.timedelta(days=30),
                    held_on=TODAY - datetime.timedelta(days=rng.randrange(20, 40)),
                    next_steps="Poursuivre les démarches engagées.",
                )
                for pathway_id, youth_id, owner_id, _mission in batch
            ]
        )
    reviews = Review.objects.order_by("pk").values_list("pk", "youth_id", "author_organisation_id")
    n_ratings = 0
    for batch in _batches(list(reviews), BATCH // len(Dimension)):
        ratings = [
            ReviewRating(
                review_id=review_id,
                youth_id=youth_id,
                category=DIMENSION_CATEGORIES[dimension],
                author_organisation_id=owner_id,
                dimension=dimension,
                rater=Rater.PORTEUR,
                score=rng.randint(1, 4),
            )
            for review_id, youth_id, owner_id in batch
            for dimension in Dimension.values
        ]
        ReviewRating.objects.bulk_create(ratings)
        n_ratings += len(ratings)
    return len(reviewed), n_ratings


def _pathway(rng, index, youth_id, owner_id, partnerships, missions, counsellors, stages):
    from coparcours.cej.models import Pathway
    from coparcours.cej.models.pathway import Registration
    from coparcours.core.access import Category

    identified = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(600))
    stage = stages[index % len(stages)]
    return Pathway(
        youth_id=youth_id,
        category=Category.EDUCATION_EMPLOYMENT,
        author_organisation_id=owner_id,
        partnership=partnerships[index % len(missions)],
        mission_locale=missions[index % len(missions)],
        counsellor=counsellors[index % len(missions)],
        identified_on=identified,
        spotted_where="Quartier",
        spotted_by="Prévention spécialisée",
        spotted_how="street",
        registration=Registration.REGISTERED,
        registered_on=identified - datetime.timedelta(days=730),
        stage=stage,
        stage_since=identified,
        contract_start=identified + datetime.timedelta(days=60) if stage == "contract" else None,
        contract_months=12 if stage == "contract" else None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national size")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coparcours.settings")
    import django

    django.setup()
    began = time.perf_counter()
    counts = generate(args.scale)
    elapsed = time.perf_counter() - began
    print(", ".join(f"{count:,} {kind}" for kind, count in counts.items()), f"in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
