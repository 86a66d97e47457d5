"""The master's warm-up before gunicorn forks (``deploy/gunicorn.conf.py``): workers must
start with every view and the charts' libraries loaded, the URLs' reverse table built and
the pages' templates compiled, and with no database connection inherited from the master
(a connection shared by forked processes mixes their queries)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import django
django.setup()
from django.db import connection
connection.ensure_connection()  # as anything in the master might have done
from coparcours.warmup import warm_up
warm_up()
import matplotlib.font_manager as fonts
from django.template import engines
from django.urls import get_resolver
from django.utils.translation import get_language
compiled = engines["django"].engine.template_loaders[0].get_template_cache
print(json.dumps({
    "reverse_table_built": get_language() in get_resolver()._reverse_dict,
    "templates_compiled": all(
        name in compiled for name in ("base.html", "youths/caseload.html", "housing/dashboard.html")
    ),
    "modules": sorted(m for m in sys.modules if m in WANTED),
    "fonts_loaded": fonts._get_font.cache_info().currsize > 0,
    "connection_open": connection.connection is not None,
}))
"""


def test_warm_up_loads_views_and_chart_fonts_and_closes_connections(tmp_path):
    wanted = [
        "coparcours.reporting.views",
        "coparcours.cej.views",
        "coparcours.housing.views",
        "coparcours.finance.views",
        "matplotlib.figure",
        "weasyprint",
        "openpyxl",
    ]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coparcours.settings",
        "COPARCOURS_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)  # a scratch SQLite file in tmp_path
    probe = f"WANTED = {wanted!r}\n{PROBE}"
    output = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    state = json.loads(output.stdout.strip().splitlines()[-1])
    assert state == {
        "modules": sorted(wanted),
        "fonts_loaded": True,
        "connection_open": False,
        "reverse_table_built": True,
        "templates_compiled": True,
    }
