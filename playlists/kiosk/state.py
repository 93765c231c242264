"""The kiosk's saved place (playlist version, item key, seconds), written atomically."""

from __future__ import annotations

import json
import logging
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
