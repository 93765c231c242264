"""A bundle exported as root (films and a rendered title card) plays in stock VLC run by another user, every item."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from sqlalchemy import select

from playlists.format import from_json
from tests.playlists.kiosk_support import CLIP_SECONDS, make_clip

pytestmark = pytest.mark.vlc


@pytest.fixture
def public_dir():
    """A folder others may enter, under the usual umask; nothing in it is made readable by the test itself."""
    path = Path(tempfile.mkdtemp(prefix="showcase-export-", dir="/tmp"))
    path.chmod(0o755)  # mkdtemp's folder is private; a USB stick or a shared folder is not
    old = os.umask(0o022)
    yield path
    os.umask(old)
    shutil.rmtree(path)


def two_films_and_a_card(app) -> int:
    """The demo screening cut to two films with real clips and a title card between them, published: its id."""
    from showcase.extensions import db
    from showcase.films.media import register
    from showcase.kiosks.drafts import add_card, move, remove_item
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.publishing import publish

    with app.app_context():
        playlist = db.session.scalar(select(Playlist).where(Playlist.source == "session"))
        first, second, *rest = [item for item in playlist.items if item.kind == "film"]
        for item in rest:
            remove_item(playlist, item.id)
        root = Path(app.config["MEDIA_ROOT"])
        (root / "clips").mkdir(parents=True)
        for item, pattern in ((first, "testsrc"), (second, "smptebars")):
            clip = make_clip(root / "clips" / f"{item.film.slug}.mp4", seconds=CLIP_SECONDS, pattern=pattern)
            item.film.media_asset = register(root, clip)
        card = add_card(playlist, title="二等奖", title_en="Second prize", text="二等奖\nSecond prize", seconds=1)
        move(playlist, card.id, direction="up")
        publish(playlist)
        db.session.commit()
        return playlist.id


@pytest.mark.skipif(not shutil.which("cvlc") or not shutil.which("runuser"), reason="needs Debian's vlc-bin")
def test_exported_bundle_plays_every_item_in_cvlc_as_another_user(demo, public_dir):
    assert os.geteuid() == 0, "the export runs as root and cvlc as nobody"
    playlist_id = two_films_and_a_card(demo)
    folder = public_dir / "颁奖 #1 & rain"  # the bundle's own folder name is percent-encoded in VLC's base URL
    folder.mkdir()
    out = folder / "playlist.xspf"
    export = demo.test_cli_runner().invoke(
        args=["playlists", "export", str(playlist_id), "--format", "xspf", "--out", str(out), "--with-media"]
    )
    assert export.exit_code == 0, export.output
    items = from_json((folder / "playlist.json").read_text("utf-8")).items
    assert [item.kind for item in items] == ["film", "card", "film"]
    run = subprocess.run(
        ["runuser", "-u", "nobody", "--", "cvlc", "--intf", "dummy", "--vout=dummy", "--aout=dummy"]
        + ["--play-and-exit", "-vv", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-2000:]
    opened = [line.split("`")[1].split("'")[0] for line in log.splitlines() if "' successfully opened" in line]
    names = [urllib.parse.unquote(uri.rsplit("/", 1)[1]) for uri in opened]
    cards = [path.name for path in (folder / "cards").iterdir()]
    assert len(cards) == 1
    assert names == ["playlist.xspf", Path(items[0].media.uri).name, cards[0], Path(items[2].media.uri).name], (
        names,
        log[-1500:],
    )
    assert all(urllib.parse.unquote(uri).startswith(f"file://{folder}/") for uri in opened)
    assert log.count("EOF reached") >= 4
    assert "end of playlist, exiting" in log
