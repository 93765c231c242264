"""The demo festival loads through the services, once, with real clips."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select


def _counts(app):
    from showcase.extensions import db
    from showcase.models import Award, Festival, Film, RunningOrderItem, ScheduleSession

    with app.app_context():
        return {
            m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Festival, Film, Award, ScheduleSession, RunningOrderItem)
        }


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
    assert (moderator.person.name, moderator.person.name_en) == ("骆轶航", "Luo Yihang")
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


# --- Restarts keep data -------------------------------------------------------------------------

SITE = "http://127.0.0.1:5000"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """The demo's clips and one 'real' feature, made once for the module with ffmpeg."""
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is missing: `make test` installs it")
    from showcase.demo import data
    from showcase.demo.loader import make_clip

    folder = tmp_path_factory.mktemp("clips")
    for n, key in enumerate(sorted(f[0] for f in data.FILMS)):
        make_clip(folder / "demo" / f"{key}.mp4", hue=n * 50)
    make_clip(folder / "features" / "real-feature.mp4", hue=300, seconds=2)
    return folder


@pytest.fixture
def instance(app, clips):
    """A migrated instance (schema stamped at the head revision) with the clips in its media root."""
    shutil.copytree(clips, app.config["MEDIA_ROOT"])
    result = app.test_cli_runner().invoke(args=["db", "stamp", "head"])
    assert result.exit_code == 0, result.output
    return app


def _start_up(app) -> str:
    """What `make run` does before it serves: migrate, then the demo only into an empty database."""
    runner = app.test_cli_runner()
    output = ""
    for args in (["db", "upgrade"], ["demo", "--if-empty", "--base-url", SITE]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        output += result.output
    return output


def _import_films(app, count: int) -> None:
    from showcase.festivals.services import get_festival
    from showcase.films.importing import import_submissions

    rows = [f"SUB-{n:04d},投稿{n},Entry {n},导演{n},{5 + n % 20}:00,d{n}@example.org" for n in range(count)]
    body = ("报名编号,片名,英文片名,导演,时长,邮箱\r\n" + "\r\n".join(rows) + "\r\n").encode()
    with app.app_context():
        from showcase.extensions import db

        import_submissions(get_festival("ai-shorts-2026"), body)
        db.session.commit()


def _attach_real_media(app) -> None:
    """An imported film and a demo film get the real feature: start-up must keep both assignments."""
    from pathlib import Path

    from showcase.extensions import db
    from showcase.films import media
    from showcase.films.models import Film

    with app.app_context():
        root = Path(app.config["MEDIA_ROOT"])
        asset = media.register(root, root / "features" / "real-feature.mp4")
        for external_id in ("SUB-0003", "DEMO-FIREWORKS"):
            film = db.session.scalar(select(Film).where(Film.external_id == external_id))
            film.media_asset_id = asset.id
        db.session.commit()


def _snapshot(app) -> dict:
    """Every film, media assignment, media asset and media file, as plain values."""
    from pathlib import Path

    from showcase.extensions import db
    from showcase.models import Award, Film, MediaAsset, RunningOrderItem, ScheduleSession

    with app.app_context():
        films = sorted(
            (f.id, f.slug, f.external_id, f.title, f.status, f.media_asset_id, f.version)
            for f in db.session.scalars(select(Film))
        )
        assets = sorted(
            (a.id, a.path, a.sha256, a.byte_size, a.probed_at) for a in db.session.scalars(select(MediaAsset))
        )
        rows = {
            m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Award, ScheduleSession, RunningOrderItem)
        }
    root = Path(app.config["MEDIA_ROOT"])
    files = sorted(
        (str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()
    )
    return {"films": films, "assets": assets, "rows": rows, "files": files}


def _statements_during(app, action) -> list[str]:
    from sqlalchemy import event

    from showcase.extensions import db

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_second_start_up_changes_nothing_and_does_no_per_film_work(instance):
    first = _start_up(instance)
    assert "loaded: 7 films" in first and "7 demo clips registered" in first and "with the password: " in first
    _import_films(instance, 120)
    _attach_real_media(instance)
    before = _snapshot(instance)
    assert len(before["films"]) == 127

    output: list[str] = []
    statements = _statements_during(instance, lambda: output.append(_start_up(instance)))

    assert _snapshot(instance) == before
    assert "nothing loaded, nothing changed" in output[0] and "password: " not in output[0]
    # Two emptiness probes and Alembic's own bookkeeping: nothing that reads or writes a film or a file.
    touching = [s for s in statements if "film" in s.lower() or "media_asset" in s.lower()]
    assert touching == [] and len(statements) < 20, statements


def test_explicit_demo_keeps_others_films_and_assigned_media(instance):
    _start_up(instance)
    _import_films(instance, 30)
    _attach_real_media(instance)
    from showcase.extensions import db
    from showcase.models import Film

    with instance.app_context():  # a demo film whose clip was unassigned by staff gets it back
        tree = db.session.scalar(select(Film).where(Film.external_id == "DEMO-TREE"))
        tree.media_asset_id = None
        db.session.commit()
    before = _snapshot(instance)

    result = instance.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    after = _snapshot(instance)

    assert "already loaded" in result.output and "1 demo clips registered" in result.output
    changed = [old for old, new in zip(before["films"], after["films"], strict=True) if old != new]
    assert [row[2] for row in changed] == ["DEMO-TREE"]  # only the demo film without media
    with instance.app_context():
        films = {f.external_id: f for f in db.session.scalars(select(Film))}
        assert films["DEMO-TREE"].media_asset.path == "demo/tree.mp4"
        assert films["DEMO-FIREWORKS"].media_asset.path == "features/real-feature.mp4"
        assert films["SUB-0003"].media_asset.path == "features/real-feature.mp4"
        assert all(f.media_asset_id is None for k, f in films.items() if k.startswith("SUB-") and k != "SUB-0003")
    assert after["files"] == before["files"]  # the clip existed: registered, never rewritten


def test_start_up_on_a_database_with_only_an_account_loads_nothing(instance, make_user):
    make_user("admin")
    output = _start_up(instance)
    assert "nothing loaded" in output
    assert _counts(instance)["Festival"] == 0
