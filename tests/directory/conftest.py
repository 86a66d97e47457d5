from __future__ import annotations

import pytest

from coparcours.directory.factories import load_nord_directory


@pytest.fixture
def nord_directory(db):
    """The Nord sample and the schemes, without the rest of the demo."""
    load_nord_directory({})
