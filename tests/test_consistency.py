"""The architecture of docs/architecture.md, checked: data flows one way through the apps,
each app keeps the standard layout, every model holding a youth's data derives from the
shared abstract one, no template lies unused, every table of a web page scrolls in its own
frame, no module or function grows past what a reader can hold, and the code cites only
documents found in the repository."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from radon.complexity import cc_visit

from coparcours.api import api
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth, YouthData

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "coparcours"

#: The data flow, upstream first: an app imports only from the layers before its own (so
#: housing and cej never import each other). ``core`` holds the primitives everyone uses.
LAYERS: list[set[str]] = [
    {"core"},
    {"organisations"},
    {"accounts"},
    {"youths"},
    {"housing", "cej"},
    {"directory", "imports"},
    {"orientations"},
    {"finance", "needs"},
    {"reporting"},
    {"demo"},
]
#: Imports against the flow, each recorded in docs/decisions.md: the access policy decides
#: from the memberships (decision 1) and from the youth's assignments and consents.
EXCEPTIONS = {
    ("core.access", "coparcours.organisations.models"),
    ("core.access", "coparcours.youths.models"),
}
#: The apps of a domain, and the modules (or packages) each keeps.
DOMAIN_APPS = [
    "organisations",
    "youths",
    "housing",
    "cej",
    "directory",
    "imports",
    "orientations",
    "finance",
    "needs",
    "reporting",
]
STANDARD = ["apps", "admin", "models", "services", "selectors", "views", "urls", "api"]
MAX_LINES = 600
MAX_COMPLEXITY = 15


def python_files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _layer(app: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if app in layer)


def _imported(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every absolute ``coparcours`` module imported, at module level or in a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
        elif isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)


def test_no_app_imports_against_the_data_flow():
    against = []
    for path in python_files(PACKAGE):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or not any(parts[0] in layer for layer in LAYERS):
            continue  # the project's own modules (settings, urls, api) gather every app
        source = "core.access" if parts[:2] == ("core", "access") else parts[0]
        for module, line in _imported(ast.parse(path.read_text())):
            target = module.split(".")
            if target[0] != "coparcours" or len(target) < 2 or target[1] == parts[0]:
                continue
            if not any(target[1] in layer for layer in LAYERS):
                continue
            if (source, module) in EXCEPTIONS:
                continue
            if _layer(target[1]) >= _layer(parts[0]):
                against.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert against == [], "\n".join(against)


def _module_or_package(app: str, name: str) -> bool:
    return (PACKAGE / app / f"{name}.py").is_file() or (
        PACKAGE / app / name / "__init__.py"
    ).is_file()


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_each_domain_app_keeps_the_standard_layout(app):
    missing = [name for name in STANDARD if not _module_or_package(app, name)]
    assert missing == [], f"{app} lacks {missing}"
    beside = [
        path.name
        for path in (PACKAGE / app).glob("*.py")
        if re.search(r"(^|_)(views|forms|api)(_|$)", path.stem)
        and path.stem not in {"views", "forms", "api"}
    ]
    assert beside == [], f"{app}: {beside} belong in the views/forms/api package"


def _url_views() -> Iterator[tuple[str, object]]:
    def walk(patterns, prefix: str) -> Iterator[tuple[str, object]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if prefix + str(entry.pattern) in {"admin/", "api/v1/"}:
                    continue
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    yield from walk(get_resolver().url_patterns, "")


def _in(module: str, kind: str) -> bool:
    """Whether a dotted module is an app's ``kind`` module or a module of its package."""
    parts = module.split(".")
    return len(parts) >= 3 and parts[0] == "coparcours" and parts[2] == kind


def test_pages_live_in_views_and_operations_in_api():
    """A reader looks for a page in its app's views, and for an operation in its api."""
    misplaced = [
        f"{route} → {view.__module__}"
        for route, view in _url_views()
        if view.__module__.startswith("coparcours.") and not _in(view.__module__, "views")
    ]
    for _prefix, router in api._routers:
        for path, operations in router.path_operations.items():
            for operation in operations.operations:
                module = operation.view_func.__module__
                if module != "coparcours.api" and not _in(module, "api"):
                    misplaced.append(f"API {path} → {module}")
    assert misplaced == [], "\n".join(misplaced)


#: Models that name a youth without holding a piece of their data of one category: the
#: access policy's own facts and the bookkeeping around them.
NOT_YOUTH_DATA = {
    "youths.Assignment": "who accompanies the youth: the policy's fact, not a category",
    "youths.Consent": "what the youth consented to: the policy's fact",
    "youths.ErasureRequest": "the data-protection officer's decision on the whole record",
    "youths.CopyRequest": "the youth's request for a copy of the whole record",
    "housing.PlacementRequest": "the funder's request before any member accompanies",
    "housing.MajorityReminder": "a reminder sent once: a date and its recipients",
    "finance.InvoiceStayDays": "the days billed: an amount's justification, no youth's data",
    "space.YouthLink": "the youth's secret link to their space: an opening, no category",
}


def test_every_model_holding_a_youths_data_derives_from_the_shared_abstract_model():
    """The youth, the category and the author organisation are the access policy's three
    facts: one declaration of them (youths.models.YouthData), used by every such model."""
    strays = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):  # django-simple-history's copies
            continue
        names_youth = any(
            getattr(field, "related_model", None) is Youth and field.concrete
            for field in model._meta.get_fields()
        )
        label = model._meta.label
        if names_youth and not issubclass(model, YouthData) and label not in NOT_YOUTH_DATA:
            strays.append(label)
        if issubclass(model, YouthData):  # a field redeclared keeps its kind
            fields = model._meta
            assert fields.get_field("youth").related_model is Youth, label
            assert fields.get_field("author_organisation").related_model is Organisation, label
            assert fields.get_field("category").max_length == 30, label
    assert strays == []
    assert all(apps.get_model(label) for label in NOT_YOUTH_DATA)


