"""Directory search over 100,000 services: time and SQL queries per search.

Generates 10,000 structures and 100,000 services in the data·inclusion shape (accented
names and descriptions, two thématiques and one public each, communes of several
départements), then measures the searches of the directory page and API: free text
(accent-insensitive), theme + commune, public + département + text, a text found nowhere.
Each search is timed as the page does it (count + first page of 20, with its details) and
as a full request of the page and of the API; figures are the median of 5 runs.

    .venv/bin/python -m bench.directory_search [--services 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coparcours_directory_bench \\
        .venv/bin/python -m bench.directory_search

Without DATABASE_URL it uses a scratch SQLite file (in COPARCOURS_DATA_DIR when set, so
that a second run reuses it). Services already generated are reused. On PostgreSQL, it
also prints the plans of the free-text search (the trigram index of migration 0002).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000
RUNS = 5

COMMUNES = [
    ("Lille", "59000", "59350"),
    ("Roubaix", "59100", "59512"),
    ("Tourcoing", "59200", "59599"),
    ("Villeneuve-d'Ascq", "59650", "59009"),
    ("Valenciennes", "59300", "59606"),
    ("Arras", "62000", "62041"),
    ("Lens", "62300", "62498"),
    ("Amiens", "80000", "80021"),
    ("Beauvais", "60000", "60057"),
    ("Saint-Quentin", "02100", "02691"),
    ("Paris", "75011", "75111"),
    ("Créteil", "94000", "94028"),
    ("Évry-Courcouronnes", "91000", "91228"),
    ("Rennes", "35000", "35238"),
    ("Besançon", "25000", "25056"),
]
WORDS = [
    "accompagnement", "écoute", "accès", "droits", "hébergement", "santé", "mentale",
    "insertion", "emploi", "formation", "mobilité", "numérique", "parentalité", "logement",
    "alimentation", "jeunes", "orientation", "permanence", "atelier", "démarches",
]  # fmt: skip

SEARCHES = [
    ("sans filtre (première page)", {}),
    ("texte « santé mentale »", {"text": "santé mentale"}),
    ("texte « SANTE mentale Lille »", {"text": "SANTE mentale Lille"}),
    ("thème santé mentale + Lille", {"theme": "sante--sante-mentale", "commune": "Lille"}),
    ("jeunes + 59 + « logement »", {"public": "jeunes", "departement": "59", "text": "logement"}),
    ("catégorie santé (toutes thématiques)", {"theme": "sante"}),
    ("texte introuvable « zzzz »", {"text": "zzzz"}),
]  # fmt: skip


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coparcours.settings")
    if "DATABASE_URL" not in os.environ and "COPARCOURS_DATA_DIR" not in os.environ:
        os.environ["COPARCOURS_DATA_DIR"] = tempfile.mkdtemp(prefix="coparcours-dir-bench-")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def generate(n_services: int, seed: int = 2026) -> None:
    """Structures (one per ten services) and services with their codes, in bulk."""
    from django.db import transaction

    from coparcours.directory.models import ReferenceValue, Service, Structure, ValueList
    from coparcours.directory.services.exchange import sync_reference_values

    rng = random.Random(seed)
    sync_reference_values()
    themes = list(ReferenceValue.objects.filter(value_list=ValueList.THEMATIQUE))
    mental_health = next(t for t in themes if t.code == "sante--sante-mentale")
    publics = list(ReferenceValue.objects.filter(value_list=ValueList.PUBLIC))
    young = next(p for p in publics if p.code == "jeunes")
    day = datetime.date(2025, 6, 1)
    with transaction.atomic():
        structures = []
        for n in range(max(1, n_services // 10)):
            commune, postal, insee = COMMUNES[n % len(COMMUNES)]
            structure = Structure(
                source="bench", di_id=f"bench--structure-{n}", nom=f"Structure {n} de {commune}",
                date_maj=day, commune=commune, code_postal=postal, code_insee=insee,
            )  # fmt: skip
            structure.refresh_keys()
            structures.append(structure)
        for start in range(0, len(structures), BATCH):
            Structure.objects.bulk_create(structures[start : start + BATCH])
        structures = list(Structure.objects.filter(source="bench").order_by("pk"))
        links = []
        Link = Service.codes.through
        for start in range(0, n_services, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, n_services)):
                structure = structures[n % len(structures)]
                theme = mental_health if n % 40 == 0 else rng.choice(themes)
                words = " ".join(rng.sample(WORDS, 6))
                service = Service(
                    structure=structure, source="bench", di_id=f"bench--service-{n}",
                    nom=f"{theme.label} — {rng.choice(WORDS)} {n}",
                    description=f"Service {n} : {words}.", date_maj=day,
                    commune=structure.commune, code_postal=structure.code_postal,
                    code_insee=structure.code_insee,
                )  # fmt: skip
                service.refresh_keys()
                batch.append(
                    (service, {theme.pk, rng.choice(themes).pk}, rng.choice([young, *publics]))
                )
            created = Service.objects.bulk_create([s for s, _, _ in batch])
            for service, (_, codes, public) in zip(created, batch, strict=True):
                links += [Link(service_id=service.pk, referencevalue_id=c) for c in codes]
                links.append(Link(service_id=service.pk, referencevalue_id=public.pk))
            Link.objects.bulk_create(links, ignore_conflicts=True)
            links = []


def _median_ms(action) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, result = [], 0, None
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = action()
            timings.append((time.perf_counter() - began) * 1000)
        queries = len(captured)
    return statistics.median(timings), queries, result


def measure() -> list[tuple[str, int, float, int, float, int, float, int]]:
    from urllib.parse import urlencode

    from django.core.paginator import Paginator
    from django.test import Client

    from coparcours.accounts.models import User
    from coparcours.directory import selectors

    user, _ = User.objects.get_or_create(email="bench-annuaire@bench.coparcours.fr")
    client = Client()
    client.force_login(user)
    rows = []
    for label, criteria in SEARCHES:

        def page_of(criteria=criteria):
            page = Paginator(selectors.search_services(**criteria), 20).get_page(1)
            return page.paginator.count, list(page.object_list)

        selector_ms, selector_queries, (count, _) = _median_ms(page_of)
        query = {
            "q": criteria.get("text", ""),
            "thematique": criteria.get("theme", ""),
            "public": criteria.get("public", ""),
            "commune": criteria.get("commune", ""),
            "departement": criteria.get("departement", ""),
        }
        web_ms, web_queries, response = _median_ms(
            lambda query=query: client.get("/annuaire/?" + urlencode(query))
        )
        assert response.status_code == 200, response.status_code
        api_ms, api_queries, response = _median_ms(
            lambda query=query: client.get("/api/v1/directory/services?" + urlencode(query))
        )
        assert response.status_code == 200, response.status_code
        rows.append(
            (label, count, selector_ms, selector_queries, web_ms, web_queries, api_ms, api_queries)
        )
    return rows


def explain_text_search() -> str:
    from django.db import connection

    from coparcours.directory import selectors

    if connection.vendor != "postgresql":
        return ""
    queryset = selectors.search_services(text="santé mentale")
    rows = queryset.select_related(None).prefetch_related(None)
    return (
        "First page:\n"
        + rows[:20].explain(analyze=True)
        + "\n\nAll matches (as counted):\n"
        + rows.order_by().values("pk").explain(analyze=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from coparcours.directory.models import Service, Structure

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Service.objects.filter(source="bench").count() != args.services:
        Structure.objects.filter(source="bench").delete()  # and their services
        began = time.perf_counter()
        generate(args.services)
        print(f"generated {args.services:,} services in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:  # statistics, as autovacuum would gather after a load
        cursor.execute("ANALYZE")
    print(
        f"\n{Service.objects.count():,} services, {connection.vendor}, median of {RUNS} runs\n\n"
        "| Search | Found | Selector ms | Queries | Page ms | Queries | API ms | Queries |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for label, count, s_ms, s_q, w_ms, w_q, a_ms, a_q in measure():
        print(
            f"| {label} | {count:,} | {s_ms:.1f} | {s_q} | {w_ms:.1f} | {w_q} "
            f"| {a_ms:.1f} | {a_q} |"
        )
    plan = explain_text_search()
    if plan:
        print("\nPlan of the free-text search « santé mentale »:\n\n" + plan)


if __name__ == "__main__":
    main()
