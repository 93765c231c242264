"""A playlist's zip with media is made as a background job: progress, the same zip as before, and clean failures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import select

from tests.conftest import post_form
from tests.showcase.jobs.support import wait_for_job

SLUG = "ai-shorts-2026"


def _export_page(playlist_id: int) -> str:
    return f"/staff/festivals/{SLUG}/playlists/{playlist_id}/export"


def _start(client, playlist_id: int, version: int | str):
    page = _export_page(playlist_id)
    return post_form(
        client, f"/staff/festivals/{SLUG}/playlists/{playlist_id}/bundle", {"version": version}, token_from=page
    )


def _jobs_folder(app) -> list[Path]:
    folder = Path(app.instance_path) / "jobs"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_zip_is_made_as_a_job_with_progress_and_is_the_bundle(demo, client, login_as, screening):
    playlist_id, version = screening
    login_as("viewer")
    assert "Make the zip with media" in client.get(_export_page(playlist_id)).get_data(as_text=True)
    response = _start(client, playlist_id, version)
    assert response.status_code == 303 and response.headers["Location"].startswith("/staff/jobs/")
    page = response.headers["Location"]
    status = wait_for_job(client, page)
    assert status["state"] == "done", status
    assert status["done"] == status["total"] > 0 and status["message"] == "Packing the bundle"
    assert f"Version {version}," in status["summary"] and " MB." in status["summary"]
    assert "Playlist zip with media" in client.get(page).get_data(as_text=True)
    download = client.get(status["download"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == f"attachment; filename=playlist-{playlist_id}-v{version}.zip"
    made = _entries(download.data)
    direct = _entries(client.get(_export_page(playlist_id) + f"?format=zip&version={version}").data)
    assert made == direct  # the very bundle the direct download gives
    assert {"playlist.json", "playlist.xspf", "playlist.m3u8"} <= set(made)
    assert sum(name.startswith("media/") and not name.endswith("/") for name in made) >= 1
    assert [p.name for p in _jobs_folder(demo)] == [f"{page.rsplit('/', 1)[1]}.zip"]  # no partial file beside it


def test_a_missing_film_fails_the_job_with_its_name_and_leaves_no_file(demo, client, login_as, screening):
    from showcase.extensions import db
    from showcase.films.models import MediaAsset

    playlist_id, version = screening
    with demo.app_context():
        asset = db.session.scalars(select(MediaAsset).order_by(MediaAsset.id)).first()
        missing = Path(demo.config["MEDIA_ROOT"]) / asset.path
        sha = asset.sha256[:12]
    missing.unlink()
    login_as("viewer")
    status = wait_for_job(client, _start(client, playlist_id, version).headers["Location"])
    assert status["state"] == "failed" and "is missing from MEDIA_ROOT" in status["error"] and sha in status["error"]
    assert not status.get("download")
    assert _jobs_folder(demo) == []


def test_an_unpublished_version_is_refused_at_once(demo, client, login_as, screening):
    playlist_id, _version = screening
    login_as("viewer")
    assert _start(client, playlist_id, 99).status_code == 404
    for wrong in ("x", "0", "9223372036854775808", "1" * 40):
        assert _start(client, playlist_id, wrong).status_code == 404, wrong
        assert client.get(_export_page(playlist_id) + f"?format=json&version={wrong}").status_code == 404, wrong
    assert _start(client, playlist_id, "").status_code == 303  # none named: the newest
    assert client.post(f"/staff/festivals/{SLUG}/playlists/{playlist_id}/bundle").status_code == 400  # no CSRF token
