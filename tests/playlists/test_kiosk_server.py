"""A kiosk against a live server: download, heartbeats, new version at a boundary, "next", server gone."""

from __future__ import annotations

import time

import pytest

from playlists.format import Item
from playlists.kiosk.actions import Done, Failed, Switched
from playlists.kiosk.cache import Cache
from playlists.kiosk.link import LinkTiming, ServerLink
from playlists.kiosk.runner import KioskOptions
from playlists.kiosk.source import ServerSource
from tests.playlists.fake_server import TOKEN, FakeServer
from tests.playlists.kiosk_support import film_item, make_playlist

pytestmark = pytest.mark.vlc

FAST = LinkTiming(sync_every=0.3, heartbeat_every=0.3, commands_every=0.5)


def _connect(server: FakeServer, cache_dir):
    def setup(kiosk, stop):
        link = ServerLink(
            ServerSource(server.url, TOKEN, timeout=2),
            Cache(cache_dir),
            inbox=kiosk.inbox,
            snapshot=kiosk.snapshot,
            timing=FAST,
        )
        kiosk.link = link
        link.start(stop)

    return setup


def test_live_server_show(kiosk_thread, clips, tmp_path):
    server = FakeServer()
    files = {name: clips[name].read_bytes() for name in ("good1", "good2", "good3", "long")}
    one, two, three = (film_item(k, clips[n]) for k, n in (("one", "good1"), ("two", "good2"), ("three", "good3")))
    server.state.publish(make_playlist(one, two, three), files)
    # an earlier run was cut off half way through downloading "two"
    (tmp_path / "media").mkdir()
    half = len(files["good2"]) // 2
    (tmp_path / "media" / f"{two.media.sha256}.part").write_bytes(files["good2"][:half])
    running = kiosk_thread(tmp_path, setup=_connect(server, tmp_path))
    kiosk = running.kiosk
    try:
        assert running.wait_for(lambda: "one" in kiosk.shown, timeout=15), "first film never showed"
        # v2 puts a card after "one": published mid-item, it must wait for the boundary
        card = Item(key="news", kind="card", title="新", title_en="News", card_text="新消息\nNews", card_seconds=6)
        server.state.publish(make_playlist(one, card, two, three, version=2), files)
        assert running.wait_for(lambda: "news" in kiosk.shown, timeout=10)
        asked = time.monotonic()
        server.state.command("next")
        assert running.wait_for(lambda: "two" in kiosk.shown, timeout=2.0), '"next" took longer than 2 s'
        assert time.monotonic() - asked <= 2.0
        server.stop()  # the venue loses the network while "two" plays
        assert running.wait_for(lambda: _done(kiosk, "three"), timeout=10), "playback stopped with the server"
    finally:
        running.stop.set()
        running.thread.join(10)
        server.stop()
    history = [(h.key, h.how if isinstance(h, Done) else "FAILED") for h in kiosk.history]
    assert history[:4] == [("one", "ended"), ("news", "next"), ("two", "ended"), ("three", "ended")]
    assert not [h for h in kiosk.history if isinstance(h, Failed)]
    assert kiosk.shown[:4] == ["one", "news", "two", "three"]
    _check_what_the_server_saw(server.state, tmp_path)
    assert server.state.ranges == [f"bytes={half}-"]  # the partial download was resumed, not started again


def _done(kiosk, key: str) -> bool:
    return any(isinstance(h, Done) and h.key == key for h in kiosk.history)


def _check_what_the_server_saw(state, cache_dir) -> None:
    assert sorted({p["playlist_version"] for p in state.preflights}) == [1, 2]
    assert all(item["ok"] for p in state.preflights for item in p["items"])
    beats = state.heartbeats
    assert {
        "state",
        "playlist_id",
        "playlist_version",
        "item_key",
        "item_index",
        "position",
        "cache",
        "last_error",
    } <= set(beats[-1])
    playing = [b for b in beats if b["state"] == "playing" and b["playlist_version"] == 2]
    assert playing and playing[-1]["cache"] == {"items": 3, "ready": 3, "bytes": playing[-1]["cache"]["bytes"]}
    assert state.acked == [1]
    assert len(list((cache_dir / "media").glob("*"))) == 3  # only verified files, no .part left


def test_kiosk_starts_from_cache_when_the_server_is_gone(kiosk_thread, clips, tmp_path):
    server = FakeServer()
    playlist = make_playlist(film_item("one", clips["good1"]), film_item("two", clips["good2"]))
    server.state.publish(playlist, {n: clips[n].read_bytes() for n in ("good1", "good2")})
    first = kiosk_thread(tmp_path, setup=_connect(server, tmp_path))
    assert first.wait_for(lambda: "one" in first.kiosk.shown, timeout=15)
    first.stop.set()
    first.thread.join(10)
    server.stop()
    options = KioskOptions(exit_when_done=True)
    again = kiosk_thread(tmp_path, setup=_connect(server, tmp_path), options=options)
    again.thread.join(20)
    assert not again.thread.is_alive()
    assert [h.key for h in again.kiosk.history if isinstance(h, Done)] == ["one", "two"]
    assert again.kiosk.history and not [h for h in again.kiosk.history if isinstance(h, Failed)]
    assert Switched not in {type(h) for h in again.kiosk.history}


def test_reload_command_fetches_the_new_version_at_once(kiosk_thread, clips, tmp_path):
    server = FakeServer()
    files = {n: clips[n].read_bytes() for n in ("good1", "good2")}
    one, two = film_item("one", clips["good1"]), film_item("two", clips["good2"])
    server.state.publish(make_playlist(one, two), files)
    slow = LinkTiming(sync_every=60, heartbeat_every=0.3, commands_every=0.3)

    def setup(kiosk, stop):
        link = ServerLink(
            ServerSource(server.url, TOKEN), Cache(tmp_path), inbox=kiosk.inbox, snapshot=kiosk.snapshot, timing=slow
        )
        kiosk.link = link
        link.start(stop)

    running = kiosk_thread(tmp_path, setup=setup, options=KioskOptions(exit_when_done=True))
    try:
        assert running.wait_for(lambda: "one" in running.kiosk.shown, timeout=15)
        card = Item(key="news", kind="card", title="News", card_text="News", card_seconds=0.5)
        server.state.publish(make_playlist(one, card, two, version=2), files)
        server.state.command("reload")  # without it the kiosk would only look again in 60 s
        running.thread.join(20)
    finally:
        server.stop()
    assert running.kiosk.shown == ["one", "news", "two"]
