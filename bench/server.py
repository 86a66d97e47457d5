"""gunicorn on loopback for the page benchmark (``bench.run``) and the load run
(``bench.load.run``): the same server as in production, started and awaited one way."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> list[int]:
    """The process ids of a process's children (gunicorn's workers for its master)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return sorted(int(child) for child in text.split())


def serve(port: int, workers: int, env: Mapping[str, str], ready_path: str) -> subprocess.Popen:
    """gunicorn serving Coparcours on 127.0.0.1:``port`` with ``env``, returned once
    ``ready_path`` answers and every worker is forked, so that measurements start on the
    whole server (RuntimeError if it never is or the server exits)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--config=deploy/gunicorn.conf.py",  # production's, preloaded and warmed
            "coparcours.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--max-requests=0",  # measured workers are never recycled
            "--access-logfile=/dev/null",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=dict(env),
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=2)
        except OSError:
            if server.poll() is not None:
                break
        else:
            if len(children(server.pid)) >= workers:
                return server
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")
