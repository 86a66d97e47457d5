"""`make bench`: throughput and latency of the main pages through gunicorn, against anchors.

For each page: requests per second and p50/p95 latency with wrk (8 connections on
loopback), its throughput as a ratio to its reference, and its SQL query count. A page of
personal data is compared with the floor (25 youths under the access policy, their count
and the audit line: what any such page must pay); any other page with the minimal 50-row
list anchor. Results go to bench/RESULTS.md with the machine and the date.

    .venv/bin/python -m bench.run [--scale 0.05] [--duration 10] [--connections 8]

The database comes from DATABASE_URL (PostgreSQL for the targets) or a scratch SQLite
file; it is generated with bench.generate unless --reuse is given.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
TARGET_RATIO = 0.5
TARGET_P95_MS = 50.0


def _django(database_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("COPARCOURS_DATA_DIR", str(database_dir))
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare_database(scale: float, reuse: bool) -> None:
    from django.core.management import call_command

    from bench.generate import BENCH_EMAIL, generate
    from coparcours.accounts.models import User

    if not reuse or not User.objects.filter(email=BENCH_EMAIL).exists():
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        began = time.perf_counter()
        counts = generate(scale)
        print(f"generated {counts} in {time.perf_counter() - began:.1f} s", flush=True)


#: Not an e-mail: the session a youth opens with their link and date of birth.
YOUTH_SPACE = "a youth's phone"


def _client(email: str):
    from django.test import Client

    from coparcours.accounts.models import User

    client = Client()
    if email == YOUTH_SPACE:
        _open_youth_space(client)
    else:
        client.force_login(User.objects.get(email=email))
    return client


def _open_youth_space(client) -> None:
    """The bench referent gives a youth under contract their link; the youth opens it."""
    from bench.generate import BENCH_EMAIL
    from coparcours.accounts.models import User
    from coparcours.cej.models import Pathway
    from coparcours.cej.youth_section import require_link_giver
    from coparcours.space.links import create_youth_link

    referent = User.objects.get(email=BENCH_EMAIL)
    organisation = referent.memberships.get().organisation
    pathway = (
        Pathway.objects.open()
        .filter(author_organisation=organisation, youth__birth_date__isnull=False)
        .select_related("youth")
        .order_by("pk")
        .first()
    )
    grant = require_link_giver(referent, organisation, pathway)
    token = create_youth_link(referent, grant, pathway.youth, replace=True)
    born = f"{pathway.youth.birth_date:%d/%m/%Y}"
    assert client.post(f"/mon-espace/{token}/", {"birth_date": born}).status_code == 302


ANCHOR = "anchor: minimal 50-row list"
FLOOR = "floor: 25 youths under the access policy"
#: Pages that show no youth's personal data, compared with the list anchor.
WITHOUT_PERSONAL_DATA = {"anchor: bare view", ANCHOR, FLOOR, "availability search (GME)"}


def _pages() -> list[tuple[str, str, str]]:
    """(name, URL, e-mail of the user who asks) of every page measured."""
    from bench.generate import BENCH_COORDINATOR_EMAIL, BENCH_COUNSELLOR_EMAIL, BENCH_EMAIL
    from bench.jobs import DAY
    from coparcours.youths.models import Youth

    youth = Youth.objects.filter(referent__email=BENCH_EMAIL).order_by("pk").first()
    return [
        ("home: referent (À traiter)", "/", BENCH_EMAIL),
        ("home: counsellor (À traiter)", "/", BENCH_COUNSELLOR_EMAIL),
        ("home: coordinator (À traiter)", "/", BENCH_COORDINATOR_EMAIL),
        ("anchor: bare view", "/bench/bare/", BENCH_EMAIL),
        (ANCHOR, "/bench/list/", BENCH_EMAIL),
        (FLOOR, "/bench/youths/", BENCH_EMAIL),
        ("caseload (all visible youths)", "/jeunes/?vue=all", BENCH_EMAIL),
        ("caseload, CEJ-JR stage filter", "/jeunes/?vue=all&stage=cej:contract", BENCH_EMAIL),
        ("youth record", f"/jeunes/{youth.pk}/", BENCH_EMAIL),
        ("CEJ-JR pathways", "/cej/", BENCH_EMAIL),
        ("coordinator dashboard (GME)", "/hebergement/", BENCH_COORDINATOR_EMAIL),
        (
            "availability search (GME)",
            f"/hebergement/disponibilites/?start={DAY.isoformat()}&age=15&sex=M",
            BENCH_COORDINATOR_EMAIL,
        ),
        ("API youth list (50)", "/api/v1/youths?limit=50", BENCH_EMAIL),
        ("youth's own space (CEJ-JR)", "/mon-espace/", YOUTH_SPACE),
    ]


def _query_counts(pages: list[tuple[str, str, str]]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients: dict[str, object] = {}
    counts = {}
    for name, url, email in pages:
        if email not in clients:
            clients[email] = _client(email)
            clients[email].get(url)  # a session's first request also records its activity
        client = clients[email]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def _cookies(pages: list[tuple[str, str, str]]) -> dict[str, str]:
    """A session cookie per user, for wrk."""
    return {
        email: f"sessionid={_client(email).cookies['sessionid'].value}"
        for email in {email for _, _, email in pages}
    }


def _serve(port: int, workers: int) -> subprocess.Popen:
    from bench.server import serve

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    return serve(port, workers, env, ready_path="/bench/bare/")


def _wrk(url: str, cookie: str, duration: int, connections: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "-s",
            str(ROOT / "bench" / "report.lua"),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{platform.node()} — {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


START, END = "<!-- bench.run: start -->", "<!-- bench.run: end -->"


def write_results(block: str) -> None:
    """Put this run's tables in bench/RESULTS.md between the markers, keeping the sections
    other benchmark scripts wrote after them."""
    others = ""
    if RESULTS.exists():
        text = RESULTS.read_text()
        others = text.split(END, 1)[1].lstrip("\n") if END in text else ""
    RESULTS.write_text(f"{START}\n{block}\n{END}\n\n{others}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Coparcours page benchmarks")
    parser.add_argument("--scale", type=float, default=0.05, help="data size, 1 = national")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--reuse", action="store_true", help="keep an already generated set")
    parser.add_argument("--pages-only", action="store_true", help="skip the heavy jobs")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")

    scratch = Path(tempfile.mkdtemp(prefix="coparcours-bench-"))
    _django(scratch)
    from django.db import connection

    from bench import jobs

    _prepare_database(args.scale, args.reuse)
    pages = _pages()
    queries = _query_counts(pages)
    cookies = _cookies(pages)
    vendor = connection.vendor
    connection.close()
    server = _serve(args.port, args.workers)
    load_before = os.getloadavg()[0]
    results = {}
    try:
        for name, path, email in pages:
            results[name] = _wrk(
                f"http://127.0.0.1:{args.port}{path}",
                cookies[email],
                args.duration,
                args.connections,
            )
            print(name, results[name], flush=True)
    finally:
        server.terminate()
        server.wait()
    load_after = os.getloadavg()[0]
    job_results = {} if args.pages_only else jobs.measure_all()
    references = {
        name: results[ANCHOR if name in WITHOUT_PERSONAL_DATA else FLOOR]["rps"] for name in results
    }
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {_machine()}",
        f"- Database: {vendor}; data scale {args.scale} ({round(100_000 * args.scale):,} youths)",
        "- Cache and sessions: "
        + ("Redis, as in production" if os.environ.get("REDIS_URL") else "database (no REDIS_URL)"),
        f"- Load: wrk, {args.connections} connections, {args.duration} s per page, "
        f"gunicorn with {args.workers} sync workers on loopback",
        f"- Machine load (1-minute load average, {os.cpu_count()} cores) before the pages: "
        f"{load_before:.1f}, after: {load_after:.1f}",
        f"- Targets: throughput ≥ {TARGET_RATIO} × the reference (the floor for a page of "
        f"personal data, else the minimal list anchor), p95 ≤ {TARGET_P95_MS:.0f} ms "
        "(on PostgreSQL)",
        "",
        "## Pages",
        "",
        "| page | req/s | reference | ratio | p50 ms | p95 ms | SQL queries | errors "
        "| meets targets |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        reference = "list anchor" if name in WITHOUT_PERSONAL_DATA else "floor"
        ratio = r["rps"] / references[name] if references[name] else 0
        ok = ratio >= TARGET_RATIO and r["p95"] <= TARGET_P95_MS and not r["non2xx"]
        lines.append(
            f"| {name} | {r['rps']:.0f} | {reference} | {ratio:.2f} | {r['p50']:.1f} "
            f"| {r['p95']:.1f} | {queries[name]} | {r['errors'] + r['non2xx']} "
            f"| {'yes' if ok else 'no'} |"
        )
    if job_results:
        lines += ["", "## Jobs", "", *jobs.markdown(job_results)]
    write_results("\n".join(lines))
    print(RESULTS.read_text())
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