#: Templates that Django picks by name (the error pages).
CONVENTIONAL_TEMPLATES = {"400.html", "403.html", "404.html", "500.html"}


def test_every_template_is_used():
    """A template's name appears where it is rendered, included or extended."""
    templates = {
        str(path.relative_to(folder))
        for folder in PACKAGE.rglob("templates")
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"}
    }
    sources = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.txt")]
    text = "\n".join(path.read_text() for path in sources)
    unused = sorted(name for name in templates - CONVENTIONAL_TEMPLATES if name not in text)
    assert unused == []


#: Template tags (and comments), which print no markup of their own: blanked out, their
#: lines kept, before the markup around a table is read.
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
#: The opening tag a table follows directly, and the attributes it carries.
OPENING_DIV = re.compile(r"<div\b([^<>]*)>\Z")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


def _web_templates() -> Iterator[Path]:
    """The templates of web pages: the PDFs' (in ``pdf/`` folders) are printed as they are."""
    for folder in PACKAGE.rglob("templates"):
        for path in sorted(folder.rglob("*.html")):
            if "pdf" not in path.relative_to(folder).parts:
                yield path


def _framed(markup: str, start: int) -> bool:
    """The table at ``start`` lies directly in a ``table-frame`` div, a region the keyboard
    reaches and a screen reader names, which closes right after it."""
    opening = OPENING_DIV.search(markup[:start].rstrip())
    end = markup.find("</table>", start) + len("</table>")
    if opening is None or not markup[end:].lstrip().startswith("</div>"):
        return False
    attributes = dict(ATTRIBUTE.findall(opening.group(1)))
    return (
        "table-frame" in attributes.get("class", "").split()
        and attributes.get("role") == "region"
        and attributes.get("tabindex") == "0"
        and bool(attributes.get("aria-label", "").strip() or attributes.get("aria-labelledby"))
    )


def test_every_web_table_scrolls_in_its_own_frame():
    """A phone scrolls a wide table sideways inside its frame (its header row and first
    column kept), never the page: every ``<table>`` of a web template sits directly in
    ``<div class="table-frame" role="region" tabindex="0" aria-label="…">``. A partial that
    holds a table (``reporting/_table.html``) wraps it itself."""
    unframed = []
    for path in _web_templates():
        text = path.read_text()
        markup = TEMPLATE_TAG.sub(lambda tag: "\n" * tag.group().count("\n"), text)
        for table in re.finditer(r"<table\b", markup):
            if not _framed(markup, table.start()):
                line = markup.count("\n", 0, table.start()) + 1
                unframed.append(f"{path.relative_to(ROOT)}:{line}")
    assert unframed == [], "\n".join(unframed)


def test_no_module_is_longer_than_a_reader_can_hold():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in python_files(PACKAGE, ROOT / "bench", ROOT / "tests")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == [], "\n".join(long)


def test_no_function_is_too_complex():
    """Cyclomatic complexity as radon counts it: above 15, split the function in steps. The
    tests are left out: an access matrix is a table of checks, read row by row."""
    complex_ = [
        f"{path.relative_to(ROOT)}:{block.lineno} {block.name}: {block.complexity}"
        for path in python_files(PACKAGE, ROOT / "bench")
        for block in cc_visit(path.read_text())
        if block.complexity > MAX_COMPLEXITY
    ]
    assert complex_ == [], "\n".join(complex_)


#: A citation of a document: a Markdown file, or notes kept outside the repository.
CITATION = re.compile(r"[\w./-]+\.md\b")
OUTSIDE = re.compile(r"\.\./shared|\bseeds?/|\bseed 0\d\d\b|\bissue #?\d+", re.IGNORECASE)


def _prose(path: Path) -> str:
    """What a reader reads as prose: a Python file's comments and docstrings, a document's
    whole text."""
    text = path.read_text()
    if path.suffix != ".py":
        return text
    comments = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    ]
    nodes = [node for node in ast.walk(ast.parse(text)) if isinstance(node, DOCUMENTED)]
    docstrings = [ast.get_docstring(node) or "" for node in nodes]
    return "\n".join(comments + docstrings)


DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def test_the_code_cites_only_documents_in_the_repository():
    """Comments and docstrings point into docs/ or to the law, never to notes a reader
    of the repository cannot open."""
    files = [
        *python_files(PACKAGE, ROOT / "tests", ROOT / "bench"),
        *PACKAGE.rglob("*.html"),
        *(ROOT / "docs").glob("*.md"),
        ROOT / "README.md",
    ]
    wrong = []
    for path in files:
        text = _prose(path)
        for match in OUTSIDE.finditer(text):
            wrong.append(f"{path.relative_to(ROOT)}: {match.group(0)!r}")
        for cited in set(CITATION.findall(text)):
            places = (ROOT / cited, path.parent / cited, ROOT / "docs" / cited)
            if not any(place.is_file() for place in places):
                wrong.append(f"{path.relative_to(ROOT)}: cites {cited}, not in the repository")
    assert wrong == [], "\n".join(wrong)


def test_templates_pass_the_template_linter():
    """djlint's rules for Django templates (pyproject.toml, ``[tool.djlint]``), as the
    pre-commit hook runs them."""
    linted = subprocess.run(
        [Path(sys.executable).parent / "djlint", str(PACKAGE / "templates"), "--lint"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout[-3000:]
