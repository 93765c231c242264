"""`showcase playlists export` and `showcase kiosks add|new-token|assign`."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_export_each_format(demo, screening, tmp_path):
    for form in ("json", "xspf", "m3u8"):
        out = tmp_path / f"show.{form}"
        result = _run(demo, "playlists", "export", str(screening[0]), "--format", form, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert out.is_file()
    assert json.loads((tmp_path / "show.json").read_text("utf-8"))["version"] == 1
    # without --with-media the films point at their files in MEDIA_ROOT
    assert str(tmp_path / "media") in (tmp_path / "show.m3u8").read_text("utf-8")


def test_export_with_media_is_a_playable_folder(demo, screening, tmp_path):
    from playlists.kiosk.link import local_delivery

    out = tmp_path / "usb" / "playlist.json"
    out.parent.mkdir()
    result = _run(demo, "playlists", "export", str(screening[0]), "--format", "json", "--out", str(out), "--with-media")
    assert result.exit_code == 0, result.output
    delivery = local_delivery(out)
    films = [item for item in delivery.playlist.items if item.media]
    assert len(films) == 7
    for item in films:
        path, problem = delivery.check_file(item)
        assert problem is None and hashlib.sha256(path.read_bytes()).hexdigest() == item.media.sha256


def test_export_bad_input_exits_1_and_writes_nothing(demo, screening, tmp_path):
    out = tmp_path / "x.xspf"
    cases = [
        (("playlists", "export", "999", "--format", "xspf", "--out", str(out)), "No playlist with id 999"),
        (("playlists", "export", str(screening[0]), "--format", "pdf", "--out", str(out)), "Unknown format"),
        (
            ("playlists", "export", str(screening[0]), "--format", "xspf", "--out", "/nonexistent/dir/x.xspf"),
            "does not exist or is not writable",
        ),
        (("playlists", "export", str(screening[0]), "--format", "xspf", "--out", str(tmp_path)), "it is a folder"),
        (
            ("playlists", "export", str(screening[0]), "--format", "xspf", "--out", str(out), "--version", "5"),
            "has not been published",
        ),
    ]
    for args, message in cases:
        result = _run(demo, *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, result.output
        assert "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_export_of_an_unpublished_playlist_exits_1(demo, tmp_path):
    out = tmp_path / "x.json"
    result = _run(demo, "playlists", "export", "1", "--format", "json", "--out", str(out))
    assert result.exit_code == 1 and "has not been published" in result.output and not out.exists()


def test_kiosks_add_prints_the_token_once_and_stores_its_hash(demo):
    from showcase.extensions import db
    from showcase.kiosks.models import Kiosk

    result = _run(demo, "kiosks", "add", "foyer", "--screen", "2")
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[1]
    with demo.app_context():
        kiosk = db.session.scalar(select(Kiosk).where(Kiosk.name == "foyer"))
        assert kiosk.token_hash == hashlib.sha256(token.encode()).hexdigest() and kiosk.screen_id == 2
    client = demo.test_client()
    assert client.get("/api/kiosk/manifest", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    again = _run(demo, "kiosks", "add", "foyer")
    assert again.exit_code == 1 and "exists already" in again.output
    assert _run(demo, "kiosks", "add", "x", "--screen", "99").exit_code == 1


def test_new_token_replaces_the_old_one_and_assign(demo, screening):
    first = _run(demo, "kiosks", "new-token", "hall-1").output.splitlines()[1]
    second = _run(demo, "kiosks", "new-token", "hall-1").output.splitlines()[1]
    client = demo.test_client()
    assert client.get("/api/kiosk/commands", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/api/kiosk/commands", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert _run(demo, "kiosks", "assign", "hall-1", "--playlist", "999").exit_code == 1
    assert _run(demo, "kiosks", "assign", "nobody", "--playlist", "1").exit_code == 1
    assert _run(demo, "kiosks", "assign", "hall-1").exit_code == 0
    assert client.get("/api/kiosk/manifest", headers={"Authorization": f"Bearer {second}"}).status_code == 204
