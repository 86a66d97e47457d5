"""The youth's space in every language of settings.LANGUAGES: each text marked for
translation has its translation in each catalogue, and the compiled catalogues Django reads
are those of the texts reviewed (docs/youth-space.md, « Languages »)."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import coparcours

SOURCE = Path(coparcours.__file__).parent
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _catalogue(code: str, name: str) -> Path:
    return SOURCE / "locale" / code / "LC_MESSAGES" / name


@pytest.fixture(scope="module")
def gettext_tools() -> None:
    if shutil.which("xgettext") is None or shutil.which("msgcmp") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is missing: .ci/run installs it")
        pytest.skip("GNU gettext is not installed here (apt-get install gettext)")


@pytest.fixture(scope="module")
def every_text(tmp_path_factory, gettext_tools) -> Path:
    """A fresh catalogue of every text the code marks, from a copy of the code (extracting
    writes next to the sources)."""
    copy = tmp_path_factory.mktemp("catalogue") / "coparcours"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=shutil.ignore_patterns("static", "locale", "migrations", "__pycache__"),
    )
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    finally:
        os.chdir(here)
    return copy / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_text_is_translated(code, every_text):
    """msgcmp fails on a text missing from the catalogue, untranslated or still fuzzy."""
    compared = subprocess.run(
        ["msgcmp", "--no-fuzzy-matching", _catalogue(code, "django.po"), every_text],
        capture_output=True,
        text=True,
    )
    assert compared.returncode == 0, compared.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_the_reviewed_one(code, tmp_path, gettext_tools):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", compiled, _catalogue(code, "django.po")], check=True)
    with compiled.open("rb") as fresh, _catalogue(code, "django.mo").open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(fresh)._catalog


#: Abbreviations a youth reads every day, said as they are written.
EVERYDAY_ABBREVIATIONS = {"PDF", "JPEG", "PNG", "SMS", "STOP", "JJ", "MM", "AAAA"}
#: A sentence past this many words is split (docs/youth-space.md, « Plain language »).
MOST_WORDS = 25


def test_the_youths_texts_are_plain_french():
    """Every text marked for the youth's space is read in short sentences, without an
    unexplained acronym: the French texts are the message ids of the catalogue."""
    text_of_entry = re.compile(r'^msgid "(.*)"$|^"(.*)"$')
    ids, current = [], None
    for line in _catalogue("en", "django.po").read_text().splitlines():
        if line.startswith("msgid "):
            current = []
            ids.append(current)
        elif line.startswith(("msgstr", "msgid_plural", "#")) or not line:
            current = None
        if current is not None and (found := text_of_entry.match(line)):
            current.append(found.group(1) if found.group(1) is not None else found.group(2))
    long, acronyms = [], []
    for parts in ids:
        text = re.sub(r"<[^>]+>|%\(\w+\)[sd]", "X", "".join(parts))
        for sentence in re.split(r"(?<=[.!?:])\s+", text):
            if len(sentence.split()) > MOST_WORDS:
                long.append(sentence)
            acronyms += [
                word
                for word in re.findall(r"\b[A-Z]{2,}[A-Z0-9-]*\b", sentence)
                if word not in EVERYDAY_ABBREVIATIONS and set(word) != {"X"}
            ]
    assert long == [] and acronyms == []
