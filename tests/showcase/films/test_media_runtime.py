"""The media scan and the film's page flag a file that does not last as long as the film's listed runtime."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.showcase.films.support import SLUG

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg (Debian package) is not installed")


def _clip(path: Path, seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size=160x90:rate=10:d={seconds}"]
        + ["-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)],
        check=True,
        timeout=60,
    )
    return path


@pytest.fixture
def two_films(demo):
    """Two 2 s files: one assigned to a film listed at 8 minutes (the wrong file), one to a 2 s film."""
    from showcase.extensions import db
    from showcase.films import media
    from showcase.films.services import create_film
    from tests.showcase.films.support import festival

    root = Path(demo.config["MEDIA_ROOT"])
    with demo.app_context():
        wrong = create_film(festival(), title="八分钟", title_en="Eight Minutes", runtime_seconds=480)
        right = create_film(festival(), title="两秒", title_en="Two Seconds", runtime_seconds=2)
        wrong.media_asset_id = media.register(root, _clip(root / "night" / "trailer.mp4", 2)).id
        right.media_asset_id = media.register(root, _clip(root / "night" / "short.mp4", 2)).id
        db.session.commit()
        return {"wrong": (wrong.id, wrong.code), "right": (right.id, right.code), "root": root}


def test_media_scan_flags_a_file_shorter_than_its_films_runtime(demo, two_films):
    result = demo.test_cli_runner().invoke(args=["media", "scan", str(two_films["root"] / "night")])
    assert result.exit_code == 0, result.stderr  # flagged, still registered: staff decide
    code = two_films["wrong"][1]
    checks = [line for line in result.stderr.splitlines() if line.startswith("check: ")]
    assert checks == [
        f"check: night/trailer.mp4: Eight Minutes ({code}): file lasts 0:02, film listed at 8:00: "
        "shorter than it should be (wrong file?)"
    ]
    assert "2 registered, 0 skipped, 1 not as long as their film's runtime." in result.stderr


def test_media_scan_says_nothing_of_files_that_fit(demo, two_films):
    (two_films["root"] / "night" / "trailer.mp4").unlink()
    result = demo.test_cli_runner().invoke(args=["media", "scan", str(two_films["root"] / "night")])
    assert result.exit_code == 0 and "check:" not in result.stderr
    assert "1 registered, 0 skipped." in result.stderr


def test_film_page_shows_the_mismatch(demo, client, login_as, two_films):
    login_as("viewer")
    wrong = client.get(f"/staff/festivals/{SLUG}/films/{two_films['wrong'][0]}")
    right = client.get(f"/staff/festivals/{SLUG}/films/{two_films['right'][0]}")
    assert wrong.status_code == right.status_code == 200
    assert "Check the file: file lasts 0:02, film listed at 8:00" in html.unescape(wrong.get_data(as_text=True))
    assert "Check the file" not in right.get_data(as_text=True)
