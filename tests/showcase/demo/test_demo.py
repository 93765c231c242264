"""The demo festival loads through the services, once, with real clips."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select


def _counts(app):
    from showcase.extensions import db
    from showcase.models import Award, Festival, Film, RunningOrderItem, ScheduleSession

    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
                for m in (Festival, Film, Award, ScheduleSession, RunningOrderItem)}


def test_demo_command_loads_once_and_prints_a_login(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--no-clips"])
    assert first.exit_code == 0, first.output
    assert "with the password: " in first.output
    counts = _counts(app)
    assert counts["Film"] == 7 and counts["Festival"] == 1 and counts["Award"] == 7
    second = runner.invoke(args=["demo", "--no-clips"])
    assert second.exit_code == 0 and "already loaded" in second.output and "already exists" in second.output
    assert _counts(app) == counts


def test_demo_content_matches_the_competition(demo, ctx):
    from showcase.extensions import db
    from showcase.models import AwardCategory, Film, ScheduleSession, SessionPerson

    films = {f.title_en: f for f in db.session.scalars(select(Film))}
    assert {"Under the Fireworks Lies My Home", "The Fantasy of a ‘Tree’", "ALAYA"} <= set(films)
    main = db.session.scalar(select(AwardCategory).where(AwardCategory.name_en == "Main Competition"))
    placements = sorted((a.placement, a.film.title_en) for a in main.awards)
    assert placements[0] == (1, "Under the Fireworks Lies My Home")
    assert [p for p, _ in placements].count(2) == 2  # two shared second prizes
    assert films["Under the Fireworks Lies My Home"].credits[0].person.name == "Chen Youxue"
    panel = db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == "panel"))
    assert panel.title_en == "Tool, partner, or new director?"
    moderator = db.session.scalar(select(SessionPerson).where(SessionPerson.role == "moderator"))
    assert moderator.person.name == "Luo Yihang"
    ceremony = db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == "ceremony"))
    film_items = [i for i in ceremony.items if i.kind == "film"]
    assert film_items[-1].film.title_en == "Under the Fireworks Lies My Home"  # first prize comes last
    assert ceremony.starts_at.astimezone(ceremony_zone()).hour == 14


def ceremony_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (make test installs it)")
def test_demo_clips_are_real_video_registered_as_media(app):
    from showcase.extensions import db
    from showcase.models import Film

    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        films = list(db.session.scalars(select(Film)))
        assets = [f.media_asset for f in films]
        assert all(a is not None for a in assets)
        assert all(a.video_codec == "h264" and 3.5 < a.duration_seconds < 4.5 for a in assets)
        assert len({a.sha256 for a in assets}) == 7
