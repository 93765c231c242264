"""The screen follows the show, live: the real app over HTTP, a real kiosk process (libvlc) on Xvfb, the screen
read back from grabs of the display (films with their film and frame number burned in: framecode.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.playlists.framecode import FPS, Rect, capture, make_film

pytestmark = [pytest.mark.vlc, pytest.mark.display]

ROOT = Path(__file__).resolve().parents[3]
SCREEN = (640, 360)
FILM_A, FILM_C = 1, 2
FRAMES_A, FRAMES_C = 75, 300  # 3 s and 12 s


def build_show(app, films: dict[int, Path], cues: list[int | str]):
    """A session on hall 1 with its kiosk, every cue manual: a number is that coded film, a text a title card.

    Returns (session id, kiosk id, kiosk token, the user who calls the show)."""
    import shutil

    from playlists.kiosk.files import sha256_file
    from showcase.extensions import db
    from showcase.films.models import MediaAsset
    from showcase.kiosks.services import add_kiosk
    from showcase.schedule.services import append_item
    from tests.builders import make_festival, make_film, make_screen, make_session, make_user

    with app.app_context():
        festival = make_festival()
        hall = make_screen(festival)
        session = make_session(festival, screen_id=hall.id)
        records = {}
        for number, path in films.items():
            target = Path(app.config["MEDIA_ROOT"]) / "coded" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            film = make_film(festival, runtime_seconds=12)
            asset = MediaAsset(
                path=f"coded/{path.name}",
                byte_size=target.stat().st_size,
                sha256=sha256_file(target),
                duration_seconds=_frames(path) / FPS,
            )
            db.session.add(asset)
            db.session.flush()
            film.media_asset = asset
            records[number] = film
        for cue in cues:
            if isinstance(cue, int):
                seconds = round(_frames(films[cue]) / FPS)
                append_item(session, kind="film", planned_seconds=seconds, film_id=records[cue].id, cue_mode="manual")
            else:
                append_item(session, kind="award", planned_seconds=60, title=cue, title_en=cue, cue_mode="manual")
        kiosk, token = add_kiosk("hall-1-show", screen_id=hall.id)
        caller = make_user(role="editor")
        db.session.commit()
        return session.id, kiosk.id, token, caller.id


def _frames(path: Path) -> int:
    """A coded film's frame count, from its name (film-<number>-<frames>.mp4)."""
    return int(path.stem.rsplit("-", 1)[1])


def coded_film(folder: Path, number: int, frames: int) -> Path:
    return make_film(folder / f"film-{number}-{frames}.mp4", film=number, frames=frames, size=SCREEN, audio=False)


def prepare(app, session_id: int) -> None:
    """What the show page does before the first GO: the show playlist on the screen's kiosks."""
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession
    from showcase.shows import screen, services

    with app.app_context():
        screen.prepare(services.show_for(db.session.get(ScheduleSession, session_id)))
        db.session.commit()


def go(app, session_id: int, caller_id: int) -> float:
    """Press GO (the show's service, committed as the staff route does); returns the wall clock before it."""
    from showcase.auth.models import User
    from showcase.db import utcnow
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession
    from showcase.shows import services

    pressed = time.time()
    with app.app_context():
        show = services.show_for(db.session.get(ScheduleSession, session_id))
        services.go(show, actor=db.session.get(User, caller_id), from_cue=show.cue_id, now=utcnow())
        db.session.commit()
    return pressed


def kiosk_state(app, kiosk_id: int) -> dict:
    from showcase.extensions import db
    from showcase.kiosks.models import Kiosk

    with app.app_context():
        kiosk = db.session.get(Kiosk, kiosk_id)
        return dict(kiosk.state or {}, preflight=bool(kiosk.preflight))


