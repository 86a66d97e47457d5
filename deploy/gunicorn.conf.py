"""gunicorn settings for Coparcours (``gunicorn -c deploy/gunicorn.conf.py coparcours.wsgi``)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are short and database-bound; two per core plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 60  # PDF and XLSX exports are the slowest requests
graceful_timeout = 30
# Recycle workers now and then so memory stays flat over weeks (jitter avoids all at once).
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Load the application once in the master and warm it (coparcours.warmup) before forking:
# workers share its memory and none pays for the lazy imports on a user's request.
preload_app = True


def when_ready(server):
    from coparcours.warmup import warm_up

    warm_up()
