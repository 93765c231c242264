"""`showcase-kiosk`: the main loop. It owns the Player and the Sequencer and is the one libvlc thread."""

from __future__ import annotations

import argparse
import logging
import math
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playlists.format import Item, ManifestError
from playlists.kiosk.actions import Action, Done, Failed, Pause, Place, Play, Prepare, Resume, Stop, Switched
from playlists.kiosk.cache import Cache
from playlists.kiosk.cards import render_card
from playlists.kiosk.keys import start_key_reader
from playlists.kiosk.link import Command, Delivery, LinkTiming, ServerLink, local_delivery
from playlists.kiosk.memory import Trimmer
from playlists.kiosk.options import parse_args
from playlists.kiosk.player import Player, PlayerEvent
from playlists.kiosk.preflight import run_preflight
from playlists.kiosk.screen import Screen, ScreenError, ScreenWatch
from playlists.kiosk.sequencer import Sequencer, Watchdog
from playlists.kiosk.source import ServerSource
from playlists.kiosk.state import PlaceKeeper, load_place

log = logging.getLogger("showcase.kiosk")

# An item's first moments are its most fragile: libvlc is filling the decoder and the picture's clock has just
# started. Opening the next item then (a second decoder, its first frame decoded off screen) made a 1080p film
# drop frames 2-8 on two cores. The next item is opened once the one on screen has played _SETTLE seconds, or
# earlier when it has only _PREPARE_LEAD seconds left, so the cut still finds it ready. The screen watch reads
# no thumbnail until that opening (about _PREPARE_COST seconds) is over.
_SETTLE = 0.8
_PREPARE_LEAD = 1.0
_PREPARE_COST = 0.4


@dataclass
class KioskOptions:
    """Knobs for the main loop."""

    save_every: float = 0.5  # a crash resumes at most this far back (written off the playback thread)
    watchdog: Watchdog = field(default_factory=Watchdog)
    loop: bool = False
    exit_when_done: bool = False


