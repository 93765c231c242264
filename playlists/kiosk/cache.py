"""On-disk cache of the manifest and media: atomic writes, sha256-verified, resumable downloads."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from playlists.format import Media, Playlist, from_json
from playlists.kiosk.files import atomic_write, fsync_dir, sha256_file

log = logging.getLogger(__name__)

# fetch(sha256, partial_file, expected_bytes) appends the missing bytes to partial_file
Fetch = Callable[..., None]


class CacheError(Exception):
    """Media could not be made ready (download failed or never matched its sha256)."""


class Cache:
    """Manifest and media under one directory; media files are named by their sha256."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.media_dir = self.root / "media"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._manifest = self.root / "manifest.json"
        # media files whose sha256 matched, by the file's size, mtime and inode then: kept on disk, so a kiosk
        # starting again (after a crash, at the venue's power-on) does not read gigabytes before its first frame
        self._stamps = self.root / "verified.json"
        self._verified: dict[Path, tuple[int, int, int]] = self._load_stamps()

    # ---- manifest

    def save_manifest(self, text: str, etag: str | None) -> None:
        """Keep the manifest (validated by the caller) and its ETag together, atomically."""
        atomic_write(self._manifest, json.dumps({"etag": etag, "manifest": text}).encode())

    def load_manifest(self) -> tuple[Playlist, str | None] | None:
        """The cached playlist and ETag, or None when absent or unreadable."""
        try:
            data = json.loads(self._manifest.read_text(encoding="utf-8"))
            return from_json(data["manifest"]), data.get("etag")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cached manifest unreadable, ignoring it: %s", exc)
            return None

    # ---- media

    def media_path(self, media: Media) -> Path:
        """Where verified media lives."""
        return self.media_dir / media.sha256

    def is_ready(self, media: Media) -> bool:
        """The cached file exists, has the right size and sha256 (hashed again only if it changed)."""
        path = self.media_path(media)
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        if stat.st_size != media.bytes:
            return False
        if self._verified.get(path) == _stamp(stat):
            return True
        if sha256_file(path) != media.sha256:
            return False
        self._remember(path, stat)
        return True

    def _load_stamps(self) -> dict[Path, tuple[int, int, int]]:
        try:
            data = json.loads(self._stamps.read_text(encoding="utf-8"))
            return {self.media_dir / name: (int(a), int(b), int(c)) for name, (a, b, c) in data.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("verified-files record unreadable, files will be hashed again: %s", exc)
            return {}

    def _remember(self, path: Path, stat: os.stat_result) -> None:
        self._verified[path] = _stamp(stat)
        stamps = {p.name: list(v) for p, v in self._verified.items() if p.exists()}
        try:
            atomic_write(self._stamps, json.dumps(stamps).encode())
        except OSError as exc:  # a full disk: the file is still good, only hashed again at the next start
            log.warning("could not record verified files: %s", exc)

    def ensure(self, media: Media, fetch: Fetch) -> Path:
        """Make media ready: keep a good file, resume a partial one, fetch a corrupt one again.

        CacheError when it does not fit on the disk (checked before fetching; a download that fills the disk
        anyway loses its partial file, so the manifest and the saved place keep room) or never matches its
        sha256."""
        path = self.media_path(media)
        if self.is_ready(media):
            return path
        partial = path.with_name(path.name + ".part")
        self._salvage(path, partial, media)
        for attempt in (1, 2):
            self._check_room(media, partial)
            self._fetch(media, partial, fetch)
            if partial.stat().st_size == media.bytes and sha256_file(partial) == media.sha256:
                os.replace(partial, path)
                fsync_dir(self.media_dir)
                stat = path.stat()
                self._remember(path, stat)
                return path
            log.debug("media %s: download %d does not match its sha256", media.sha256[:12], attempt)
            partial.unlink(missing_ok=True)
        raise CacheError(f"media {media.sha256[:12]} never matched its sha256 (replaced on the server?)")

    def _check_room(self, media: Media, partial: Path) -> None:
        # refuse before downloading: fetching gigabytes only to fill the disk, again at every retry, helps no one
        have = partial.stat().st_size if partial.exists() else 0
        free = shutil.disk_usage(self.media_dir).free
        if media.bytes - have > free:
            raise CacheError(f"disk full: media {media.sha256[:12]} needs {media.bytes - have} bytes, {free} free")

    def _fetch(self, media: Media, partial: Path, fetch: Fetch) -> None:
        try:
            fetch(media.sha256, partial, expected_bytes=media.bytes)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise  # e.g. the connection dropped: the partial file is resumed next time
            partial.unlink(missing_ok=True)
            raise CacheError(f"disk full while fetching media {media.sha256[:12]}: partial download removed") from None

    def _salvage(self, path: Path, partial: Path, media: Media) -> None:
        """A short cached file is resumed; a wrong full-size one is thrown away."""
        if not path.exists():
            return
        size = path.stat().st_size
        if size < media.bytes and not partial.exists():
            log.warning("media %s: cached file truncated at %d bytes, resuming", media.sha256[:12], size)
            os.replace(path, partial)
        else:
            log.warning("media %s: cached file corrupt, fetching again", media.sha256[:12])
            path.unlink()

    def stats(self, playlist: Playlist | None) -> dict[str, int]:
        """Heartbeat cache figures: media items, how many are ready, bytes on disk."""
        medias = [item.media for item in playlist.items if item.media] if playlist else []
        ready = [m for m in medias if self._quick_ready(m)]
        return {"items": len(medias), "ready": len(ready), "bytes": sum(m.bytes for m in ready)}

    def _quick_ready(self, media: Media) -> bool:
        # heartbeat path: trust the last verification instead of hashing again
        path = self.media_path(media)
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        return self._verified.get(path) == _stamp(stat)


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)
