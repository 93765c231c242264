"""Real libvlc (dummy outputs): probe, preflight, and a show with missing and broken films."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from playlists.format import Item
from playlists.kiosk.actions import Done, Failed
from playlists.kiosk.link import Delivery, local_delivery
from playlists.kiosk.player import Player
from playlists.kiosk.preflight import run_preflight
from playlists.kiosk.runner import KioskOptions
from playlists.kiosk.sequencer import Watchdog
from tests.playlists.kiosk_support import film_item, make_playlist, write_manifest

pytestmark = pytest.mark.vlc


@pytest.fixture
def show_dir(tmp_path, clips):
    """good1, good2 and a truncated copy next to each other; 'missing.mp4' is not there."""
    for name in ("good1", "good2", "truncated"):
        shutil.copy(clips[name], tmp_path / f"{name}.mp4")
    return tmp_path


def test_probe_reports_duration_and_video(clips, tmp_path):
    player = Player(headless=True)
    try:
        good = player.probe(clips["good1"])
        assert good.problem is None and good.has_video and 1.9 <= good.duration <= 2.1
        assert player.probe(tmp_path / "missing.mp4").problem == "file missing"
        (tmp_path / "noise.mp4").write_bytes(b"\x00not a video" * 100)
        noise = player.probe(tmp_path / "noise.mp4")
        assert noise.problem or not noise.duration or not noise.has_video
    finally:
        player.close()


def _good_missing_truncated_good(show_dir, clips):
    truncated = film_item("broken", clips["good3"], uri="truncated.mp4")  # sha256 of the whole file
    card = Item(key="card", kind="card", title="二等奖", card_text="二等奖\nSecond prize", card_seconds=1.0)
    return make_playlist(
        film_item("one", show_dir / "good1.mp4"),
        film_item("gone", show_dir / "good2.mp4", uri="missing.mp4"),
        truncated,
        card,
        film_item("two", show_dir / "good2.mp4"),
    )


def test_preflight_finds_missing_and_truncated(show_dir, clips):
    manifest = write_manifest(show_dir, _good_missing_truncated_good(show_dir, clips))
    delivery = local_delivery(manifest)
    player = Player(headless=True)
    try:
        report = run_preflight(delivery.playlist, check_file=delivery.check_file, probe=player.probe)
    finally:
        player.close()
    assert report.excluded() == {"gone": "file missing", "broken": report.excluded()["broken"]}
    assert "truncated" in report.excluded()["broken"]
    payload = report.payload()
    assert payload["playlist_version"] == 1
    assert [(i["key"], i["ok"]) for i in payload["items"]] == [
        ("one", True),
        ("gone", False),
        ("broken", False),
        ("card", True),
        ("two", True),
    ]
    assert 1.9 <= payload["items"][0]["duration"] <= 2.1


def test_preflight_warns_of_a_file_that_does_not_last_the_films_runtime(kiosk_thread, clips, tmp_path):
    """A 2-second file for a film listed at 8 minutes: a warning for the control room, and it still plays."""
    shutil.copy(clips["long"], tmp_path / "long.mp4")
    shutil.copy(clips["good1"], tmp_path / "good1.mp4")
    wrong = dataclasses.replace(film_item("wrong", tmp_path / "good1.mp4"), runtime=480)
    right = dataclasses.replace(film_item("right", tmp_path / "long.mp4", duration=4.0), runtime=4)
    unlisted = film_item("unlisted", tmp_path / "good1.mp4")
    delivery = local_delivery(write_manifest(tmp_path, make_playlist(wrong, right, unlisted)))
    player = Player(headless=True)
    try:
        report = run_preflight(delivery.playlist, check_file=delivery.check_file, probe=player.probe)
    finally:
        player.close()
    assert report.excluded() == {}
    assert list(report.warnings()) == ["wrong"]
    assert report.warnings()["wrong"].startswith("file lasts 0:02, film listed at 8:00: shorter")
    assert [i["warning"] is None for i in report.payload()["items"]] == [False, True, True]
    assert "warn wrong" in report.lines()[0]
    alone = local_delivery(write_manifest(tmp_path, make_playlist(wrong)))
    kiosk = _run_to_end(kiosk_thread, tmp_path / "state", alone)
    assert [(h.key, h.how) for h in kiosk.history] == [("wrong", "ended")]


def _run_to_end(kiosk_thread, state_dir, delivery: Delivery):
    options = KioskOptions(exit_when_done=True, watchdog=Watchdog(start_timeout=3, stall_timeout=3))
    running = kiosk_thread(state_dir, setup=lambda kiosk, stop: kiosk.inbox.put(delivery), options=options)
    running.thread.join(30)
    assert not running.thread.is_alive(), "the show did not finish"
    return running.kiosk


def test_good_missing_truncated_good_plays_both_good_films(kiosk_thread, show_dir, clips, tmp_path_factory):
    delivery = local_delivery(write_manifest(show_dir, _good_missing_truncated_good(show_dir, clips)))
    kiosk = _run_to_end(kiosk_thread, tmp_path_factory.mktemp("state"), delivery)
    assert kiosk.shown == ["one", "card", "two"]  # first frames reported by libvlc
    done = [(h.key, h.how) for h in kiosk.history if isinstance(h, Done)]
    assert done == [("one", "ended"), ("card", "shown"), ("two", "ended")]
    assert all(h.played >= 1.0 for h in kiosk.history if isinstance(h, Done))
    failed = {h.key: h.problem for h in kiosk.history if isinstance(h, Failed)}
    assert set(failed) == {"gone", "broken"} and failed["gone"] == "file missing"
    assert kiosk.last_error.startswith("broken:")


def test_watchdog_catches_what_preflight_would_have(kiosk_thread, show_dir, clips, tmp_path_factory, monkeypatch):
    """With preflight told everything is fine, libvlc errors and the early end still skip the bad items."""
    playlist = _good_missing_truncated_good(show_dir, clips)
    honest = local_delivery(write_manifest(show_dir, playlist))
    trusting = Delivery(playlist, honest.path_of, {item.media.sha256: None for item in playlist.items if item.media})
    probe_ok = Player.probe

    def lenient_probe(self, path, timeout=5.0):  # the missing file would otherwise fail its probe
        result = probe_ok(self, path, timeout=timeout)
        return result if result.problem is None else type(result)(2.0, True, None)

    monkeypatch.setattr(Player, "probe", lenient_probe)
    kiosk = _run_to_end(kiosk_thread, tmp_path_factory.mktemp("state"), trusting)
    failed = {h.key: h.problem for h in kiosk.history if isinstance(h, Failed)}
    assert set(failed) == {"gone", "broken"}
    assert failed["gone"] == "libvlc could not play it"
    assert failed["broken"].startswith("ended at ")
    assert [h.key for h in kiosk.history if isinstance(h, Done)] == ["one", "card", "two"]


def test_pause_key_pauses_real_playback_and_resumes(kiosk_thread, clips, tmp_path):
    from playlists.kiosk.link import Command

    shutil.copy(clips["long"], tmp_path / "long.mp4")
    delivery = local_delivery(
        write_manifest(tmp_path, make_playlist(film_item("only", tmp_path / "long.mp4", duration=4.0)))
    )
    options = KioskOptions(exit_when_done=True, watchdog=Watchdog(stall_timeout=1.0))
    running = kiosk_thread(tmp_path / "state", setup=lambda kiosk, stop: kiosk.inbox.put(delivery), options=options)
    kiosk = running.kiosk
    assert running.wait_for(lambda: "only" in kiosk.shown, timeout=10)
    kiosk.inbox.put(Command("toggle"))
    assert running.wait_for(lambda: kiosk.snapshot()["state"] == "paused", timeout=2)
    held = kiosk.snapshot()["position"]
    running.wait_for(lambda: False, timeout=1.5)  # longer than the stall watchdog: a pause is not a stall
    assert kiosk.snapshot()["position"] == held and not kiosk.history
    kiosk.inbox.put(Command("toggle"))
    running.thread.join(15)
    assert [(h.key, h.how) for h in kiosk.history] == [("only", "ended")]
