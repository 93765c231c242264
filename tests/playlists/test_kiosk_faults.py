"""Calm under faults: a missing file retried with backoff, a full cache disk, a file replaced on the server,
a server restart mid-show. Real HTTP server, real files (a small real tmpfs for the full disk), real libvlc."""

from __future__ import annotations

import dataclasses
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from playlists.kiosk.actions import Done, Failed
from playlists.kiosk.cache import Cache, CacheError
from playlists.kiosk.files import sha256_file
from playlists.kiosk.link import Delivery, LinkTiming, ServerLink
from playlists.kiosk.runner import KioskOptions
from playlists.kiosk.source import ServerSource
from tests.playlists.fake_server import TOKEN, FakeServer, ServerState
from tests.playlists.kiosk_support import film_item, make_clip, make_playlist, media_for

MANIFEST = "/api/kiosk/manifest"


def _media_path(sha: str) -> str:
    return f"/api/kiosk/media/{sha}"


@pytest.fixture
def server():
    running = FakeServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def big_clip(tmp_path_factory) -> Path:
    """A playable 2 s clip of ~180 KB: too big for what is left of the small disk."""
    return make_clip(tmp_path_factory.mktemp("big") / "big.mp4", seconds=2.0, pattern="testsrc2", size="320x240")


@pytest.fixture
def small_disk(tmp_path):
    """mount(size) -> a directory on a fresh tmpfs of that many bytes (unmounted afterwards)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the suite runs as root in CI)")
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True, timeout=10)
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False, timeout=10)


def _fill(disk: Path, *, leave: int) -> Path:
    """Take all but `leave` bytes of the disk, as other files on a venue machine would."""
    filler = disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - leave))
    return filler


def _link(server: FakeServer, cache_dir: Path, timing: LinkTiming, *, inbox=None, snapshot=None) -> ServerLink:
    return ServerLink(
        ServerSource(server.url, TOKEN, timeout=2),
        Cache(cache_dir),
        inbox=inbox if inbox is not None else queue.Queue(),
        snapshot=snapshot or (lambda: {"state": "idle"}),
        timing=timing,
    )


def _connect(server: FakeServer, cache_dir: Path, timing: LinkTiming):
    def setup(kiosk, stop):
        kiosk.link = _link(server, cache_dir, timing, inbox=kiosk.inbox, snapshot=kiosk.snapshot)
        kiosk.link.start(stop)

    return setup


def _deliveries(inbox: queue.Queue) -> list[Delivery]:
    found = []
    while True:
        try:
            message = inbox.get_nowait()
        except queue.Empty:
            return found
        if isinstance(message, Delivery):
            found.append(message)


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


# ---- backoff


def test_missing_file_is_fetched_a_handful_of_times_a_minute_then_delivered_when_it_appears(server, clips, tmp_path):
    """Real timing is 5 s doubling to at most 300 s, and a manifest poll every 30 s: in the first minute a
    missing file is asked for at 0, 5, 15 and 35 s. Here time runs 20 times faster: a "minute" is 3 s."""
    one, two = film_item("one", clips["good1"]), film_item("two", clips["good2"])
    server.state.publish(make_playlist(one, two), {"one": clips["good1"].read_bytes()})  # two: the server 404s
    timing = LinkTiming(sync_every=1.5, heartbeat_every=60, commands_every=60, retry_first=0.25, retry_cap=15)
    link, stop = _link(server, tmp_path, timing), threading.Event()
    link.start(stop)
    try:
        time.sleep(3.0)
        asked = server.state.answered(_media_path(two.media.sha256), 404)
        assert 3 <= asked <= 5, f"missing file asked for {asked} times in a scaled minute"
        assert server.state.answered(MANIFEST, 200) == 1  # fetched once, then polled with its ETag
        assert server.state.answered(MANIFEST, 304) >= 1
        first = _deliveries(link.inbox)
        assert len(first) == 1, "the main loop was handed the same playlist again while nothing changed"
        assert first[0].verdicts[one.media.sha256] is None
        assert "HTTP 404" in first[0].verdicts[two.media.sha256]
        assert first[0].check_file(two) == (None, first[0].verdicts[two.media.sha256])

        server.state.media[two.media.sha256] = clips["good2"].read_bytes()  # staff put the file in place
        appeared = time.monotonic()
        window = timing.retry_after(asked + 1)  # the next try is due within the current backoff step
        assert _wait(lambda: not link.inbox.empty(), timeout=window + 1.0), "the file that appeared was not delivered"
        took = time.monotonic() - appeared
        again = _deliveries(link.inbox)
        assert len(again) == 1 and set(again[0].verdicts.values()) == {None}
        assert again[0].check_file(two) == (link.cache.media_path(two.media), None)
        assert took <= window + 1.0
        time.sleep(0.6)
        assert _deliveries(link.inbox) == []  # ready now: no more deliveries, no more downloads
        assert server.state.answered(_media_path(two.media.sha256), 200) == 1
    finally:
        stop.set()
        link.reload.set()
        link.join()
    assert sha256_file(link.cache.media_path(two.media)) == two.media.sha256


def test_backoff_doubles_to_its_cap():
    timing = LinkTiming(retry_first=5, retry_cap=300)
    assert [timing.retry_after(n) for n in range(1, 10)] == [5, 10, 20, 40, 80, 160, 300, 300, 300]
    assert timing.retry_after(10_000) == 300


# ---- a full cache disk


def test_download_that_fills_the_disk_leaves_no_partial_file(server, small_disk, big_clip):
    disk = small_disk(512 * 1024)
    data = big_clip.read_bytes()
    media = media_for(big_clip)
    server.state.media[media.sha256] = data
    cache, source = Cache(disk), ServerSource(server.url, TOKEN)
    filler = disk / "filler"

    def fetch_while_something_else_fills_the_disk(sha, dest, *, expected_bytes):
        filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - 32 * 1024))
        source.download(sha, dest, expected_bytes=expected_bytes)

    with pytest.raises(CacheError, match="disk full while fetching"):
        cache.ensure(media, fetch_while_something_else_fills_the_disk)
    assert list(cache.media_dir.iterdir()) == [] and not cache.is_ready(media)
    with pytest.raises(CacheError, match=rf"disk full: media {media.sha256[:12]} needs {len(data)} bytes"):
        cache.ensure(media, source.download)  # refused before a byte is fetched
    assert server.state.answered(_media_path(media.sha256)) == 1
    filler.unlink()
    assert cache.ensure(media, source.download).read_bytes() == data
    assert server.state.ranges == []  # the removed partial was not resumed


@pytest.mark.vlc
def test_full_cache_disk_keeps_the_cached_film_playing_and_retries(kiosk_thread, server, small_disk, clips, big_clip):
    disk = small_disk(1024 * 1024)  # the kiosk's cache dir, state and all
    one, two = film_item("one", clips["good1"]), film_item("two", big_clip)
    server.state.publish(make_playlist(one, two), {"one": clips["good1"].read_bytes(), "two": big_clip.read_bytes()})
    filler = _fill(disk, leave=one.media.bytes + 64 * 1024)
    timing = LinkTiming(sync_every=0.5, heartbeat_every=0.3, commands_every=0.5, retry_first=0.2, retry_cap=1.0)
    running = kiosk_thread(disk, setup=_connect(server, disk, timing), options=KioskOptions(loop=True))
    kiosk = running.kiosk
    assert running.wait_for(lambda: kiosk.shown.count("one") >= 2, timeout=15), "the cached film stopped playing"
    assert "two" not in kiosk.shown
    report = server.state.preflights[0]["items"]
    assert [i["ok"] for i in report] == [True, False]
    assert report[1]["problem"].startswith(f"not in cache: disk full: media {two.media.sha256[:12]} needs")
    assert server.state.answered(_media_path(two.media.sha256)) == 0  # no download only to fill the disk
    assert [p.name for p in (disk / "media").iterdir()] == [one.media.sha256]  # no partial file
    beats = server.state.heartbeats
    assert beats[-1]["cache"] == {"items": 2, "ready": 1, "bytes": one.media.bytes}

    filler.unlink()  # staff free some room: the next retry (at most 1 s away) fetches it
    assert running.wait_for(lambda: "two" in kiosk.shown, timeout=8), "the file never made it after room was freed"
    assert all(i["ok"] for i in server.state.preflights[-1]["items"])
    assert not [h for h in kiosk.history if isinstance(h, Failed) and h.key == "one"]


# ---- a file replaced on the server


@pytest.mark.vlc
def test_file_replaced_on_the_server_is_refused_and_the_cached_one_plays(kiosk_thread, server, clips, tmp_path):
    one, two = film_item("one", clips["good1"]), film_item("two", clips["good2"])
    (tmp_path / "media").mkdir()
    shutil.copy(clips["good1"], tmp_path / "media" / one.media.sha256)  # cached on an earlier day
    server.state.publish(make_playlist(one, two), {})
    # someone re-encoded both files on the server without publishing a new version
    server.state.media[one.media.sha256] = clips["good3"].read_bytes()
    server.state.media[two.media.sha256] = clips["long"].read_bytes()
    timing = LinkTiming(sync_every=0.5, heartbeat_every=0.3, commands_every=0.5, retry_first=0.3, retry_cap=2.0)
    running = kiosk_thread(
        tmp_path, setup=_connect(server, tmp_path, timing), options=KioskOptions(exit_when_done=True)
    )
    running.thread.join(15)
    kiosk = running.kiosk
    assert not running.thread.is_alive()
    assert [h.key for h in kiosk.history if isinstance(h, Done)] == ["one"] and kiosk.shown == ["one"]
    failed = {h.key: h.problem for h in kiosk.history if isinstance(h, Failed)}
    assert set(failed) == {"two"} and "never matched its sha256" in failed["two"]
    assert _wait(lambda: server.state.preflights, timeout=2)
    report = {i["key"]: i for i in server.state.preflights[0]["items"]}
    assert report["one"]["ok"] and not report["two"]["ok"] and "sha256" in report["two"]["problem"]
    assert server.state.answered(_media_path(one.media.sha256)) == 0  # the good cached copy is kept
    assert server.state.answered(_media_path(two.media.sha256)) >= 2  # fetched, refused, fetched again
    assert sorted(p.name for p in (tmp_path / "media").iterdir()) == [one.media.sha256]
    assert sha256_file(tmp_path / "media" / one.media.sha256) == one.media.sha256


# ---- a server restart mid-show


@pytest.mark.vlc
def test_server_restart_mid_show_keeps_playing_and_reconnects(kiosk_thread, server, clips, tmp_path):
    files = {n: clips[n].read_bytes() for n in ("good1", "good2")}
    playlist = make_playlist(film_item("one", clips["good1"]), film_item("two", clips["good2"]))
    server.state.publish(playlist, files)
    timing = LinkTiming(sync_every=0.3, heartbeat_every=0.3, commands_every=0.3, retry_first=0.2, retry_cap=1.0)
    running = kiosk_thread(tmp_path, setup=_connect(server, tmp_path, timing), options=KioskOptions(loop=True))
    kiosk = running.kiosk
    assert running.wait_for(lambda: "one" in kiosk.shown, timeout=15)
    server.stop()
    down = len(kiosk.shown)
    assert running.wait_for(lambda: len(kiosk.shown) >= down + 1, timeout=6), "playback stopped with the server"

    state = ServerState()
    state.publish(playlist, files)  # the same published version, served by a new process on the same port
    again = FakeServer(port=server.port, state=state)
    try:
        assert _wait(lambda: any(b["state"] == "playing" for b in state.heartbeats), timeout=3), "no heartbeat"
        before = len(kiosk.history)
        asked = state.command("next")
        assert _wait(lambda: asked in state.acked, timeout=3), "commands did not resume"
        assert running.wait_for(
            lambda: any(h.how == "next" for h in kiosk.history[before:] if isinstance(h, Done)), timeout=3
        )
        assert _wait(lambda: state.answered(MANIFEST, 304) >= 1, timeout=3), "the manifest was not asked for again"
        assert state.answered(MANIFEST, 200) == 0  # its ETag still holds
        assert not [r for r in state.requests if r[1].startswith("/api/kiosk/media/")]
    finally:
        again.stop()
    assert not [h for h in kiosk.history if isinstance(h, Failed)]


def test_manifest_change_gives_a_failing_file_a_fresh_schedule(server, clips, tmp_path):
    """A new version naming a new file for an item is tried at once, not after the old file's backoff."""
    one = film_item("one", clips["good1"])
    server.state.publish(make_playlist(one), {})
    timing = LinkTiming(sync_every=0.2, heartbeat_every=60, commands_every=60, retry_first=30, retry_cap=60)
    link, stop = _link(server, tmp_path, timing), threading.Event()
    link.start(stop)
    try:
        assert _wait(lambda: server.state.answered(_media_path(one.media.sha256), 404) == 1, timeout=3)
        fixed = dataclasses.replace(one, media=media_for(clips["good3"]))
        server.state.publish(make_playlist(fixed, version=2), {"one": clips["good3"].read_bytes()})
        deliveries: list[Delivery] = []
        # the sync thread delivers the new version once its file is in: wait for that delivery, not the file

        def delivered_v2() -> bool:
            deliveries.extend(_deliveries(link.inbox))
            return bool(deliveries) and deliveries[-1].playlist.version == 2

        assert _wait(delivered_v2, timeout=3), "the new file waited for the old backoff"
        assert [d.playlist.version for d in deliveries] == [1, 2]
        assert deliveries[-1].verdicts == {fixed.media.sha256: None}
        assert server.state.answered(_media_path(one.media.sha256)) == 1  # the old file is not asked for again
    finally:
        stop.set()
        link.reload.set()
        link.join()


def test_reload_tries_a_failing_file_at_once(server, clips, tmp_path):
    """Staff fixed the file and pressed reload: the kiosk does not wait out its backoff."""
    one = film_item("one", clips["good1"])
    server.state.publish(make_playlist(one), {})
    timing = LinkTiming(sync_every=60, heartbeat_every=60, commands_every=60, retry_first=60, retry_cap=60)
    link, stop = _link(server, tmp_path, timing), threading.Event()
    link.start(stop)
    try:
        assert _wait(lambda: server.state.answered(_media_path(one.media.sha256), 404) == 1, timeout=3)
        server.state.media[one.media.sha256] = clips["good1"].read_bytes()
        link.reload.set()
        assert _wait(lambda: link.cache.is_ready(one.media), timeout=3), "reload waited for the backoff"
        assert [set(d.verdicts.values()) for d in _deliveries(link.inbox)] == [{"not in cache: " + _404(one)}, {None}]
    finally:
        stop.set()
        link.reload.set()
        link.join()


def _404(item) -> str:
    return f"media {item.media.sha256[:12]}: HTTP 404"