class Kiosk:
    """Plays deliveries with the sequencer; reports through the optional server link."""

    def __init__(self, player: Player, *, state_dir: Path, options: KioskOptions | None = None) -> None:
        self.player = player
        self.options = options or KioskOptions()
        self.inbox: queue.Queue[Any] = player.events
        self.seq = Sequencer(watchdog=self.options.watchdog, loop=self.options.loop)
        self.state_path = Path(state_dir) / "place.json"
        self.cards_dir = Path(state_dir) / "cards"
        self.history: list[Done | Failed] = []
        self.shown: list[str] = []  # item keys whose first frame the player reported
        self.link: ServerLink | None = None
        self.last_error: str | None = None
        self._delivery: Delivery | None = None
        self._resume: Place | None = load_place(self.state_path)
        self._keeper: PlaceKeeper | None = None
        self._token = 0
        self._shown_token = 0
        self._shown_at: float | None = None  # when the item on screen showed its first picture (monotonic)
        self._upcoming: Item | None = None
        self._saved_at = 0.0
        self._preflighting = False
        self._snapshot: dict[str, Any] = {"state": "idle"}
        self._lock = threading.Lock()
        self._probes: dict[tuple[str, int, int], Any] = {}
        self.watch: ScreenWatch | None = None  # what the output shows, read back (with a screen)
        self.trimmer = Trimmer()

    # ---- the loop

    def run(self, stop: threading.Event) -> None:
        """Play until `stop` is set (or the playlist finished, with exit_when_done); save the place."""
        if self._resume:
            log.info("saved place: %s v%d item %s at %.1f s", *self._resume.__dict__.values())
        self._keeper = PlaceKeeper(self.state_path)
        screen = self.player.screen
        if screen is not None:
            self.watch = ScreenWatch(screen.display_name, screen.geometry, busy=self._busy).start()
        try:
            while not stop.is_set():
                self._handle(self._next_message())
                held = self.player.due()
                if held is not None:
                    self._do(self._player_event(held, time.monotonic()))
                now = time.monotonic()
                self._prepare_when_settled(now)
                self._feed_position(now)
                self._do(self.seq.tick(now=now))
                self._save(now)
                self.trimmer.tick(
                    now, busy=self.player.opening() or self._busy(), remaining=self._snapshot.get("remaining")
                )
                if self.options.exit_when_done and self.seq.status == "finished":
                    log.info("playlist finished")
                    break
        finally:
            self._save(time.monotonic(), force=True)
            self._keeper.close()
            self.player.stop()
            if self.watch is not None:
                self.watch.stop()

    def _busy(self) -> bool:
        """Whether the screen is at a fragile moment: the item on screen ends within a second, or has not yet
        settled and had the next item opened under it (read from the watch thread: published copies)."""
        with self._lock:
            remaining = self._snapshot.get("remaining")
        shown_at = self._shown_at
        starting = shown_at is not None and time.monotonic() - shown_at < _SETTLE + _PREPARE_COST
        return starting or (remaining is not None and remaining < 1.0)

    def _prepare_when_settled(self, now: float) -> None:
        """Open the next item under the one on screen once that one has settled, or earlier when it ends soon; at
        once when nothing has been on screen yet (a show waiting for its first GO)."""
        if self._upcoming is None or self._shown_token != self._token:
            return  # the item just started has not shown its first picture yet
        with self._lock:
            remaining = self._snapshot.get("remaining")
        if (
            self._shown_at is None
            or now - self._shown_at >= _SETTLE
            or (remaining is not None and remaining <= _PREPARE_LEAD)
        ):
            self._prepare_upcoming()

    def _next_message(self) -> Any:
        due = self.player.next_due()
        try:
            return self.inbox.get(timeout=0.05 if due is None else min(0.05, due))
        except queue.Empty:
            return None

    def _handle(self, message: Any) -> None:
        now = time.monotonic()
        if isinstance(message, PlayerEvent):
            event = self.player.accept(message)
            if event is not None:
                self._do(self._player_event(event, now))
        elif isinstance(message, Command):
            self._command(message, now)
        elif isinstance(message, Delivery):
            self._take(message, now)

    def _command(self, command: Command, now: float) -> None:
        name = command.name
        if name == "toggle":  # the space key: the terminal does not know whether we are paused
            name = "play" if self.seq.status == "paused" else "pause"
        if name == "reload" and self.link:
            self.link.reload.set()
        self._do(self.seq.command(name, now=now, item_key=command.item_key, start=command.start))

    def _player_event(self, event: PlayerEvent, now: float) -> list[Action]:
        if event.kind in ("playing", "frame"):
            item = self.seq.playlist.items[self.seq.index] if event.token == self._token and self.seq.playlist else None
            if event.kind == "frame" and item is not None and self._shown_token != event.token:
                # libvlc sends Vout once per video output it opens; count the first one per item
                self._shown_token = event.token
                self._shown_at = event.at
                self.trimmer.picture(event.at)
                log.info("picture: key=%s", item.key)
                self.shown.append(item.key)
                # the item is on screen: now the disk work (save the place) can't delay it; the next item is
                # opened once this one has settled (_prepare_when_settled)
                self._save(time.monotonic(), force=True)
            return self.seq.on_playing(event.token, now=event.at)
        if event.kind == "end":
            return self.seq.on_end(event.token, now=now)
        return self.seq.on_error(event.token, now=now, message="libvlc could not play it")

    def _feed_position(self, now: float) -> None:
        if self.seq.status == "playing":
            position = self.player.position()
            if position is not None:
                self.seq.on_time(self._token, now=now, position=position)

    # ---- playlists

    def _take(self, delivery: Delivery, now: float) -> None:
        """Preflight a delivered playlist, report it, then start it or queue it for the next boundary."""
        playlist = delivery.playlist
        self._preflighting = True
        self._publish(now)
        report = run_preflight(playlist, check_file=delivery.check_file, probe=self._probe)
        self._preflighting = False
        failed = report.excluded()
        log.info(
            "preflight %s v%d: %d ok, %d failed, %d to check",
            playlist.id,
            playlist.version,
            len(report.items) - len(failed),
            len(failed),
            len(report.warnings()),
        )
        for line in report.lines():
            log.info("%s", line)
        if self.link:
            self.link.reports.put(report.payload())
        self._delivery = delivery
        now = time.monotonic()
        if self.seq.playlist is None:
            self._do(self.seq.load(playlist, now=now, excluded=failed, resume=self._resume))
        else:
            self._do(self.seq.offer(playlist, now=now, excluded=failed))

    def _probe(self, path: Path) -> Any:
        """libvlc probe, remembered per file version: a new playlist version re-probes only new files."""
        stat = path.stat() if path.is_file() else None
        key = (str(path), stat.st_size, stat.st_mtime_ns) if stat else None
        if key is not None and key in self._probes:
            return self._probes[key]
        result = self.player.probe(path)
        if key is not None and result.problem is None:
            self._probes[key] = result
        return result

    # ---- actions

    def _do(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Play):
                self._play(action)
            elif isinstance(action, Prepare):
                self._upcoming = action.item  # opened when the item on screen has settled
            elif isinstance(action, Pause | Resume | Stop):
                self._control(action)
            elif isinstance(action, Done | Failed):
                self._record(action)
            elif isinstance(action, Switched):
                log.info("playlist %s: version %s -> %d", action.playlist_id, action.old_version, action.new_version)

    def _play(self, action: Play) -> None:
        item = action.item
        total = len(self.seq.playlist.items) if self.seq.playlist else 0
        log.info(
            "play %d/%d key=%s start=%.2f %s %r",
            action.index + 1,
            total,
            item.key,
            action.start,
            item.kind,
            item.display_title(),
        )
        self._token = action.token
        try:
            self.player.play(
                self._path(item),
                token=action.token,
                start=action.start,
                card_seconds=_card_seconds(item),
            )
        except OSError as exc:  # e.g. the card image could not be written
            self._do(self.seq.on_error(action.token, now=time.monotonic(), message=str(exc)))

    def _prepare_upcoming(self) -> None:
        item, self._upcoming = self._upcoming, None
        if item is None:
            return
        try:
            self.player.prepare(self._path(item), card_seconds=_card_seconds(item))
        except OSError as exc:
            log.warning("could not prepare %s: %s", item.key, exc)

    def _path(self, item: Item) -> Path:
        if item.kind == "card":
            return render_card(item.card_text or item.display_title(), self.cards_dir)
        assert item.media is not None and self._delivery is not None
        return self._delivery.path_of(item.media)

    def _control(self, action: Pause | Resume | Stop) -> None:
        if isinstance(action, Pause):
            self.player.pause()
        elif isinstance(action, Resume):
            self.player.resume()
        else:
            self.player.stop()
        log.info("%s", type(action).__name__.lower())

    def _record(self, action: Done | Failed) -> None:
        self.history.append(action)
        if isinstance(action, Failed):
            self.last_error = f"{action.key}: {action.problem}"
            log.error("item %d key=%s failed, skipped: %s", action.index + 1, action.key, action.problem)
        else:
            log.info("done %d key=%s %s after %.1f s", action.index + 1, action.key, action.how, action.played)

    # ---- state

    def _save(self, now: float, *, force: bool = False) -> None:
        self._publish(now)
        if self._keeper is None or (not force and now - self._saved_at < self.options.save_every):
            return
        self._saved_at = now
        place = self.seq.place(now=now)
        if place is not None:
            self._keeper.keep(place)
        elif self.seq.status == "finished":
            self._keeper.keep(None)

    def _publish(self, now: float) -> None:
        snapshot = self.seq.snapshot(now=now)
        if self._preflighting:
            snapshot["state"] = "preflight"
        snapshot["last_error"] = self.last_error
        item = self.seq.playlist.items[self.seq.index] if snapshot.get("item_key") and self.seq.playlist else None
        # a card, a hold and a pause keep the picture still on purpose: no frozen picture then
        still = self.seq.status in ("holding", "waiting", "paused")
        snapshot["still"] = still or (item is not None and item.kind == "card")
        expected = item.expected_seconds if item is not None else None
        snapshot["remaining"] = None if expected is None else max(0.0, expected - snapshot["position"])
        if self.watch is not None:
            changed = self.watch.look().changed_at
            if changed is not None and self._shown_at is not None:
                # a cut changes the picture, even before the watch's next look has seen it
                changed = max(changed, self._shown_at)
            if changed is not None:
                since = max(0.0, now - changed)
                snapshot["frame_at"] = round(time.time() - since, 3)
                # the sequencer's position runs with the film's clock: the position when the picture last changed
                playing = snapshot["state"] == "playing"
                snapshot["frame_position"] = round(
                    max(0.0, snapshot["position"] - since) if playing else snapshot["position"], 3
                )
        with self._lock:
            self._snapshot = snapshot

    def snapshot(self) -> dict[str, Any]:
        """The latest state for the heartbeat (safe from any thread)."""
        with self._lock:
            snapshot = dict(self._snapshot)
        snapshot.pop("remaining", None)
        return snapshot

    def thumbnail(self) -> tuple[float, bytes] | None:
        """The latest small JPEG of the output and when it was read (monotonic), or None (safe from any thread)."""
        look = self.watch.look() if self.watch is not None else None
        if look is None or look.thumbnail is None or look.thumbnail_at is None:
            return None
        return look.thumbnail_at, look.thumbnail


