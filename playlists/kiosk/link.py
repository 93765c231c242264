"""Background threads that talk to the server: manifest and media sync, heartbeat, commands, preflight.

They never call libvlc. What they learn goes to the main loop through its inbox queue; what they send
comes from a snapshot the main loop publishes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playlists.format import Item, ManifestError, Media, Playlist, from_json
from playlists.kiosk.cache import Cache, CacheError
from playlists.kiosk.preflight import verify_file
from playlists.kiosk.source import ServerSource, SourceError

log = logging.getLogger(__name__)


# a file's verdict: None when it is verified (size and sha256), else why it cannot be played
Verdicts = Mapping[str, "str | None"]


@dataclass(frozen=True)
class Delivery:
    """A playlist ready to preflight: where each film's file is, and each file's verdict (by sha256).

    The verdicts are reached before delivery, in the thread that delivers: the main loop (the libvlc
    thread) only looks them up and never hashes a file.
    """

    playlist: Playlist
    path_of: Callable[[Media], Path]
    verdicts: Verdicts

    def check_file(self, item: Item) -> tuple[Path | None, str | None]:
        """(local path, None) for a verified file, (None, problem) otherwise."""
        assert item.media is not None
        problem = self.verdicts.get(item.media.sha256, "not verified")
        return (None, problem) if problem else (self.path_of(item.media), None)


@dataclass(frozen=True)
class Command:
    """An operator command from the server (or the keyboard); a show's jump says how far into the item the show
    is (`start`, seconds, reckoned by the server when it handed the command over)."""

    name: str
    item_key: str | None = None
    start: float | None = None


def _seconds(value: Any) -> float | None:
    """A number of seconds >= 0 from a command's arguments, else None (a bad one is ignored, not obeyed)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e7:
        return None
    return float(value)


def _medias(playlist: Playlist | None) -> dict[str, Media]:
    """The playlist's distinct files, by sha256, in playlist order."""
    return {item.media.sha256: item.media for item in playlist.items if item.media} if playlist else {}


def local_delivery(manifest: Path) -> Delivery:
    """A manifest file exported with media paths relative to it: no server, no cache (verified here, in the
    caller's thread)."""
    playlist = from_json(Path(manifest).read_bytes())
    base = Path(manifest).resolve().parent

    def path_of(media: Media) -> Path:
        return base / media.uri

    verdicts = {sha: verify_file(path_of(media), media) for sha, media in _medias(playlist).items()}
    return Delivery(playlist, path_of, verdicts)


@dataclass
class LinkTiming:
    """How often the link threads talk to the server (seconds).

    A file that could not be fetched is tried again after retry_first seconds, then twice as long after
    each failure, at most retry_cap.
    """

    sync_every: float = 30.0
    heartbeat_every: float = 1.0  # the control room says "no signal" after a few silent seconds
    commands_every: float = 1.0  # between command polls when the server does not hold them (or is away)
    command_wait: float = 20.0  # how long the server may hold a poll for commands open
    retry_first: float = 5.0
    retry_cap: float = 300.0

    def retry_after(self, failures: int) -> float:
        """Seconds to wait after the n-th failure in a row."""
        return min(self.retry_cap, self.retry_first * 2 ** min(failures - 1, 30))


