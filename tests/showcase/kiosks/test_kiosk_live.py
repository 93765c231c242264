"""The real kiosk (python-vlc, subprocess) against the real Flask app over HTTP, and the control room."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import browser_login, post_form
from tests.showcase.kiosks.conftest import bearer

pytestmark = pytest.mark.vlc

ROOT = Path(__file__).resolve().parents[3]
HEARTBEAT = 0.5  # the kiosk's heartbeat and command-poll period in these tests (seconds)


@pytest.fixture(scope="module")
def demo_clips(tmp_path_factory) -> Path:
    """The demo's 4 s clips, made once for the module (load_demo keeps clips that exist)."""
    from showcase.demo import data
    from showcase.demo.loader import make_clip

    folder = tmp_path_factory.mktemp("demo-clips")
    for n, key in enumerate(sorted(f[0] for f in data.FILMS)):
        make_clip(folder / f"{key}.mp4", hue=n * 50)
    return folder


@pytest.fixture
def ceremony(app, demo_clips):
    """Demo with real clips; a playlist from the ceremony running order with 1 s cards, published."""
    from showcase.demo.loader import load_demo
    from showcase.extensions import db
    from showcase.kiosks import drafts, publishing
    from showcase.schedule.models import ScheduleSession

    shutil.copytree(demo_clips, Path(app.config["MEDIA_ROOT"]) / "demo")
    with app.app_context():
        load_demo(make_clips=True)
        festival = db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == "ceremony"))
        playlist = drafts.playlist_from_session(festival_of(festival), festival.id)
        for item in playlist.items:
            if item.kind != "film":
                drafts.update_item(playlist, item.id, hold=0, seconds=1, text=item.text)
        publishing.publish(playlist)
        db.session.commit()
        return playlist.id


def festival_of(session):
    from showcase.extensions import db
    from showcase.festivals.models import Festival

    return db.session.get(Festival, session.festival_id)


def _kiosk_token(app, playlist_id: int) -> tuple[int, str]:
    from showcase.extensions import db
    from showcase.kiosks.services import assign_playlist, find_kiosk, new_token

    with app.app_context():
        kiosk = find_kiosk("hall-1")
        token = new_token(kiosk)
        assign_playlist(kiosk, playlist_id)
        db.session.commit()
        return kiosk.id, token


