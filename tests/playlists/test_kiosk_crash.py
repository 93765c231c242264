"""kill -9 during item 2, start again: the kiosk resumes item 2 near where it was."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.playlists.kiosk_support import film_item, make_playlist, write_manifest

pytestmark = pytest.mark.vlc

ROOT = Path(__file__).resolve().parents[2]
PLAY = re.compile(r"play (\d+)/\d+ key=(\S+) start=([\d.]+)")


def _kiosk(manifest: Path, cache: Path, *extra: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "playlists.kiosk.runner",
        "--playlist",
        str(manifest),
        "--cache-dir",
        str(cache),
        "--headless",
        *extra,
    ]
    return subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)


def _saved(place: Path) -> dict | None:
    try:
        return json.loads(place.read_text())
    except (FileNotFoundError, ValueError):
        return None


def test_kill_9_then_resume_at_saved_place(tmp_path, clips):
    for name in ("good1", "long", "good2"):
        shutil.copy(clips[name], tmp_path / f"{name}.mp4")
    playlist = make_playlist(
        film_item("first", tmp_path / "good1.mp4"),
        film_item("second", tmp_path / "long.mp4", duration=4.0),
        film_item("third", tmp_path / "good2.mp4"),
    )
    manifest, cache = write_manifest(tmp_path, playlist), tmp_path / "cache"
    place = cache / "place.json"
    first = _kiosk(manifest, cache)
    try:
        _wait_for_place(place, "second", 1.0)
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL
    saved = _saved(place)
    assert saved["item_key"] == "second" and saved["version"] == 1

    second = _kiosk(manifest, cache, "--exit-when-done")
    _, log = second.communicate(timeout=30)
    assert second.returncode == 0, log
    plays = [(int(m[1]), m[2], float(m[3])) for m in PLAY.finditer(log)]
    assert plays[0][:2] == (2, "second")
    assert abs(plays[0][2] - saved["position"]) < 0.01
    assert [p[1] for p in plays[1:]] == ["third"]
    assert "done 2 key=second ended" in log and "failed, skipped" not in log
    assert not place.exists()  # finished: nothing left to resume


def _wait_for_place(place: Path, key: str, position: float) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        saved = _saved(place)
        if saved and saved["item_key"] == key and saved["position"] >= position:
            return saved
        time.sleep(0.05)
    pytest.fail(f"the kiosk never saved a place in {key} past {position} s")


def test_sigterm_saves_the_place_and_exits_cleanly(tmp_path, clips):
    shutil.copy(clips["long"], tmp_path / "long.mp4")
    manifest = write_manifest(tmp_path, make_playlist(film_item("only", tmp_path / "long.mp4", duration=4.0)))
    place = tmp_path / "cache" / "place.json"
    kiosk = _kiosk(manifest, tmp_path / "cache")
    try:
        _wait_for_place(place, "only", 0.0)
        time.sleep(1.0)
        kiosk.send_signal(signal.SIGTERM)
        _, log = kiosk.communicate(timeout=15)
    finally:
        kiosk.kill()
    assert kiosk.returncode == 0, log
    assert "stopped" in log
    saved = _saved(place)
    # the periodic save (every 2 s) only saw 0.0 so far: this is the save on the way out
    assert saved["item_key"] == "only" and saved["position"] >= 0.3


@pytest.mark.parametrize("content", [None, '{"schema": "showcase.playlist/1", "id": "x", "items": []}'])
def test_bad_or_missing_playlist_file_is_a_clear_error(tmp_path, content):
    manifest = tmp_path / "playlist.json"
    if content is not None:
        manifest.write_text(content)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "playlists.kiosk.runner",
            "--playlist",
            str(manifest),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--headless",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2
    assert "cannot read the playlist" in run.stderr and "Traceback" not in run.stderr
    assert ("manifest.version: missing" in run.stderr) if content else ("No such file" in run.stderr)
    assert not (tmp_path / "cache" / "place.json").exists()
