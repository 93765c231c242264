"""Fixtures for the films workspace tests: 2,300 generated submissions, a second festival."""

from __future__ import annotations

from datetime import date

import pytest

from tests.samples import spreadsheet_csv, submission_rows


@pytest.fixture(scope="session")
def big_csv() -> bytes:
    """2,300 generated submissions in GB18030, as staff export them from a spreadsheet."""
    return spreadsheet_csv(submission_rows(2300))


@pytest.fixture
def other_festival(demo):
    """A second festival, for "a film of another festival" checks."""
    from showcase.extensions import db
    from showcase.festivals.services import create_festival
    from showcase.films.services import create_film

    with demo.app_context():
        other = create_festival(
            name="Other",
            slug="other-2026",
            start_date=date(2026, 5, 1),
            end_date=date(2026, 5, 2),
            timezone="Europe/Paris",
        )
        film = create_film(other, title="别处", title_en="Elsewhere", runtime_seconds=300, external_id="OT-1")
        db.session.commit()
        return {"festival_id": other.id, "film_id": film.id, "code": film.code}
