"""The container's files agree with the project: requirements.lock, which the image installs,
pins what pyproject.toml asks for within its ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[\w.-]+==[\w.+-]+", line), f"not an exact pin: {line}"
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_the_lock_pins_each_dependency_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = _pins()
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    wrong = []
    for spec in wanted:
        requirement = Requirement(spec)
        names = [requirement.name, *(f"{requirement.name}-{extra}" for extra in requirement.extras)]
        for name in names:  # psycopg[binary] is psycopg and psycopg-binary
            version = pins.get(canonicalize_name(name))
            if version is None or version not in requirement.specifier:
                wrong.append(f"{spec}: {name} {version or 'not pinned'}")
    assert wrong == [], "run `make lock`:\n" + "\n".join(wrong)