@dataclass(frozen=True)
class _Retry:
    failures: int
    due: float  # time.monotonic()
    problem: str


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
        self.etag: str | None = None
        self._verdicts: dict[str, str | None] = {}
        self._retries: dict[str, _Retry] = {}
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
    #
    # The manifest is polled every sync_every (at once on `reload`) with its ETag. Each file of the playlist
    # that could not be made ready has its own retry schedule (LinkTiming.retry_after), keyed by sha256: a
    # manifest that changes the file names a new sha256 and so starts afresh. The playlist is delivered to
    # the main loop when a new one arrives, and again only when a file's verdict turns good or bad.

    def _sync_loop(self, stop: threading.Event) -> None:
        self._deliver_cached()
        next_poll = 0.0
        while not stop.is_set():
            now = time.monotonic()
            changed = False
            if now >= next_poll or self.reload.is_set():
                if self.reload.is_set():  # an operator's reload (or a new version published) means "try now"
                    self._retries.clear()
                self.reload.clear()
                changed = self._poll_manifest()
                next_poll = now + self.timing.sync_every
            if self._online:  # offline, a download can only fail and push its next try further away
                changed = self._fetch_due(time.monotonic()) or changed
            if changed:
                self._deliver()
            self.reload.wait(self._pause(next_poll))

    def _pause(self, next_poll: float) -> float:
        until = next_poll
        if self._online and self._retries:
            until = min(until, min(r.due for r in self._retries.values()))
        return max(0.0, until - time.monotonic())

    def _deliver_cached(self) -> None:
        """Start from the cached manifest at once: the show must not wait for the network."""
        cached = self.cache.load_manifest()
        if cached is None:
            return
        self.playlist, self.etag = cached
        log.info("cached playlist %s v%d", self.playlist.id, self.playlist.version)
        for sha, media in _medias(self.playlist).items():
            # hashed here, in the sync thread: the main loop's preflight only looks the verdicts up
            self._verdicts[sha] = None if self.cache.is_ready(media) else "not in cache yet"
        self._deliver()

    def _poll_manifest(self) -> bool:
        """Ask for the manifest with its ETag; True when a new playlist was adopted."""
        try:
            fetched = self.source.fetch_manifest(self.etag)
        except SourceError as exc:
            self._connected(False, str(exc))
            return False
        self._connected(True)
        if fetched.status == "none":
            if self.etag is not None or self.playlist is None:
                log.info("server: no playlist assigned to this kiosk (keeping what it has)")
            self.etag = None
            return False
        if fetched.status == "unchanged" or fetched.text is None:
            return False
        self.etag = fetched.etag  # a bad manifest is not fetched again until the server changes it
        try:
            playlist = from_json(fetched.text)
        except ManifestError as exc:
            log.error("server sent a bad manifest, keeping the current one: %s", exc)
            return False
        try:
            self.cache.save_manifest(fetched.text, fetched.etag)
        except OSError as exc:  # e.g. the disk is full: play it anyway, it is fetched again after a restart
            log.warning("could not keep the manifest in the cache: %s", exc)
        log.info("new playlist %s v%d", playlist.id, playlist.version)
        self._adopt(playlist)  # its files are fetched next, before it is delivered
        return True

    def _adopt(self, playlist: Playlist) -> None:
        wanted = _medias(playlist)
        self._retries = {sha: r for sha, r in self._retries.items() if sha in wanted}
        self._verdicts = {sha: v for sha, v in self._verdicts.items() if sha in wanted}
        self.playlist = playlist

    def _fetch_due(self, now: float) -> bool:
        """Make ready every file whose turn it is; True when a known file's verdict turned good or bad."""
        flipped = False
        for sha, media in _medias(self.playlist).items():
            retry = self._retries.get(sha)
            if retry is not None and now < retry.due:
                continue
            before = self._verdicts.get(sha, "unknown")
            try:
                self.cache.ensure(media, self.source.download)
            except (SourceError, CacheError, OSError) as exc:
                self._failed(media, str(exc), now)
            else:
                self._verdicts[sha] = None
                if self._retries.pop(sha, None) is not None or before not in (None, "unknown"):
                    log.info("media %s ready", sha[:12])
            after = self._verdicts[sha]
            flipped |= before != "unknown" and (before is None) != (after is None)
        return flipped

    def _failed(self, media: Media, problem: str, now: float) -> None:
        retry = self._retries.get(media.sha256)
        failures = retry.failures + 1 if retry else 1
        delay = self.timing.retry_after(failures)
        self._retries[media.sha256] = _Retry(failures, now + delay, problem)
        self._verdicts[media.sha256] = f"not in cache: {problem}"
        # log the first failure and a change of cause, not every retry
        level = logging.WARNING if retry is None or retry.problem != problem else logging.DEBUG
        log.log(level, "media %s not ready (%s); next try in %.0f s", media.sha256[:12], problem, delay)

    def _deliver(self) -> None:
        assert self.playlist is not None
        self.inbox.put(Delivery(self.playlist, self.cache.media_path, dict(self._verdicts)))

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
                command = Command(str(raw.get("command")), args.get("item_key"), _seconds(args.get("start")))
                log.info("command %d: %s %s %s", raw["id"], command.name, command.item_key or "", args.get("start", ""))
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
