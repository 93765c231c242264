"""The kiosk's saved place (playlist version, item key, seconds), written atomically."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict
from pathlib import Path

from playlists.kiosk.actions import Place
from playlists.kiosk.files import PRIVATE, atomic_write

log = logging.getLogger(__name__)


def save_place(path: Path, place: Place) -> None:
    """Save the place so a crash or power cut resumes here."""
    atomic_write(path, json.dumps(asdict(place)).encode(), mode=PRIVATE)


def load_place(path: Path) -> Place | None:
    """The saved place, or None when there is none or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Place(
            playlist_id=str(data["playlist_id"]),
            version=int(data["version"]),
            item_key=str(data["item_key"]),
            position=float(data["position"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # a damaged state file must not keep the kiosk from starting; start from the top instead
        log.warning("ignoring unreadable saved place %s: %s", path, exc)
        return None


def clear_place(path: Path) -> None:
    """Forget the saved place (the playlist finished)."""
    path.unlink(missing_ok=True)


_CLEAR = object()


class PlaceKeeper:
    """Writes the place on a thread of its own, so a slow disk (an fsync on an SD card) never holds up the
    playback thread: `keep` hands over the latest place (or None to forget it) and returns at once; only the
    newest one waiting is written. `close` writes what is waiting and stops."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._latest: object = None
        self._wake = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="kiosk-place", daemon=True)
        self._thread.start()

    def keep(self, place: Place | None) -> None:
        with self._wake:
            self._latest = _CLEAR if place is None else place
            self._wake.notify()

    def close(self, timeout: float = 5.0) -> None:
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._latest is None and not self._closing:
                    self._wake.wait()
                latest, self._latest = self._latest, None
                closing = self._closing
            if latest is not None:
                self._write(latest)
            if closing and latest is None:
                return

    def _write(self, latest: object) -> None:
        try:
            if latest is _CLEAR:
                clear_place(self.path)
            else:
                save_place(self.path, latest)  # type: ignore[arg-type]
        except OSError as exc:
            log.warning("could not save place: %s", exc)
