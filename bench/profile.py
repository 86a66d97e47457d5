"""Where a page's time goes, in process: ms per request, SQL queries and SQL time, and
optionally the functions that cost most (cProfile).

    .venv/bin/python -m bench.profile [--requests 20] [--profile PAGE-NAME-PART]
        [--sort tottime] [--only "coparcours/" "loader_tags"]

Runs on the set already generated in DATABASE_URL (``python -m bench.generate``), with the
pages of ``bench.run``. The figures are those of one process, without gunicorn or the load
tool: they compare two versions of the code on the same data, not the targets.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

from bench.run import ROOT, _client, _django, _pages


def _measure(client, url: str, requests: int) -> tuple[float, int, float]:
    """Median ms per request, then the queries of one more request (counted as ``bench.run``
    counts them) and their time (measured around each statement: Django's own record rounds
    each to the millisecond)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request warms caches and records the session's activity
    durations = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings: list[float] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - began) * 1000)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        client.get(url)
    return statistics.median(durations), len(captured.captured_queries), sum(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    parser.add_argument("--profile", default="", help="profile the pages whose name has this")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative or tottime")
    parser.add_argument(
        "--only", nargs="*", default=[], help="regular expressions on the file names listed"
    )
    parser.add_argument("--top", type=int, default=30, help="functions listed per profile")
    args = parser.parse_args()
    _django(ROOT / "var")
    clients = {}
    print(f"{'page':<34} {'ms/request':>10} {'queries':>8} {'SQL ms':>8}")
    for name, url, email in _pages():
        client = clients.setdefault(email, _client(email))
        median, queries, sql_ms = _measure(client, url, args.requests)
        print(f"{name:<34} {median:>10.1f} {queries:>8} {sql_ms:>8.1f}", flush=True)
        if args.profile and args.profile in name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(*args.only, args.top)


if __name__ == "__main__":
    main()
