"""Warm the application before gunicorn forks its workers (``preload_app`` in
``deploy/gunicorn.conf.py``): every view module is imported (and with them matplotlib,
WeasyPrint and openpyxl), matplotlib draws once (its font list and glyphs) and WeasyPrint
renders once (Pango and fontconfig). Measured in one process: the views take 28 MB, the
first chart 4 MB and the first PDF 5 MB. The table of URLs to reverse is built and the
site's templates compiled (a fresh worker's first page: 34 → 10 ms). Workers then start
with all of it, shared copy-on-write, instead of each paying for it on its first requests
(again whenever gunicorn replaces a worker), and no user waits."""

from __future__ import annotations

from pathlib import Path

from django.db import connections
from django.template import engines
from django.template.loader import get_template
from django.urls import get_resolver, reverse


def _compile_site_templates() -> None:
    """Compile every page template of the site (the cached loader keeps them)."""
    for directory in engines["django"].engine.dirs:
        for path in Path(directory).rglob("*.html"):
            get_template(path.relative_to(directory).as_posix())


def warm_up() -> None:
    """Import every view, build the URLs' reverse table, compile the templates, draw one
    chart and render one PDF; no database connection is left open to be shared with the
    forked workers."""
    get_resolver().url_patterns  # noqa: B018 — imports the URLconf and every view module
    reverse("home")
    _compile_site_templates()
    from weasyprint import HTML

    from coparcours.core.charts import data_uri, legend_below, new_figure

    figure = new_figure(4, 2)
    axes = figure.add_subplot()
    axes.bar([0, 1], [1, 2], label="Échauffement")
    axes.set_xticks([0, 1], ["Nord", "Pas-de-Calais"], fontsize="x-small")
    legend_below(figure, 1)
    data_uri(figure)
    HTML(string="<h1>Coparcours</h1><p>Échauffement</p>").write_pdf()
    connections.close_all()
