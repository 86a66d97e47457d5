"""Warm the application before gunicorn forks its workers (``preload_app`` in
``deploy/gunicorn.conf.py``): every view module is imported (and with them matplotlib,
WeasyPrint and openpyxl) and matplotlib draws once, so that its font list and glyphs are
loaded. Workers then start with all of it, shared copy-on-write, instead of each paying
for it on its first dashboard or export (a worker grew by ~40 MB on its first chart) and
the first users waiting for it."""

from __future__ import annotations

import io

from django.db import connections
from django.urls import get_resolver


def warm_up() -> None:
    """Import every view and draw one chart; no connection is left open to be shared
    with the forked workers."""
    get_resolver().url_patterns  # noqa: B018 — imports the URLconf and every view module
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 2))
    axes = figure.add_subplot()
    axes.bar([0, 1], [1, 2], label="Échauffement")
    axes.set_xticks([0, 1], ["Nord", "Pas-de-Calais"], fontsize="x-small")
    axes.legend(fontsize="small")
    figure.savefig(io.BytesIO(), format="svg", bbox_inches="tight")
    connections.close_all()
