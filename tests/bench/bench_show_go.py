"""GO to the cue's first frame as the audience sees it: a live show, the real app, a real kiosk on a real X display.

Run: python tests/bench/bench_show_go.py [--gos 12]

The app (SQLite, served by werkzeug in threads) holds a session on hall 1 whose running order is --gos manual film
cues, two generated 2 s films in turn (film and frame number burned into every frame: tests/playlists/framecode.py).
Its show playlist is put on the hall's kiosk before the first GO (showcase.shows.screen.prepare), the kiosk runs as
its own process (`python -m playlists.kiosk.runner`) on Xvfb, and each GO calls showcase.shows.services.go in an
app context and commits, as the staff route does. ffmpeg grabs the display 50 times a second with the wall clock
of every grab: each figure is from just before the GO to the first grab showing that cue's film.

Baseline in the same run: the same show with the kiosk's commands polled every 1.5 s, the server answering at
once (no long poll). Target (issue 12): GO to first frame <= 300 ms, median and p95.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.playlists.framecode import Rect, capture  # noqa: E402
from tests.showcase.shows.test_show_screen_live import (  # noqa: E402
    SCREEN,
    build_show,
    coded_film,
    first_after,
    go,
    prepare,
    seen,
    start_kiosk,
    wait_ready,
)

FRAMES = 50  # 2 s films
BETWEEN = 2.6  # seconds between GOs: the film before has ended and holds its last frame


def _app(tmp: Path, *, command_wait_ms: int):
    from showcase.app import create_app
    from showcase.extensions import db

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "MEDIA_ROOT": str(tmp / "media"),
            "KIOSK_API_LIMIT": "1000000 per minute",
            "KIOSK_COMMANDS_WAIT_MS": command_wait_ms,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _serve(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _display() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "+bs", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as answer:
        return server, f":{answer.readline().strip()}"


def measure(tmp: Path, films: dict[int, Path], display: str, gos: int, *, long_poll: bool) -> list[float | None]:
    """Seconds from each GO to its film's first picture (None: never seen)."""
    app = _app(tmp, command_wait_ms=25_000 if long_poll else 0)
    cues = [1 + n % 2 for n in range(gos)]
    session_id, kiosk_id, token, caller = build_show(app, films, cues)
    prepare(app, session_id)
    server, url = _serve(app)
    kiosk = start_kiosk(url, token, tmp / "kiosk", display, commands_every=1.0 if long_poll else 1.5)
    pressed = []
    try:
        wait_ready(app, kiosk_id, timeout=60)
        with capture(display, SCREEN, {n: Rect(0, 0, *SCREEN) for n in films}) as grabbing:
            time.sleep(0.5)
            for _ in cues:
                pressed.append(go(app, session_id, caller))
                time.sleep(BETWEEN)
    finally:
        kiosk.terminate()
        kiosk.wait(15)
        server.shutdown()
    grabs = seen(grabbing)
    result = []
    for moment, film in zip(pressed, cues, strict=True):
        picture = first_after(grabs, moment, film)
        result.append(picture[0] - moment if picture and picture[0] - moment < BETWEEN else None)
    return result


def _row(name: str, values: list[float | None], target: str) -> str:
    got = sorted(v for v in values if v is not None)
    if not got:
        return f"| {name} | — | — | — | — | {len(values)} never seen | {target} |"
    p95 = got[min(len(got) - 1, round(0.95 * (len(got) - 1)))]
    missed = len(values) - len(got)
    return (
        f"| {name} | {statistics.median(got) * 1000:.0f} | {p95 * 1000:.0f} | {got[0] * 1000:.0f} | "
        f"{got[-1] * 1000:.0f} | {len(got)}{f' ({missed} never seen)' if missed else ''} | {target} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gos", type=int, default=12)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="bench-show-go-"))
    films = {n: coded_film(work, n, FRAMES) for n in (1, 2)}
    xvfb, display = _display()
    try:
        long_poll = measure(work / "long", films, display, args.gos, long_poll=True)
        polled = measure(work / "poll", films, display, args.gos, long_poll=False)
    finally:
        xvfb.terminate()
        xvfb.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"GO to the cue's first frame on a real X display (Xvfb {SCREEN[0]}x{SCREEN[1]}, grabbed at 50/s), ms")
    print()
    print("| kiosk | median | p95 | min | max | n | target |")
    print("|---|---|---|---|---|---|---|")
    print(_row("long poll, the cue prepared ahead", long_poll, "≤ 300"))
    print(_row("polled every 1.5 s (baseline)", polled, "—"))
    if long_poll and polled and None not in long_poll + polled:
        ratio = statistics.median(polled) / statistics.median(long_poll)
        print()
        print(f"median: the long poll is {ratio:.1f}× quicker than the 1.5 s poll")


if __name__ == "__main__":
    main()