def _start_kiosk(
    url: str, token: str, cache: Path, *, heartbeat: float = HEARTBEAT, display: str | None = None
) -> subprocess.Popen:
    """The kiosk in a process of its own: headless, or on the X display given (with no sound card here)."""
    env = {**os.environ, "SHOWCASE_KIOSK_TOKEN": token, "PYTHONPATH": str(ROOT)}
    outputs = ["--headless"]
    if display is not None:
        env["DISPLAY"] = display
        outputs = ["--vlc-option=--aout=dummy"]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playlists.kiosk.runner",
            "--server",
            url,
            "--cache-dir",
            str(cache),
            *outputs,
            "--heartbeat-every",
            str(heartbeat),
            "--commands-every",
            str(HEARTBEAT),
            "--sync-every",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _poll(client, until, *, timeout: float) -> dict:
    """The control room's JSON for the kiosk, polled until `until(state)` holds."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        seen = client.get("/staff/kiosks/state.json").json["kiosks"][0]
        if until(seen):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"not reached within {timeout} s; last state: {seen}")


def _film_playing(state: dict) -> bool:
    return state["state"] == "playing" and bool(state["playing"]) and bool(state["playing"]["film_code"])


def _codes(app, playlist_id: int, version: int) -> tuple[list[str], dict[str, str]]:
    from showcase.extensions import db
    from showcase.kiosks.models import PlaylistVersion

    with app.app_context():
        found = db.session.scalar(
            select(PlaylistVersion).where(
                PlaylistVersion.playlist_id == playlist_id, PlaylistVersion.version == version
            )
        )
        return list(found.items), {k: v["film_code"] for k, v in found.items.items() if v["film_code"]}


def _publish_v2(app, playlist_id: int) -> None:
    from showcase.extensions import db
    from showcase.kiosks import drafts, publishing
    from showcase.kiosks.models import Playlist

    with app.app_context():
        playlist = db.session.get(Playlist, playlist_id)
        drafts.add_card(playlist, title="谢谢", title_en="Thank you", seconds=1)
        publishing.publish(playlist)
        db.session.commit()


def test_kiosk_plays_the_published_ceremony_and_obeys_the_control_room(
    app, live_server, client, login_as, ceremony, tmp_path
):
    kiosk_id, token = _kiosk_token(app, ceremony)
    order, codes = _codes(app, ceremony, 1)
    login_as("editor")
    kiosk = _start_kiosk(live_server.url, token, tmp_path / "cache")
    try:
        state = _poll(client, _film_playing, timeout=30)
        assert state["playing"]["film_code"] == codes[state["playing"]["item_key"]]
        assert state["playlist"]["latest_version"] == 1 and state["warnings"] == []
        cached = list((tmp_path / "cache" / "media").iterdir())
        assert len([p for p in cached if not p.name.endswith(".part")]) == 7

        # "next" from the control room's form takes effect within 2 s (seen one heartbeat later)
        key = state["playing"]["item_key"]
        post_form(client, f"/staff/kiosks/{kiosk_id}/commands", {"command": "next"}, token_from="/staff/kiosks/")
        sent = time.monotonic()
        moved = _poll(client, lambda s: s["playing"] and s["playing"]["item_key"] != key, timeout=2 + 2 * HEARTBEAT)
        assert order.index(moved["playing"]["item_key"]) == order.index(key) + 1
        assert time.monotonic() - sent < 2 + 2 * HEARTBEAT

        # a new version published mid-item is taken at the next item boundary, not by restarting the item
        playing = _poll(client, _film_playing, timeout=15)["playing"]["item_key"]
        _publish_v2(app, ceremony)
        switched = _poll(client, lambda s: s["playing_version"] == 2 and s["playing"] is not None, timeout=15)
        assert order.index(switched["playing"]["item_key"]) > order.index(playing)
        assert _poll(client, lambda s: not s["warnings"], timeout=5)["playlist"]["latest_version"] == 2
    finally:
        kiosk.terminate()
        _, errors = kiosk.communicate(timeout=15)
    assert kiosk.returncode == 0, errors[-3000:]
    assert "version 1 -> 2" in errors


# The screen and the kiosk's reports are what these tests look at, not the database: they run on SQLite only.
SCREEN_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@SCREEN_ONLY
def test_a_killed_kiosk_shows_no_signal_within_5_s_and_its_film_stops_counting(
    app, live_server, client, login_as, ceremony, tmp_path
):
    _kiosk_id, token = _kiosk_token(app, ceremony)
    login_as("viewer")
    kiosk = _start_kiosk(live_server.url, token, tmp_path / "cache", heartbeat=1.0)  # the kiosk's own period
    try:
        _poll(client, _film_playing, timeout=30)
        time.sleep(1.2)  # at least one heartbeat into the film
    finally:
        kiosk.kill()
        killed = time.monotonic()
        kiosk.wait(10)
    last = client.get("/staff/kiosks/state.json").json["kiosks"][0]
    seen = []
    gone = _poll(client, lambda s: seen.append(s) or s["state"] == "no signal", timeout=6)
    assert time.monotonic() - killed < 5
    assert any(w.startswith("No signal for") for w in gone["warnings"]), gone["warnings"]
    # what it last said is shown as it was: the film's clock does not run on for a kiosk that is gone
    assert {s["playing"]["elapsed"] for s in seen if s["playing"]} <= {last["playing"]["elapsed"]}, seen


def _heartbeat_of(app, playlist_id: int, state: str) -> dict:
    order, _codes_of = _codes(app, playlist_id, 1)
    return {"state": state, "playlist_id": str(playlist_id), "playlist_version": 1, "item_key": order[0],
            "item_index": 0, "position": 1.0}  # fmt: skip


@SCREEN_ONLY
@pytest.mark.parametrize("app", [{"CONTROL_EVENTS_MS": 20_000}], indirect=True)
def test_the_control_room_in_a_browser_shows_what_a_kiosk_reports_within_a_second(
    app, live_server, page, make_user, ceremony
):
    _kiosk_id, token = _kiosk_token(app, ceremony)
    kiosk = app.test_client()

    def report(state: str) -> None:
        answer = kiosk.post("/api/kiosk/heartbeat", json=_heartbeat_of(app, ceremony, state), headers=bearer(token))
        assert answer.status_code == 200, answer.json

    report("playing")
    browser_login(page, live_server.url, make_user("viewer"))
    page.goto(f"{live_server.url}/staff/kiosks/")
    page.wait_for_function("document.getElementById('kiosks').hasAttribute('data-updated')")  # the stream is up
    badge = page.locator('[data-field="state"]')
    assert badge.text_content() == "playing"
    for state in ("paused", "playing", "paused"):
        sent = time.monotonic()
        report(state)
        page.wait_for_function(
            "s => document.querySelector('[data-field=\"state\"]').textContent === s", arg=state, polling=20
        )
        assert time.monotonic() - sent < 1.0, state


@pytest.fixture
def frozen_and_moving(app, tmp_path):
    """Two films on their own in a published playlist: one moving (4 s), one whose picture stops after 1 s of
    its 6 s (its sound goes on): (playlist id, {item key: frozen?})."""
    from showcase.demo import data
    from showcase.demo.loader import load_demo, make_clip
    from showcase.extensions import db
    from showcase.kiosks import drafts, publishing
    from showcase.schedule.models import ScheduleSession

    keys = sorted(f[0] for f in data.FILMS)
    folder = Path(app.config["MEDIA_ROOT"]) / "demo"
    for n, key in enumerate(keys):
        if n % 2:
            _frozen_clip(folder / f"{key}.mp4")
        else:
            make_clip(folder / f"{key}.mp4", hue=n * 50)
    with app.app_context():
        load_demo(make_clips=True)
        session = db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == "ceremony"))
        playlist = drafts.playlist_from_session(festival_of(session), session.id)
        films = [item for item in playlist.items if item.kind == "film"]
        moving = next(item for item in films if keys.index(item.film.slug) % 2 == 0)
        frozen = next(item for item in films if keys.index(item.film.slug) % 2 == 1)
        for item in list(playlist.items):
            if item.id not in (moving.id, frozen.id):
                drafts.remove_item(playlist, item.id)
        publishing.publish(playlist)
        db.session.commit()
        return playlist.id, {moving.key: False, frozen.key: True}


def _frozen_clip(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=1",
         "-f", "lavfi", "-i", "sine=frequency=330:duration=6",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)],
        check=True,
    )  # fmt: skip


@SCREEN_ONLY
@pytest.mark.display
def test_the_control_room_flags_a_frozen_picture_and_shows_the_screen(
    app, live_server, client, login_as, frozen_and_moving, tmp_path, x_display
):
    from PIL import Image

    playlist_id, frozen = frozen_and_moving
    kiosk_id, token = _kiosk_token(app, playlist_id)
    login_as("viewer")
    kiosk = _start_kiosk(live_server.url, token, tmp_path / "cache", heartbeat=1.0, display=x_display(640, 360))
    seen: dict[str, set[str]] = {key: set() for key in frozen}
    moving, still = _key(frozen, False), _key(frozen, True)
    pictures = []
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            state = client.get("/staff/kiosks/state.json").json["kiosks"][0]
            now_key = state["playing"]["item_key"] if state["playing"] else None
            if now_key in seen:
                seen[now_key].add(state["state"])
                if state["state"] == "frozen":
                    assert state["frozen_for"] >= 3 and any(w.startswith("Picture frozen") for w in state["warnings"])
            if state["thumbnail_at"] and state["thumbnail_at"] not in pictures:
                pictures.append(state["thumbnail_at"])
            # done when the frozen film was called frozen and the moving one has been watched to its end
            if "frozen" in seen[still] and seen[moving] and now_key != moving and pictures:
                break
            time.sleep(0.1)
    finally:
        kiosk.terminate()
        _, errors = kiosk.communicate(timeout=15)
    assert "frozen" in seen[still], (seen, errors[-2000:])
    assert seen[moving] == {"playing"}, seen  # a moving picture is never called frozen
    assert pictures, "no picture of the screen reached the control room"
    answer = client.get(f"/staff/kiosks/{kiosk_id}/thumbnail.jpg")
    assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
    picture = Image.open(io.BytesIO(answer.data)).convert("L")
    assert picture.size == (320, 180)
    assert picture.getextrema()[1] > 100  # a test pattern, not a black screen


def _key(frozen: dict[str, bool], value: bool) -> str:
    return next(key for key, is_frozen in frozen.items() if is_frozen is value)
