"""The heavy jobs of `make bench`: time and peak memory of each, every job in its own process.

    .venv/bin/python -m bench.jobs            # all jobs, on the database of DATABASE_URL
    .venv/bin/python -m bench.jobs --run NAME # one job (used by the loop above)

The database must hold a data set made by ``bench.generate``. A job runs in a fresh
process so that its peak memory (``ru_maxrss``) is its own; the process's memory after
Django has started is reported too, as the baseline the job adds to.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The day the jobs work for: the generator's data run up to it.
DAY = datetime.date(2026, 11, 1)


@dataclass(frozen=True)
class Job:
    name: str
    target_seconds: float | None
    run: Callable[[], str]


JOBS: dict[str, Job] = {}


def job(name: str, target_seconds: float | None = None) -> Callable:
    def register(function: Callable[[], str]) -> Callable[[], str]:
        JOBS[name] = Job(name, target_seconds, function)
        return function

    return register


@job("eligibility of every CEJ-JR pathway", target_seconds=2.0)
def eligibility() -> str:
    from coparcours.cej.models import Pathway, VeilleDuration
    from coparcours.cej.services.eligibility import eligibility_of_pathways

    if VeilleDuration.objects.in_force(DAY) is None:
        raise RuntimeError("no veille duration in force: run the migrations' defaults")
    answers = eligibility_of_pathways(Pathway.objects.all(), DAY)
    eligible = sum(answer.eligible for answer in answers.values())
    return f"{len(answers):,} pathways, {eligible:,} eligible"


@job("daily occupancy of a year, largest GME, per site")
def occupancy() -> str:
    from django.db.models import Count

    from coparcours.housing.selectors.occupancy import daily_occupancy
    from coparcours.organisations.models import Consortium

    consortium = (
        Consortium.objects.annotate(places=Count("sites")).order_by("-places", "pk").first()
    )
    rows = daily_occupancy(consortium.pk, DAY - datetime.timedelta(days=365), DAY, by="site")
    return f"{len(rows):,} site-days"


@job("Monday follow-up of every counsellor (without e-mails)", target_seconds=60.0)
def monday_follow_up() -> str:
    from coparcours.cej import followup, rules
    from coparcours.cej.models import WeeklyFollowUp

    week = rules.week_start(DAY) - datetime.timedelta(days=7)
    WeeklyFollowUp.objects.filter(week_start=week).delete()  # a re-run on --reuse data
    report = followup.produce(week, send_now=False)
    youths = sum(len(follow_up.rows) for follow_up in report.created)
    return f"{len(report.created):,} follow-ups covering {youths:,} youths"


@job("a month's billing of every GME (one invoice each)", target_seconds=2.0)
def billing() -> str:
    from django.db import transaction
    from django.db.models import Sum

    from bench.generate import BENCH_COORDINATOR_EMAIL
    from coparcours.accounts.models import User
    from coparcours.finance.models import InvoiceLine
    from coparcours.finance.services.billing import bill_months
    from coparcours.housing.models import CapacityChange
    from coparcours.organisations.models import Consortium, ConsortiumKind

    user = User.objects.get(email=BENCH_COORDINATOR_EMAIL)
    month_end = DAY.replace(day=1) - datetime.timedelta(days=1)
    gmes = Consortium.objects.filter(kind=ConsortiumKind.GME).order_by("pk")
    # Rolled back at the end: a re-run on --reuse data bills the month again rather than
    # finding it already invoiced (which returns at once and would measure nothing).
    with transaction.atomic():
        results = bill_months(user, gmes, month_end.year, month_end.month, issued_on=DAY)
        created = sum(result.created for result in results)
        lines = InvoiceLine.objects.filter(invoice__in=[r.invoice for r in results]).count()
        transaction.set_rollback(True)
    places = CapacityChange.objects.aggregate(places=Sum("places"))["places"] or 0
    return f"{created} invoices issued, {lines} lines, {places:,} places"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(name: str) -> dict:
    """Run one job in this process (Django set up here) and measure it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coparcours.settings")
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    baseline = _peak_mb()
    load = os.getloadavg()[0]
    began = time.perf_counter()
    detail = JOBS[name].run()
    return {
        "seconds": time.perf_counter() - began,
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "detail": detail,
        "load": load,
    }


def measure_all() -> dict[str, dict]:
    """Every job, each in a child process with the same environment."""
    results = {}
    for name in JOBS:
        output = subprocess.run(
            [sys.executable, "-m", "bench.jobs", "--run", name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results[name] = json.loads(output.strip().splitlines()[-1])
        print(name, results[name], flush=True)
    return results


def markdown(results: dict[str, dict]) -> list[str]:
    lines = [
        "| job | result | seconds | target | peak memory MB (Django alone) | meets target "
        "| load average at start |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for name, r in results.items():
        target = JOBS[name].target_seconds
        ok = "—" if target is None else ("yes" if r["seconds"] <= target else "no")
        lines.append(
            f"| {name} | {r['detail']} | {r['seconds']:.2f} | "
            f"{'—' if target is None else f'≤ {target:g} s'} | "
            f"{r['peak_mb']:.0f} ({r['baseline_mb']:.0f}) | {ok} | {r['load']:.1f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="Coparcours job benchmarks")
    parser.add_argument("--run", choices=sorted(JOBS), help="run one job in this process")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.run:
        print(json.dumps(run_one(args.run)))
        return
    print("\n".join(markdown(measure_all())))


if __name__ == "__main__":
    main()