def _card_seconds(item: Item) -> float | None:
    """What the player is told of a card (None: a film). A card shown until the next command has no end."""
    if item.kind != "card":
        return None
    return item.card_seconds if item.card_seconds is not None else math.inf


# ---- command line


def main(argv: list[str] | None = None) -> int:
    """Entry point of showcase-kiosk."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        screen = None if args.headless else Screen(args.screen)
    except ScreenError as exc:
        log.error("%s", exc)
        return 2
    player = Player(headless=args.headless, extra_args=tuple(args.vlc_option), screen=screen)
    options = KioskOptions(loop=args.loop, exit_when_done=args.exit_when_done)
    kiosk = Kiosk(player, state_dir=args.cache_dir, options=options)
    try:
        if not args.headless:
            start_key_reader(kiosk.inbox, stop)
        if args.playlist:
            kiosk.inbox.put(local_delivery(args.playlist))
        else:
            start_link(kiosk, args, stop)
        kiosk.run(stop)
    except (ManifestError, OSError) as exc:
        log.error("cannot read the playlist: %s", exc)
        return 2
    finally:
        stop.set()
        if kiosk.link:
            kiosk.link.join()
        player.close()
        if screen:
            screen.close()
    log.info("stopped")
    return 0


def start_link(kiosk: Kiosk, args: argparse.Namespace, stop: threading.Event) -> ServerLink:
    """Connect the kiosk to its server through the background link threads."""
    timing = LinkTiming(
        sync_every=args.sync_every, heartbeat_every=args.heartbeat_every, commands_every=args.commands_every
    )
    link = ServerLink(
        ServerSource(args.server, args.token),
        Cache(args.cache_dir),
        inbox=kiosk.inbox,
        snapshot=kiosk.snapshot,
        thumbnail=kiosk.thumbnail,
        timing=timing,
    )
    kiosk.link = link
    link.start(stop)
    return link


if __name__ == "__main__":
    sys.exit(main())
