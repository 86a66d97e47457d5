from __future__ import annotations

import pytest


@pytest.fixture
def lucas(demo):
    """Accompanied by the porteur (the referente), co-accompanied by the mission locale
    (the conseiller) with his consent to share contact, employment and documents."""
    return demo.porteur.owned_youths.get(last_name="Martin")


# the reporting tests' CEJ-JR partnership, for the register's aggregates
from tests.reporting.conftest import partnership  # noqa: E402, F401
