"""Background threads that talk to the server: manifest and media sync, heartbeat, commands, preflight.

They never call libvlc. What they learn goes to the main loop through its inbox queue; what they send
comes from a snapshot the main loop publishes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playlists.format import Item, ManifestError, Media, Playlist, from_json
from playlists.kiosk.cache import Cache, CacheError
from playlists.kiosk.preflight import verify_file
from playlists.kiosk.source import ServerSource, SourceError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """A playlist ready to preflight: how to find each film's file and whether that file is good."""

    playlist: Playlist
    path_of: Callable[[Media], Path]
    check_file: Callable[[Item], tuple[Path | None, str | None]]


@dataclass(frozen=True)
class Command:
    """An operator command from the server (or the keyboard)."""

    name: str
    item_key: str | None = None


def local_delivery(manifest: Path) -> Delivery:
    """A manifest file exported with media paths relative to it: no server, no cache."""
    playlist = from_json(Path(manifest).read_bytes())
    base = Path(manifest).resolve().parent

    def path_of(media: Media) -> Path:
        return base / media.uri

    def check_file(item: Item) -> tuple[Path | None, str | None]:
        assert item.media is not None
        path = path_of(item.media)
        return path, verify_file(path, item.media)

    return Delivery(playlist, path_of, check_file)


def cache_delivery(playlist: Playlist, cache: Cache) -> Delivery:
    """A playlist whose media lives in the kiosk cache, verified by sha256."""

    def check_file(item: Item) -> tuple[Path | None, str | None]:
        assert item.media is not None
        if cache.is_ready(item.media):
            return cache.media_path(item.media), None
        return None, "not in cache (download failed or file corrupt)"

    return Delivery(playlist, cache.media_path, check_file)


@dataclass
class LinkTiming:
    """How often the link threads talk to the server (seconds)."""

    sync_every: float = 30.0
    heartbeat_every: float = 1.0  # the control room says "no signal" after a few silent seconds
    commands_every: float = 1.0  # between command polls when the server does not hold them (or is away)
    command_wait: float = 20.0  # how long the server may hold a poll for commands open