def wait_ready(app, kiosk_id: int, *, timeout: float = 30) -> None:
    """Until the kiosk has its show playlist checked and waits for the first GO."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = kiosk_state(app, kiosk_id)
        if state.get("playlist_version") and state.get("preflight") and state.get("state") == "idle":
            time.sleep(1.0)  # its first film opened paused underneath
            return
        time.sleep(0.2)
    raise AssertionError(f"the kiosk never got ready: {kiosk_state(app, kiosk_id)}")


def start_kiosk(url: str, token: str, cache: Path, display: str, *, commands_every: float = 1.0) -> subprocess.Popen:
    env = {**os.environ, "DISPLAY": display, "SHOWCASE_KIOSK_TOKEN": token, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "playlists.kiosk.runner", "--server", url, "--cache-dir", str(cache)]
    command += ["--vlc-option=--aout=dummy", "--heartbeat-every", "0.5", "--commands-every", str(commands_every)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def seen(grabbing) -> list[tuple[float, int | None, int | None]]:
    """(wall clock, film, frame) of every grab."""
    origin = grabbing.origin or 0.0
    return [(origin + g.at, g.film, g.frame) for g in grabbing.grabs]


def first_after(grabs, moment: float, film: int):
    return next((g for g in grabs if g[0] >= moment and g[1] == film), None)


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("coded")
    return {FILM_A: coded_film(folder, FILM_A, FRAMES_A), FILM_C: coded_film(folder, FILM_C, FRAMES_C)}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the screen is what is looked at, not the database
def test_go_puts_the_film_on_screen_a_manual_cue_holds_and_a_killed_kiosk_catches_up(
    app, live_server, x_display, coded, tmp_path
):
    session_id, kiosk_id, token, caller = build_show(app, coded, [FILM_A, "颁奖 Award", FILM_C])
    prepare(app, session_id)
    display = x_display(*SCREEN)
    pictures = {FILM_A: Rect(0, 0, *SCREEN), FILM_C: Rect(0, 0, *SCREEN)}
    cache = tmp_path / "kiosk"
    kiosk = start_kiosk(live_server.url, token, cache, display)
    errors = ""
    try:
        wait_ready(app, kiosk_id)
        with capture(display, SCREEN, pictures) as grabbing:
            time.sleep(0.5)
            go_a = go(app, session_id, caller)  # film A
            time.sleep(FRAMES_A / FPS + 2.5)  # A ends; the card waits for its GO: A's last frame holds
            go_card = go(app, session_id, caller)
            time.sleep(2.5)  # the card has no timer: it stands
            kiosk.send_signal(signal.SIGKILL)
            kiosk.wait(10)
            killed = time.time()
            time.sleep(0.3)
            go_c = go(app, session_id, caller)  # film C starts while the kiosk is gone
            time.sleep(2.5)
            kiosk = start_kiosk(live_server.url, token, cache, display)
            back = time.time()
            time.sleep(5.0)
    finally:
        kiosk.terminate()
        _, errors = kiosk.communicate(timeout=15)
    grabs = seen(grabbing)

    # GO on a film cue: that film's first frame is the first of it on screen
    first = first_after(grabs, go_a, FILM_A)
    assert first is not None and first[2] == 0, (first, errors[-2000:])
    assert first[0] - go_a < 2.0

    # the film ended on its last frame, which holds until the GO of the (manual) card
    last = next((g for g in grabs if (g[1], g[2]) == (FILM_A, FRAMES_A - 1)), None)
    assert last is not None and last[0] < go_card - 1.0, (last, go_card)
    held = [g for g in grabs if last[0] <= g[0] < go_card]
    assert all((g[1], g[2]) == (FILM_A, FRAMES_A - 1) for g in held), held[:3] + held[-3:]

    # the card stands (no coded frame, not black) from shortly after its GO until the kiosk is killed
    card = [g for g in grabs if go_card + 1.0 <= g[0] < killed]
    assert card and all(g[1] is None for g in card)

    # back after kill -9: the kiosk catches up with the current cue, film C, at the place the show has reached
    caught = first_after(grabs, back, FILM_C)
    assert caught is not None, errors[-2000:]
    show_place = caught[0] - go_c
    assert show_place - 2.0 <= caught[2] / FPS <= show_place + 0.5, (caught, show_place)
    assert caught[0] - back < 4.0
