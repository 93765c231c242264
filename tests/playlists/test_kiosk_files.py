"""File modes: a title card is an ordinary file others can read (the umask applies); the kiosk's state stays private."""

from __future__ import annotations

import os
import stat

import pytest

from playlists.kiosk.actions import Place
from playlists.kiosk.cache import Cache
from playlists.kiosk.cards import render_card
from playlists.kiosk.files import PUBLIC, atomic_write
from playlists.kiosk.state import save_place


@pytest.fixture
def umask():
    """Set the process umask for the test (022 to begin with); the old one comes back after."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_card_is_an_ordinary_file_and_follows_the_umask(tmp_path, umask):
    cards = tmp_path / "cards"
    assert mode(render_card("星河", cards)) == 0o644
    assert mode(cards) == 0o755
    umask(0o027)
    assert mode(render_card("雨室", cards)) == 0o640


def test_the_saved_place_and_the_cached_manifest_stay_private(tmp_path, umask):
    umask(0)  # even with nothing masked
    save_place(tmp_path / "place.json", Place(playlist_id="gala", version=2, item_key="film-3", position=12.5))
    Cache(tmp_path).save_manifest('{"schema": "showcase.playlist/1"}', "etag-1")
    atomic_write(tmp_path / "other", b"x")
    assert {path.name: mode(path) for path in tmp_path.iterdir() if path.is_file()} == {
        "place.json": 0o600,
        "manifest.json": 0o600,
        "other": 0o600,
    }


def test_atomic_write_replaces_the_file_with_its_new_mode_and_leaves_no_temp(tmp_path, umask):
    path = tmp_path / "a" / "card.png"
    atomic_write(path, b"old")
    atomic_write(path, b"new", mode=PUBLIC)
    assert path.read_bytes() == b"new" and mode(path) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["card.png"]
