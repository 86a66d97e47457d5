"""Warm the application before gunicorn forks its workers (``preload_app`` in
``deploy/gunicorn.conf.py``): every view module is imported (and with them matplotlib,
WeasyPrint and openpyxl), matplotlib draws once (its font list and glyphs) and WeasyPrint
renders once (Pango and fontconfig). Measured in one process: the views take 28 MB, the
first chart 4 MB and the first PDF 5 MB. Workers then start with all of it, shared
copy-on-write, instead of each paying for it on its first requests, and no user waits."""

from __future__ import annotations

import io

from django.db import connections
from django.urls import get_resolver


def warm_up() -> None:
    """Import every view, draw one chart and render one PDF; no database connection is
    left open to be shared with the forked workers."""
    get_resolver().url_patterns  # noqa: B018 — imports the URLconf and every view module
    from matplotlib.figure import Figure
    from weasyprint import HTML

    figure = Figure(figsize=(4, 2))
    axes = figure.add_subplot()
    axes.bar([0, 1], [1, 2], label="Échauffement")
    axes.set_xticks([0, 1], ["Nord", "Pas-de-Calais"], fontsize="x-small")
    axes.legend(fontsize="small")
    figure.savefig(io.BytesIO(), format="svg", bbox_inches="tight")
    HTML(string="<h1>Coparcours</h1><p>Échauffement</p>").write_pdf()
    connections.close_all()
