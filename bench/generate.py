"""A national-size data set for the benchmarks, built with the demo's factories and bulk inserts.

Full scale (``--scale 1``): 100 départements, 300 missions locales, 600 associations,
100,000 youths, each co-accompanied by a mission locale, half of them with a consent,
300,000 notes; 100 GMEs of three associations with 15,000 housing places on 1,500 sites and
ten years of stays; 300 CEJ-JR partnerships, a pathway for every youth and 500,000 contacts with the
missions locales. ``--scale 0.01`` gives a 1 % set for quick runs. Run it on an empty,
migrated database:

    DATABASE_URL=postgres://... .venv/bin/python -m bench.generate --scale 1
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time
from collections.abc import Iterator

BATCH = 5_000
BENCH_EMAIL = "bench@bench.coparcours.fr"
BENCH_COORDINATOR_EMAIL = "bench-coordination@bench.coparcours.fr"


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    """Fill the database; returns the number of rows created per kind."""
    from django.db import transaction

    from coparcours.accounts.factories import UserFactory
    from coparcours.accounts.models import User
    from coparcours.core.access import Category, Relation
    from coparcours.organisations.factories import valid_siret
    from coparcours.organisations.models import Membership, Organisation, OrganisationKind, Role
    from coparcours.youths import rules
    from coparcours.youths.factories import YouthFactory
    from coparcours.youths.models import Assignment, Consent, ConsentMethod, Note, Youth

    rng = random.Random(seed)
    n_departements = max(1, round(100 * scale))
    n_missions = max(1, round(300 * scale))
    n_associations = max(1, round(600 * scale))
    n_youths = max(10, round(100_000 * scale))
    departements = [f"{n:02d}" for n in range(1, 96) if n != 20][:n_departements]

    with transaction.atomic():
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
        associations = by_kind[OrganisationKind.ASSOCIATION]
        missions = by_kind[OrganisationKind.MISSION_LOCALE]

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
        start = datetime.date(2020, 1, 1)
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
        youth_ids = list(Youth.objects.order_by("pk").values_list("pk", "owner_organisation_id"))

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
        funder = by_kind[OrganisationKind.DEPARTEMENT]
        housing = _housing(rng, funder, associations, youth_ids, n_departements)
        cej = _cej(rng, funder, associations, missions, youth_ids, scale)
    return {
        "organisations": len(organisations),
        "users": len(users) + 2,
        "youths": len(youth_ids),
        "assignments": len(assignments),
        "consents": len(consents),
        "notes": len(notes),
        **housing,
        **cej,
    }


TODAY = datetime.date(2026, 11, 1)
HOUSING_START = TODAY.replace(year=TODAY.year - 10)
PLACES_PER_SITE = 10
SITES_PER_MEMBER = 5
CONTACTS_START = datetime.date(2021, 1, 1)


def _housing(rng, departements, associations, youth_ids, n_gmes: int) -> dict[str, int]:
    """One GME of three associations per département, 150 places each on 15 sites, and ten
    years of stays: each place hosts one youth after another (1½ to 4½ years each), every
    youth of the hosting member at most once."""
    from coparcours.core.access import Category
    from coparcours.housing.models import CapacityChange, Site, SiteKind, Stay
    from coparcours.organisations.models import Consortium, ConsortiumKind, ConsortiumMember

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
    CapacityChange.objects.bulk_create(
        [
            CapacityChange(
                site=site, places=PLACES_PER_SITE, planned_on=HOUSING_START, opened_on=HOUSING_START
            )
            for site in sites
        ],
        batch_size=BATCH,
    )
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
    return {"gmes": len(gmes), "sites": len(sites), "stays": len(stays)}


def _cej(rng, departements, associations, missions, youth_ids, scale: float) -> dict[str, int]:
    """One CEJ-JR partnership per mission locale with the two associations that share its
    youths; a pathway for every youth (the eligibility benchmark runs over 100,000); five
    contacts per youth on average."""
    from coparcours.cej.models import (
        Contact,
        ContactSource,
        PartnershipSettings,
        Pathway,
        Registration,
    )
    from coparcours.cej.rules import Channel, Stage, is_substantial
    from coparcours.core.access import Category
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

    stages = list(Stage.values)
    channels = list(Channel.values)
    pathways, contacts = [], []
    n_contacts = round(500_000 * scale)
    for index, (youth_id, owner_id) in enumerate(youth_ids):
        mission = missions[index % len(missions)]
        identified = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        pathways.append(
            Pathway(
                youth_id=youth_id,
                category=Category.EDUCATION_EMPLOYMENT,
                author_organisation_id=owner_id,
                partnership=partnerships[index % len(missions)],
                mission_locale=mission,
                identified_on=identified,
                spotted_where="Quartier",
                spotted_by="Prévention spécialisée",
                spotted_how="street",
                registration=Registration.REGISTERED,
                registered_on=identified - datetime.timedelta(days=730),
                stage=stages[index % len(stages)],
                stage_since=identified,
            )
        )
    for n in range(n_contacts):
        youth_id, _owner = youth_ids[n % len(youth_ids)]
        channel = rng.choice(channels)
        answered, intends = rng.random() < 0.6, rng.random() < 0.5
        contacts.append(
            Contact(
                youth_id=youth_id,
                category=Category.EDUCATION_EMPLOYMENT,
                author_organisation=missions[(n % len(youth_ids)) % len(missions)],
                occurred_on=datetime.date(2021, 1, 1)
                + datetime.timedelta(days=rng.randrange(2_100)),
                channel=channel,
                answered=answered,
                intends_to_continue=intends,
                is_substantial=is_substantial(channel, answered, intends),
                source=ContactSource.IMPORTED,
            )
        )
    for model, rows in ((Pathway, pathways), (Contact, contacts)):
        for batch in _batches(rows):
            model.objects.bulk_create(batch)
    return {"partnerships": len(partnerships), "pathways": len(pathways), "contacts": n_contacts}


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
