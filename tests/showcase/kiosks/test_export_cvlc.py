"""Exports made as root play in stock VLC run by another user, every item: a bundle (films, a hold and a rendered
title card) as XSPF and as M3U8, and single XSPF and M3U8 files whose card and hold are pictures beside them and
whose films stay in MEDIA_ROOT under names with `#`, a space and Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from playlists.format import from_json
from tests.playlists.kiosk_support import make_clip

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


def two_films_and_a_card(app, *, media_root: Path | None = None, first_file: str | None = None, hold: float = 0) -> int:
    """The demo screening cut to two films with real clips and a title card between them, published: its id.

    `media_root` replaces MEDIA_ROOT (a folder another user may read), `first_file` names the first film's file,
    `hold` is held after the first film."""
    from showcase.extensions import db
    from showcase.films.media import register
    from showcase.kiosks.drafts import add_card, move, remove_item, update_item
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.publishing import publish

    if media_root is not None:
        app.config["MEDIA_ROOT"] = str(media_root)
    with app.app_context():
        playlist = db.session.scalar(select(Playlist).where(Playlist.source == "session"))
        first, second, *rest = [item for item in playlist.items if item.kind == "film"]
        for item in rest:
            remove_item(playlist, item.id)
        root = Path(app.config["MEDIA_ROOT"])
        (root / "clips").mkdir(parents=True)
        for item, pattern in ((first, "testsrc"), (second, "smptebars")):
            name = first_file if item is first and first_file else f"{item.film.slug}.mp4"
            item.film.media_asset = register(root, make_clip(root / "clips" / name, seconds=1.0, pattern=pattern))
        if hold:
            update_item(playlist, first.id, hold=hold)
        card = add_card(playlist, title="二等奖", title_en="Second prize", text="二等奖\nSecond prize", seconds=1)
        move(playlist, card.id, direction="up")
        publish(playlist)
        db.session.commit()
        return playlist.id


def play_as_nobody(playlist: Path) -> tuple[list[str], str]:
    """Play `playlist` in cvlc as `nobody` to its end: the URIs cvlc opened, in order, and its log.

    Pictures default to 60 s here: only the playlist's own image-duration for each picture ends the run in time."""
    command = ["runuser", "-u", "nobody", "--", "cvlc", "--intf", "dummy", "--vout=dummy", "--aout=dummy"]
    command += ["--image-duration=60", "--play-and-exit", "-vv", str(playlist)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("cvlc did not reach the end: a picture ignored its image-duration, or an item hung")
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-2000:]
    opened = [line.split("`")[1].split("'")[0] for line in log.splitlines() if "' successfully opened" in line]
    return opened, log


@pytest.mark.skipif(not shutil.which("cvlc") or not shutil.which("runuser"), reason="needs Debian's vlc-bin")
def test_exported_bundle_plays_every_item_in_cvlc_as_another_user(demo, public_dir):
    assert os.geteuid() == 0, "the export runs as root and cvlc as nobody"
    playlist_id = two_films_and_a_card(demo, hold=1)
    folder = public_dir / "颁奖 #1 & rain"  # the bundle's own folder name is percent-encoded in VLC's base URL
    folder.mkdir()
    out = folder / "playlist.xspf"
    export = demo.test_cli_runner().invoke(
        args=["playlists", "export", str(playlist_id), "--format", "xspf", "--out", str(out), "--with-media"]
    )
    assert export.exit_code == 0, export.output
    items = from_json((folder / "playlist.json").read_text("utf-8")).items
    assert [item.kind for item in items] == ["film", "card", "film"] and items[0].hold == 1
    black, card = sorted((folder / "cards").iterdir(), key=lambda path: Image.open(path).getextrema()[0][1])
    first, second = (folder / item.media.uri for item in (items[0], items[2]))
    for playlist in (out, folder / "playlist.m3u8"):
        opened, log = play_as_nobody(playlist)
        files = [Path(urllib.parse.unquote(urllib.parse.urlsplit(uri).path)) for uri in opened]
        assert files == [playlist, first, black, card, second], (opened, log[-1500:])
        assert log.count("EOF reached") >= 5
        assert "end of playlist, exiting" in log


@pytest.mark.skipif(not shutil.which("cvlc") or not shutil.which("runuser"), reason="needs Debian's vlc-bin")
@pytest.mark.parametrize("form", ["xspf", "m3u8"])
def test_single_file_export_plays_films_card_and_hold_in_cvlc_as_another_user(demo, public_dir, form):
    assert os.geteuid() == 0, "the export runs as root and cvlc as nobody"
    library = public_dir / "library"  # the venue's media library, which the player account may read
    playlist_id = two_films_and_a_card(demo, media_root=library, first_file="影片 #1.mp4", hold=1)
    folder = public_dir / "放映 #2 night"
    folder.mkdir()
    out = folder / f"show.{form}"
    export = demo.test_cli_runner().invoke(
        args=["playlists", "export", str(playlist_id), "--format", form, "--out", str(out)]
    )
    assert export.exit_code == 0, export.output
    cards = folder / "show-cards"
    black, card = sorted(cards.iterdir(), key=lambda path: Image.open(path).getextrema()[0][1])
    assert Image.open(black).getextrema() == ((0, 0), (0, 0), (0, 0))  # the hold: a black picture
    assert sorted(path.name for path in folder.iterdir()) == ["show-cards", out.name]  # no films copied
    text = out.read_text("utf-8")
    assert "影片 #1" not in text and "%E5%BD%B1%E7%89%87%20%231.mp4" in text
    opened, log = play_as_nobody(out)
    files = [Path(urllib.parse.unquote(urllib.parse.urlsplit(uri).path)) for uri in opened]
    first = library / "clips" / "影片 #1.mp4"
    (second,) = [path for path in (library / "clips").iterdir() if path != first]
    assert files == [out, first, black, card, second], (opened, log[-1500:])
    assert log.count("EOF reached") >= 5
    assert "end of playlist, exiting" in log
