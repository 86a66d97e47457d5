"""Load and soak run: gunicorn + PostgreSQL on loopback, the locust
scenario of ``locustfile.py`` for a duration, the workers' memory sampled throughout.

    .venv/bin/python -m bench.load.run --duration 30m          # `make load DURATION=30m`
    .venv/bin/python -m bench.load.run --duration 70s --no-results --skip-prepare

The database is DATABASE_URL's (PostgreSQL; ``--prepare`` by default migrates it and loads
the Nord demo, which finds its records again on a second run). The run fails (exit 1)
when locust saw any failed request, when a gunicorn worker died or was replaced, or when
a worker's memory grew by more than the bound between the end of the warm-up and the end
of the run (see ``memory_verdict``). The figures go to ``bench/RESULTS.md`` between this
script's own markers, the other sections left as they are.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import children
from bench.server import serve as serve_gunicorn

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
START, END = "<!-- load.run: start -->", "<!-- load.run: end -->"
#: Stable memory: no worker's resting memory grows by more than this between the end of the
#: warm-up and the end of the run (gunicorn sync workers hold one request at a time; what a
#: page builds is freed after it, so growth beyond caches filling up is a leak).
MAX_GROWTH_MB = 40.0


#: The warm-up (lazy imports such as the charts' and the PDFs' libraries, caches, the first
#: queries) is left out of the comparison: a quarter of the run, at least 30 s, at most 5 min.
def warm_up_seconds(duration: int) -> int:
    return min(300, max(30, duration // 4))


def seconds(text: str) -> int:
    """``90``, ``90s``, ``2m``, ``30m`` or ``1h`` in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process, from /proc (Linux), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


