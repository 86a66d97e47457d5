from tests.housing.conftest import gme  # noqa: F401 (the fixture)
