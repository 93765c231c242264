"""The films tests' second festival, shared with the workspace tests."""

from tests.showcase.films.conftest import other_festival  # noqa: F401 - a fixture