@dataclass
class Sampler:
    """Samples the RSS of gunicorn's workers every ``every`` seconds in a thread."""

    master: int
    every: float
    samples: list[tuple[float, dict[int, float]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        began = time.monotonic()
        while not self.stop.is_set():
            workers = {pid: rss_mb(pid) for pid in children(self.master)}
            self.samples.append(
                (time.monotonic() - began, {p: m for p, m in workers.items() if m is not None})
            )
            self.stop.wait(self.every)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        return thread


@dataclass
class MemoryVerdict:
    ok: bool
    lines: list[str]
    first_total: float
    end_total: float
    peak_total: float
    growth_by_worker: dict[int, float]


def _comparison_windows(
    samples: list[tuple[float, dict[int, float]]], warm_up: float
) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
    """The samples of the tenth of the run after the warm-up and of its last tenth."""
    duration = samples[-1][0]
    after_warm_up = [w for t, w in samples if warm_up <= t <= warm_up + duration * 0.1]
    last = [w for t, w in samples if t >= duration * 0.9]
    after_warm_up = after_warm_up or [samples[len(samples) // 4][1]]
    last = last or [samples[-1][1]]
    return after_warm_up, last


def _growth_by_worker(
    pids: set[int], after_warm_up: list[dict[int, float]], last: list[dict[int, float]]
) -> dict[int, float]:
    """Each worker's least RSS over the last window minus its least after the warm-up: its
    resting memory. A sample taken during a request sees that request's transient peak (a
    password check holds Argon2's 100 MiB for a second), which a leak does not need to be
    seen: a leak raises the floor too."""
    growth = {}
    for pid in sorted(pids):
        begin = min(w[pid] for w in after_warm_up if pid in w)
        end = min(w[pid] for w in last if pid in w)
        growth[pid] = end - begin
    return growth


def memory_verdict(
    samples: list[tuple[float, dict[int, float]]],
    warm_up: float,
    max_growth_mb: float = MAX_GROWTH_MB,
) -> MemoryVerdict:
    """Compare each worker's least RSS over the tenth of the run that follows the warm-up
    with its least over the last tenth; the same workers must be there from start to end."""
    problems = []
    if len(samples) < 4:
        return MemoryVerdict(False, ["too few memory samples"], 0, 0, 0, {})
    pids = set(samples[0][1])
    if any(set(workers) != pids for _, workers in samples):
        problems.append("a gunicorn worker died or was replaced during the run")
    growth = _growth_by_worker(pids, *_comparison_windows(samples, warm_up))
    for pid, grown in growth.items():
        if grown > max_growth_mb:
            problems.append(f"worker {pid} grew by {grown:.1f} MB (bound {max_growth_mb})")
    totals = [sum(w.values()) for _, w in samples]
    return MemoryVerdict(not problems, problems, totals[0], totals[-1], max(totals), growth)


def prepare(database_url: str) -> None:
    """Migrate and load the Nord demo (idempotent)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    coparcours = [sys.executable, "-m", "coparcours"]
    for command in (["migrate", "--no-input", "-v0"], ["createcachetable"], ["load_demo"]):
        subprocess.run(
            [*coparcours, *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )


def serve(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "coparcours.settings",
        "DEBUG": "0",
        "TWO_FACTOR_REQUIRED": "0",
        "EMAIL_URL": "console://",
    }
    return serve_gunicorn(port, workers, env, ready_path="/compte/connexion/")


@dataclass
class LoadResult:
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    by_name: list[dict[str, str]]
    failure_lines: list[str]


def run_locust(port: int, duration: int, users: int, spawn_rate: float, out: Path) -> LoadResult:
    locust = Path(sys.executable).with_name("locust")
    prefix = out / "load"
    subprocess.run(
        [
            str(locust),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            f"--host=http://127.0.0.1:{port}",
            f"--users={users}",
            f"--spawn-rate={spawn_rate}",
            f"--run-time={duration}s",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
            "--stop-timeout=10",
        ],
        cwd=ROOT,
        check=False,  # its exit code says "failures", which the CSV says in detail
    )
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as failures_file:
        failure_lines = [
            f"{row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(failures_file)
        ]
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        by_name=[row for row in rows if row["Name"] != "Aggregated"],
        failure_lines=failure_lines,
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}, load average before the run {load}"


def markdown(args, result: LoadResult, memory: MemoryVerdict, load_before: str) -> str:
    lines = [
        "## Load and soak (`make load`, `python -m bench.load.run`)",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"duration {args.duration}",
        f"- Machine: {load_before}",
        f"- Load: locust, {args.users} simulated people (referent, counsellor, coordinator, "
        f"finance officer, directors and funders of the Nord demo), 0.5–2 s between "
        f"actions; gunicorn with {args.workers} sync workers; PostgreSQL on loopback",
        f"- Verdict: **{'pass' if result.failures == 0 and memory.ok else 'FAIL'}** "
        f"({result.failures} failed requests; memory "
        f"{'stable' if memory.ok else '; '.join(memory.lines)}: no worker may grow by more "
        f"than {args.max_growth_mb:.0f} MB after a warm-up of "
        f"{warm_up_seconds(seconds(args.duration))} s)",
        "",
        "| requests | failures | req/s | p50 ms | p95 ms | workers' RSS at start MB "
        "| at end MB | peak MB | largest growth of a worker after warm-up MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result.requests:,} | {result.failures} | {result.rps:.1f} | {result.p50:.0f} "
        f"| {result.p95:.0f} | {memory.first_total:.0f} | {memory.end_total:.0f} "
        f"| {memory.peak_total:.0f} | {max(memory.growth_by_worker.values(), default=0):.1f} |",
        "",
        "| request | count | failures | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in sorted(result.by_name, key=lambda row: -int(row["Request Count"])):
        lines.append(
            f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} "
            f"| {row['Failure Count']} | {row['50%']} | {row['95%']} |"
        )
    return "\n".join(lines)


def write_results(block: str) -> None:
    """Replace this script's section of bench/RESULTS.md (appended the first time)."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    section = f"{START}\n{block}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def soak(
    database_url: str,
    duration: int,
    *,
    users: int = 12,
    spawn_rate: float = 4.0,
    workers: int = 3,
    port: int = 8124,
    sample_every: float = 5.0,
    max_growth_mb: float = MAX_GROWTH_MB,
) -> tuple[LoadResult, MemoryVerdict]:
    """Serve the database with gunicorn, run locust for ``duration`` seconds while sampling
    the workers' memory, stop the server; the database must be prepared already."""
    server = serve(database_url, port, workers)
    sampler = Sampler(server.pid, sample_every)
    try:
        thread = sampler.start()
        with tempfile.TemporaryDirectory(prefix="coparcours-load-") as out:
            result = run_locust(port, duration, users, spawn_rate, Path(out))
        sampler.stop.set()
        thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result, memory_verdict(sampler.samples, warm_up_seconds(duration), max_growth_mb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Coparcours load and soak run")
    parser.add_argument("--duration", default="2m", help="90s, 2m, 30m, 1h…")
    parser.add_argument("--users", type=int, default=12, help="simulated people")
    parser.add_argument("--spawn-rate", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds")
    parser.add_argument("--max-growth-mb", type=float, default=MAX_GROWTH_MB)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--skip-prepare", action="store_true", help="no migrate nor demo")
    parser.add_argument("--no-results", action="store_true", help="leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL (or --database-url) must name a PostgreSQL database")
    load_before = machine()
    if not args.skip_prepare:
        prepare(args.database_url)
    result, memory = soak(
        args.database_url,
        seconds(args.duration),
        users=args.users,
        spawn_rate=args.spawn_rate,
        workers=args.workers,
        port=args.port,
        sample_every=args.sample_every,
        max_growth_mb=args.max_growth_mb,
    )
    block = markdown(args, result, memory, load_before)
    print(block)
    for line in result.failure_lines:
        print("FAILED:", line)
    if not args.no_results:
        write_results(block)
    return 0 if result.failures == 0 and memory.ok else 1


if __name__ == "__main__":
    sys.exit(main())