class ServerLink:
    """Sync thread (manifest + media), chat thread (heartbeat, thumbnail, preflight reports) and commands
    thread (long polls)."""

    def __init__(
        self,
        source: ServerSource,
        cache: Cache,
        *,
        inbox: queue.Queue,
        snapshot: Callable[[], dict[str, Any]],
        thumbnail: Callable[[], tuple[float, bytes] | None] = lambda: None,
        timing: LinkTiming | None = None,
    ) -> None:
        self.source, self.cache, self.inbox, self.snapshot = source, cache, inbox, snapshot
        self.thumbnail = thumbnail
        self._thumbnail_sent: float | None = None
        self.timing = timing or LinkTiming()
        self.reload = threading.Event()
        self.reports: queue.Queue[dict[str, Any]] = queue.Queue()
        self.playlist: Playlist | None = None
        self._online: bool | None = None
        self._threads: list[threading.Thread] = []

    def start(self, stop: threading.Event) -> None:
        """Start both threads; they end when `stop` is set."""
        threads = (
            ("kiosk-sync", self._sync_loop),
            ("kiosk-chat", self._chat_loop),
            ("kiosk-commands", self._commands_loop),
        )
        for name, target in threads:
            thread = threading.Thread(target=target, args=(stop,), name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def join(self, timeout: float = 2.0) -> None:
        """Wait briefly for the threads after `stop` was set."""
        for thread in self._threads:
            thread.join(timeout)

    def _connected(self, online: bool, why: str = "") -> None:
        # log transitions only, not every failed poll
        if online != self._online:
            if online:
                log.info("server reachable")
            else:
                log.warning("server unreachable (%s): playing on from cache", why)
        self._online = online

    # ---- sync thread

    def _sync_loop(self, stop: threading.Event) -> None:
        etag = self._deliver_cached()
        while not stop.is_set():
            etag = self._sync_once(etag)
            self.reload.wait(self.timing.sync_every if etag else min(self.timing.sync_every, 5.0))
            self.reload.clear()

    def _deliver_cached(self) -> str | None:
        """Start from the cached manifest at once: the show must not wait for the network."""
        cached = self.cache.load_manifest()
        if cached is None:
            return None
        playlist, etag = cached
        log.info("cached playlist %s v%d", playlist.id, playlist.version)
        # hash here, in the sync thread, so the main loop's preflight finds the files already verified
        complete = all(self.cache.is_ready(item.media) for item in playlist.items if item.media)
        self._deliver(playlist)
        return etag if complete else None

    def _sync_once(self, etag: str | None) -> str | None:
        try:
            fetched = self.source.fetch_manifest(etag)
        except SourceError as exc:
            self._connected(False, str(exc))
            return etag
        self._connected(True)
        if fetched.status == "none":
            log.info("server: no playlist assigned to this kiosk")
            return None
        if fetched.status == "unchanged" or fetched.text is None:
            return etag
        try:
            playlist = from_json(fetched.text)
        except ManifestError as exc:
            log.error("server sent a bad manifest, keeping the current one: %s", exc)
            return etag
        complete = self._download(playlist)
        self.cache.save_manifest(fetched.text, fetched.etag)
        self._deliver(playlist)
        # with media missing, forget the ETag so the next round fetches the manifest and retries them
        return fetched.etag if complete else None

    def _download(self, playlist: Playlist) -> bool:
        complete = True
        for item in playlist.items:
            if item.media is None:
                continue
            try:
                self.cache.ensure(item.media, self.source.download)
            except (SourceError, CacheError, OSError) as exc:
                log.warning("media for %s not ready: %s", item.key, exc)
                complete = False
        return complete

    def _deliver(self, playlist: Playlist) -> None:
        self.playlist = playlist
        self.inbox.put(cache_delivery(playlist, self.cache))

    # ---- chat thread

    def _chat_loop(self, stop: threading.Event) -> None:
        next_beat = 0.0
        clock = 0.0
        tick = min(0.25, self.timing.heartbeat_every)
        while not stop.wait(tick):
            clock += tick
            if clock >= next_beat:
                self._send_reports()
                self._heartbeat()
                self._send_thumbnail()
                next_beat = clock + self.timing.heartbeat_every

    # ---- commands thread

    def _commands_loop(self, stop: threading.Event) -> None:
        """Long polls: the server answers as soon as a command is queued, or empty after `command_wait`."""
        while not stop.is_set():
            asked = time.monotonic()
            heard = self._poll_commands()
            if heard is None:  # the server is unreachable: try again after the usual period
                stop.wait(self.timing.commands_every)
            elif not heard and time.monotonic() - asked < self.timing.command_wait / 2:
                stop.wait(self.timing.commands_every)  # a server that does not hold the poll: poll every period

    def _poll_commands(self) -> bool | None:
        """Hand the server's commands to the main loop; whether there were any, None when unreachable."""
        try:
            raw_commands = self.source.commands(wait=self.timing.command_wait)
            for raw in raw_commands:
                args = raw.get("args") if isinstance(raw.get("args"), dict) else {}
                command = Command(str(raw.get("command")), args.get("item_key"))
                log.info("command %d: %s %s", raw["id"], command.name, command.item_key or "")
                self.inbox.put(command)
                self.source.ack(raw["id"])
            return bool(raw_commands)
        except SourceError as exc:
            self._connected(False, str(exc))
            return None

    def _heartbeat(self) -> None:
        payload = dict(self.snapshot())
        payload["cache"] = self.cache.stats(self.playlist)
        payload["clock"] = round(time.time(), 3)  # the kiosk's own clock: frame_at is on it
        try:
            self.source.heartbeat(payload)
            self._connected(True)
        except SourceError as exc:
            self._connected(False, str(exc))

    def _send_thumbnail(self) -> None:
        latest = self.thumbnail()
        if latest is None or latest[0] == self._thumbnail_sent:
            return
        try:
            self.source.post_thumbnail(latest[1])
            self._thumbnail_sent = latest[0]
        except SourceError as exc:
            self._connected(False, str(exc))

    def _send_reports(self) -> None:
        while True:
            try:
                report = self.reports.get_nowait()
            except queue.Empty:
                return
            try:
                self.source.post_preflight(report)
            except SourceError:
                self.reports.put(report)  # try again with the next heartbeat
                return
