"""Helpers shared by the playlists tests and the kiosk benchmark: clips, media records, manifests."""

from __future__ import annotations

import hashlib
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from playlists.format import Item, Media, Playlist, to_json

CLIP_SECONDS = 2.0


def make_clip(
    path: Path, *, seconds: float, pattern: str = "testsrc", faststart: bool = True, size: str = "160x120"
) -> Path:
    """An H.264 clip, 160x120 (by default) at 25 fps; libvlc decodes it in a blink."""
    command = [
        "ffmpeg",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"{pattern}=size={size}:rate=25:duration={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-g",
        "25",
    ]
    command += ["-movflags", "+faststart"] if faststart else []
    subprocess.run([*command, str(path)], check=True, timeout=60)
    return path


def media_for(path: Path, *, uri: str | None = None, duration: float | None = CLIP_SECONDS) -> Media:
    """Media record of a real file (sha256 and size measured)."""
    data = path.read_bytes()
    return Media(uri=uri or path.name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), duration=duration)


def film_item(key: str, path: Path, **kw) -> Item:
    """A film item for a real file."""
    return Item(key=key, kind="film", title=f"影片 {key}", title_en=f"Film {key}", media=media_for(path, **kw))


def make_playlist(*items: Item, version: int = 1, playlist_id: str = "gala") -> Playlist:
    """A playlist of these items."""
    return Playlist(
        id=playlist_id,
        version=version,
        title="放映",
        title_en="Screening",
        published_at=datetime(2026, 11, 20, 19, 0, tzinfo=UTC),
        items=items,
    )


def write_manifest(directory: Path, playlist: Playlist) -> Path:
    """Write an exported manifest next to its media (uris relative to it)."""
    path = directory / "playlist.json"
    path.write_text(to_json(playlist), encoding="utf-8")
    return path


@dataclass
class KioskThread:
    """A Kiosk whose loop (the only libvlc thread) runs in a background thread."""

    kiosk: object
    stop: threading.Event
    thread: threading.Thread

    def wait_for(self, condition: Callable[[], bool], *, timeout: float) -> bool:
        """Poll until `condition()` holds or `timeout` passes."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                if condition():
                    return True
                deadline.wait(0.02)
            return condition()
        finally:
            timer.cancel()
