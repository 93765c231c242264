"""`showcase films import|export` and `showcase media scan` through click's runner."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import select

from tests.showcase.films.support import GOOD, MALFORMED, SLUG, counts


def _db_counts(app) -> dict[str, int]:
    with app.app_context():
        return counts()


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_cli_imports_2300_rows_then_reimport_changes_nothing(demo, tmp_path, big_csv):
    path = tmp_path / "submissions.csv"
    path.write_bytes(big_csv)
    before = _db_counts(demo)
    first = _run(demo, "films", "import", str(path), "--festival", SLUG)
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "2300 rows: 2300 new films" in first.stdout and "Imported: 2300 created" in first.stdout
    assert "Importing" in first.stderr  # the progress bar
    middle = _db_counts(demo)
    assert middle["Film"] == before["Film"] + 2300
    again = _run(demo, "films", "import", str(path), "--festival", SLUG)
    assert again.exit_code == 0 and "0 new films, 0 changed, 2300 unchanged" in again.stdout
    assert _db_counts(demo) == middle


def test_dry_run_writes_nothing(demo, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD)
    before = _db_counts(demo)
    result = _run(demo, "films", "import", str(path), "--festival", SLUG, "--dry-run")
    assert result.exit_code == 0 and "2 new films" in result.stdout and "Dry run" in result.stdout
    assert _db_counts(demo) == before


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_cli_refuses_malformed_files_with_row_messages(demo, tmp_path, name):
    data, phrase = MALFORMED[name]
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before = _db_counts(demo)
    result = _run(demo, "films", "import", str(path), "--festival", SLUG)
    assert result.exit_code == 1
    assert "error: " in result.stderr and "Nothing was imported" in result.stderr
    assert phrase in result.stderr
    assert _db_counts(demo) == before


def test_cli_names_an_unknown_festival(demo, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD)
    result = _run(demo, "films", "import", str(path), "--festival", "no-such-festival")
    assert result.exit_code != 0 and "no-such-festival" in result.stderr


def test_cli_export_neutralises_formulas(demo, tmp_path):
    from showcase.extensions import db
    from showcase.films.services import create_film
    from tests.showcase.films.support import festival

    with demo.app_context():
        create_film(festival(), title="=1+2", runtime_seconds=60, external_id="X-1")
        db.session.commit()
    out = tmp_path / "films.csv"
    result = _run(demo, "films", "export", "--festival", SLUG, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_bytes().decode("utf-8-sig")
    assert "'=1+2" in text and text.count("\r\n") == 1 + 8  # header, 7 demo films and ours


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg (Debian package) is not installed")
def test_media_scan_registers_videos_and_skips_unreadable_files(app, tmp_path):
    from showcase.extensions import db
    from showcase.films.models import MediaAsset

    root = tmp_path / "media"
    clip = root / "night" / "film one.mp4"
    clip.parent.mkdir(parents=True)
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90:rate=10:d=2",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ],
        check=True,
        timeout=60,
    )
    (root / "night" / "notes.mp4").write_text("not a video")
    (root / "night" / "readme.txt").write_text("ignored: not a video extension")
    result = _run(app, "media", "scan", str(root / "night"))
    assert result.exit_code == 1  # one file was skipped, and the command says so
    assert "night/film one.mp4" in result.stdout and "h264" in result.stdout
    assert "skipped: notes.mp4" in result.stderr and "Scanning" in result.stderr
    with app.app_context():
        assets = db.session.scalars(select(MediaAsset)).all()
        assert [a.path for a in assets] == ["night/film one.mp4"]
        assert assets[0].byte_size == clip.stat().st_size and len(assets[0].sha256) == 64
        assert 1.5 < assets[0].duration_seconds < 2.5
    outside = _run(app, "media", "scan", str(tmp_path))
    assert outside.exit_code != 0 and "not a folder under the media root" in outside.stderr
