"""Benchmark settings: Coparcours as configured by the environment, plus the two anchors."""

from coparcours.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR.parent / "bench" / "templates"]  # noqa: F405
