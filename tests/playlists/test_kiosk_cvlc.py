"""An exported XSPF (films and a rendered title card) plays in stock VLC, every item."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import pytest

from playlists.format import Item, to_xspf
from playlists.kiosk.cards import render_card
from tests.playlists.kiosk_support import film_item, make_playlist

pytestmark = pytest.mark.vlc


@pytest.fixture
def public_dir():
    """cvlc refuses to run as root, so it runs as nobody: the files must be readable by nobody."""
    path = Path(tempfile.mkdtemp(prefix="showcase-xspf-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


@pytest.mark.skipif(not shutil.which("cvlc") or not shutil.which("runuser"), reason="needs Debian's vlc-bin")
def test_exported_xspf_plays_every_item_in_cvlc(public_dir, clips):
    shutil.copy(clips["good1"], public_dir / "星河 #1.mp4")
    shutil.copy(clips["good2"], public_dir / "rain & room.mp4")
    card = Item(
        key="c", kind="card", title="二等奖", title_en="Second prize", card_text="二等奖\nSecond prize", card_seconds=1
    )
    playlist = make_playlist(
        film_item("a", public_dir / "星河 #1.mp4"), card, film_item("b", public_dir / "rain & room.mp4")
    )
    image = render_card(card.card_text, public_dir)
    xspf = public_dir / "screening.xspf"
    xspf.write_text(
        to_xspf(playlist, locate=lambda item: item.media.uri if item.media else image.name), encoding="utf-8"
    )
    for path in public_dir.iterdir():
        path.chmod(0o644)
    run = subprocess.run(
        [
            "runuser",
            "-u",
            "nobody",
            "--",
            "cvlc",
            "--intf",
            "dummy",
            "--vout=dummy",
            "--aout=dummy",
            "--play-and-exit",
            "-vv",
            str(xspf),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-2000:]
    opened = [line.split("`")[1].split("'")[0] for line in log.splitlines() if "' successfully opened" in line]
    names = [urllib.parse.unquote(uri.rsplit("/", 1)[1]) for uri in opened]
    assert names == ["screening.xspf", "星河 #1.mp4", image.name, "rain & room.mp4"]
    assert log.count("EOF reached") >= 4
    assert "end of playlist, exiting" in log
