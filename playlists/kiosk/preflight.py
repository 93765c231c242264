"""Preflight: every item is on disk, matches its sha256, and libvlc parses it with a picture and a duration.

A film whose real length does not fit its listed runtime still plays, with a warning for the control room:
staff decide whether it is the wrong file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playlists.format import Item, Media, Playlist
from playlists.kiosk.files import sha256_file
from playlists.runtime import runtime_mismatch

# check_file(item) -> (local path or None, problem or None); probe(path) -> object with duration, has_video,
# problem (player.Probe). Both are passed in so this module needs neither libvlc nor the network, and
# check_file only looks verdicts up: the hashing was done before, off the playback thread.
CheckFile = Callable[[Item], "tuple[Path | None, str | None]"]
ProbeFn = Callable[[Path], Any]


@dataclass(frozen=True)
class ItemCheck:
    """Preflight verdict for one item."""

    key: str
    ok: bool
    problem: str | None
    duration: float | None
    warning: str | None = None


@dataclass(frozen=True)
class Report:
    """Preflight verdicts for one playlist version."""

    playlist_id: str
    playlist_version: int
    items: tuple[ItemCheck, ...]

    def excluded(self) -> dict[str, str]:
        """Items that must be skipped, with their problem."""
        return {c.key: c.problem or "failed preflight" for c in self.items if not c.ok}

    def warnings(self) -> dict[str, str]:
        """Playable items staff should look at (e.g. a length that does not fit the listed runtime)."""
        return {c.key: c.warning for c in self.items if c.ok and c.warning}

    def payload(self) -> dict[str, Any]:
        """Body for POST /api/kiosk/preflight."""
        return {
            "playlist_version": self.playlist_version,
            "items": [
                {"key": c.key, "ok": c.ok, "problem": c.problem, "duration": c.duration, "warning": c.warning}
                for c in self.items
            ],
        }

    def lines(self) -> list[str]:
        """Human-readable report, one line per item."""
        return [
            f"  {_mark(c)} {c.key}: "
            + (f"{c.duration:.1f} s" if c.duration else "")
            + (f" {c.problem}" if c.problem else "")
            + (f" WARNING {c.warning}" if c.warning else "")
            for c in self.items
        ]


def _mark(check: ItemCheck) -> str:
    if not check.ok:
        return "FAIL"
    return "warn" if check.warning else "ok  "


def verify_file(path: Path, media: Media) -> str | None:
    """Problem with a local media file (missing, wrong size, wrong sha256), or None when it is good."""
    if not path.is_file():
        return "file missing"
    size = path.stat().st_size
    if media.bytes and size != media.bytes:
        return f"size {size} bytes, expected {media.bytes} (truncated?)" if size < media.bytes else "wrong size"
    if sha256_file(path) != media.sha256:
        return "sha256 mismatch (corrupt)"
    return None


def run_preflight(playlist: Playlist, *, check_file: CheckFile, probe: ProbeFn) -> Report:
    """Check every item; cards only need their text, films need a good file that libvlc can play."""
    checks = []
    for item in playlist.items:
        if item.kind == "card":
            checks.append(ItemCheck(item.key, True, None, item.card_seconds))
            continue
        checks.append(_check_film(item, check_file=check_file, probe=probe))
    return Report(playlist.id, playlist.version, tuple(checks))


def _check_film(item: Item, *, check_file: CheckFile, probe: ProbeFn) -> ItemCheck:
    path, problem = check_file(item)
    if problem or path is None:
        return ItemCheck(item.key, False, problem or "no local file", None)
    result = probe(path)
    if result.problem:
        return ItemCheck(item.key, False, result.problem, None)
    if not result.duration or result.duration <= 0:
        return ItemCheck(item.key, False, "libvlc finds no duration", None)
    if not result.has_video:
        return ItemCheck(item.key, False, "no video track", result.duration)
    return ItemCheck(item.key, True, None, result.duration, runtime_mismatch(result.duration, item.runtime))
