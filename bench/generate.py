"""A national-size data set for the benchmarks, built with the demo's factories and bulk inserts.

Full scale (``--scale 1``): 100 départements, 300 missions locales, 600 associations,
100,000 youths, each co-accompanied by a mission locale, half of them with a consent,
300,000 notes. ``--scale 0.01`` gives a 1 % set for quick runs. Run it on an empty,
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
    return {
        "organisations": len(organisations),
        "users": len(users) + 1,
        "youths": len(youth_ids),
        "assignments": len(assignments),
        "consents": len(consents),
        "notes": len(notes),
    }


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
