"""Judging fixtures: a festival the size of the model case (2,300 submissions), written in bulk."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def big_festival(app) -> str:
    """A festival with 2,300 submitted films (bulk rows: the import's own speed is measured elsewhere)."""
    from showcase.extensions import db
    from showcase.festivals.services import create_festival
    from showcase.films.models import Film, ShortCode

    with app.app_context():
        festival = create_festival(
            name="大赛",
            slug="big-2026",
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 3),
            timezone="Asia/Shanghai",
        )
        db.session.flush()
        codes = [f"big{n:05d}" for n in range(2300)]
        db.session.execute(ShortCode.__table__.insert(), [{"code": c} for c in codes])
        db.session.execute(
            Film.__table__.insert(),
            [
                {
                    "festival_id": festival.id,
                    "code": code,
                    "slug": f"film-{n}",
                    "title": f"影片{n}",
                    "runtime_seconds": 300,
                    "version": 1,
                    "external_id": f"AI{n:04d}",
                }
                for n, code in enumerate(codes)
            ],
        )
        db.session.commit()
        return festival.slug
