"""Fixtures for the playlists tests: small clips made with ffmpeg, a kiosk running in a thread, X displays."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.playlists.kiosk_support import CLIP_SECONDS, KioskThread, make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    """good1/good2/good3 (2 s), long (4 s); truncated = good3 cut in half (its moov is up front)."""
    root = tmp_path_factory.mktemp("clips")
    clips = {
        "good1": make_clip(root / "good1.mp4", seconds=CLIP_SECONDS),
        "good2": make_clip(root / "good2.mp4", seconds=CLIP_SECONDS, pattern="smptebars"),
        "good3": make_clip(root / "good3.mp4", seconds=CLIP_SECONDS, pattern="testsrc2"),
        "long": make_clip(root / "long.mp4", seconds=4.0, pattern="rgbtestsrc"),
    }
    data = clips["good3"].read_bytes()
    clips["truncated"] = root / "truncated.mp4"
    clips["truncated"].write_bytes(data[: len(data) // 2])
    return clips


@pytest.fixture
def kiosk_thread() -> Iterator[Callable[..., KioskThread]]:
    """Start Kiosk(...) in a thread: factory(state_dir, setup=callable(kiosk, stop), options=...)."""
    from playlists.kiosk.player import Player
    from playlists.kiosk.runner import Kiosk

    started: list[KioskThread] = []

    def start(
        state_dir: Path, *, setup: Callable | None = None, options=None, make_player: Callable | None = None
    ) -> KioskThread:
        """`make_player()` runs on the kiosk's thread (the libvlc thread); default: a headless Player."""
        ready = threading.Event()
        holder: dict = {}
        stop = threading.Event()

        def body() -> None:
            player = make_player() if make_player else Player(headless=True)
            kiosk = Kiosk(player, state_dir=state_dir, options=options)
            holder["kiosk"] = kiosk
            if setup:
                setup(kiosk, stop)
            ready.set()
            try:
                kiosk.run(stop)
            finally:
                if kiosk.link:
                    stop.set()
                    kiosk.link.join()
                player.close()

        thread = threading.Thread(target=body, name="kiosk-main", daemon=True)
        thread.start()
        assert ready.wait(10), "kiosk did not start"
        running = KioskThread(holder["kiosk"], stop, thread)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop.set()
        running.thread.join(10)
