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


def test_staff_scan_the_media_folder_as_a_job_and_get_its_report(demo, client, login_as, make_user, two_films):
    from sqlalchemy import select

    from showcase.extensions import db
    from showcase.films.models import MediaAsset
    from tests.conftest import login, post_form
    from tests.showcase.jobs.support import wait_for_job

    root = two_films["root"]
    _clip(root / "later" / "new.mp4", 1)  # copied in after the last scan
    (root / "later" / "broken.mp4").write_bytes(b"not a film")
    edit = f"/staff/festivals/{SLUG}/films/{two_films['right'][0]}/edit"
    scan = f"/staff/festivals/{SLUG}/films/media/scan"
    viewer = demo.test_client()
    login(viewer, make_user("viewer"))
    assert post_form(viewer, scan, {}, token_from=f"/staff/festivals/{SLUG}/programme/").status_code == 403
    login_as("editor")
    assert "Scan the media folder" in client.get(edit).get_data(as_text=True)
    response = post_form(client, scan, {}, token_from=edit)
    assert response.status_code == 303 and response.headers["Location"].startswith("/staff/jobs/")
    status = wait_for_job(client, response.headers["Location"])
    assert status["state"] == "done", status
    assert status["done"] == status["total"] == 4 and status["message"] == "Checking the video files"
    assert status["summary"] == "3 registered, 1 skipped, 1 not as long as their film's runtime."
    report = client.get(status["download"])
    assert report.headers["Content-Disposition"] == "attachment; filename=media-scan.txt"
    lines = report.get_data(as_text=True).splitlines()
    assert [line.split("\t")[0] for line in lines[:3]] == ["later/new.mp4", "night/short.mp4", "night/trailer.mp4"]
    assert lines[3].startswith("skipped: broken.mp4: not a readable media file")
    assert lines[4].startswith("check: night/trailer.mp4: Eight Minutes")
    with demo.app_context():
        assert db.session.scalar(select(MediaAsset.byte_size).where(MediaAsset.path == "later/new.mp4")) > 0


def test_a_scan_without_a_media_folder_fails_and_says_where_it_looked(demo, client, login_as):
    from tests.conftest import post_form
    from tests.showcase.jobs.support import wait_for_job

    root = Path(demo.config["MEDIA_ROOT"])
    shutil.rmtree(root, ignore_errors=True)
    login_as("editor")
    page = f"/staff/festivals/{SLUG}/films/new"
    scan = f"/staff/festivals/{SLUG}/films/media/scan"
    status = wait_for_job(client, post_form(client, scan, {}, token_from=page).headers["Location"])
    assert status["state"] == "failed" and f"The media folder {root} does not exist" in status["error"]
    assert not (Path(demo.instance_path) / "jobs").exists() or not any((Path(demo.instance_path) / "jobs").iterdir())
