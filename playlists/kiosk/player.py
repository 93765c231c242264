"""The only module that imports vlc: one Instance, two MediaPlayers, events onto a queue.

libvlc is not reentrant: the event callbacks below only put a PlayerEvent on `events`; the thread that
created the Player makes every libvlc call (play, prepare, probe, pause, stop, position, accept) and
every call on the Screen.
"""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import vlc

from playlists.kiosk import memory

if TYPE_CHECKING:
    from playlists.kiosk.screen import Screen

log = logging.getLogger("showcase.kiosk")

TEST_ARGS = ("--vout=dummy", "--aout=dummy")
# how much later than its time a picture reaches the screen, allowed for when holding an end (measured on Xvfb
# with the X11 output, bench_cuts.py: 0.03 s lost a last frame in 1-2 cuts of 20, 0.04 s in 0-2, median 40 ms)
_DISPLAY_LAG = 0.04
# longest an end is held back for the film's last frames to have their turn on screen
_HOLD_END_MAX = 0.25
# a prepared item in one of these states could not be opened: it is opened again on screen, and fails there
_UNUSABLE = (vlc.State.Error, vlc.State.Ended, vlc.State.Stopped)

_EVENTS = {
    "MediaPlayerPlaying": "playing",
    "MediaPlayerVout": "frame",
    "MediaPlayerPaused": "paused",
    "MediaPlayerEndReached": "end",
    "MediaPlayerEncounteredError": "error",
}


@dataclass(frozen=True)
class PlayerEvent:
    """Something libvlc reported: kind is playing, frame, paused, end or error; token names the Play."""

    kind: str
    token: int
    at: float
    deck: int = -1  # which player reported it (for the kiosk's own bookkeeping)


@dataclass(frozen=True)
class Probe:
    """What libvlc found when it parsed a file."""

    duration: float | None
    has_video: bool
    problem: str | None = None


def instance_args(*, headless: bool, extra: tuple[str, ...] = ()) -> list[str]:
    """Options for the one vlc.Instance: dummy outputs headless."""
    args = ["--no-video-title-show", "--quiet", "--no-osd", "--no-mouse-events", "--no-keyboard-events"]
    if headless:
        args += list(TEST_ARGS)
    return args + list(extra)


def video_output(screen: Screen | None, extra: tuple[str, ...]) -> tuple[str, ...]:
    """The libvlc video output for a screen, unless the venue chose one (`--vlc-option=--vout=...`).

    libvlc prefers OpenGL, right with a graphics card. Without one, OpenGL is drawn on the CPU: showing a 1080p
    film on a 720p Xvfb screen took 1.65 of two cores that way (libvlc and the X server), against 0.12 with
    the plain X11 output, which scales in software (bicubic) and hands X the finished picture. On two cores
    the OpenGL path left no room for decoding, and films dropped frames."""
    if screen is None or any(arg.startswith("--vout") for arg in extra) or screen.renders_in_hardware():
        return ()
    return ("--vout=xcb_x11", "--avcodec-hw=none")


_VLC_VAR_STRING = 0x0040
_PLAYER_OPTIONS = ("--vout=", "--avcodec-hw=")  # what set_xwindow resets on a player


class _Value(ctypes.Union):
    _fields_ = [("i_int", ctypes.c_int64), ("psz_string", ctypes.c_char_p)]


def _set_player_option(mp: vlc.MediaPlayer, option: str) -> bool:
    """Set a string option (`--name=value`) on one MediaPlayer.

    libvlc 3's set_xwindow resets the player's `vout` and `avcodec-hw` to "any", hiding the Instance's choice;
    libvlc has no call to set them again, so libvlccore's own variable setter does (the player is a libvlc
    object). Without libvlccore, libvlc's choice stands, and the kiosk says so."""
    name, _, value = option.removeprefix("--").partition("=")
    try:
        core = ctypes.CDLL("libvlccore.so.9")
        core.var_SetChecked.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, _Value]
        core.var_SetChecked.restype = ctypes.c_int
        failed = core.var_SetChecked(
            ctypes.cast(mp._as_parameter_, ctypes.c_void_p),
            name.encode(),
            _VLC_VAR_STRING,
            _Value(psz_string=value.encode()),
        )
    except (OSError, AttributeError) as exc:
        log.warning("could not set %s on the player (%s): libvlc chooses", option, exc)
        return False
    if failed:
        log.warning("could not set %s on the player (libvlc error %d): libvlc chooses", option, failed)
    return not failed


class _Deck:
    """One libvlc MediaPlayer and what it holds: the item loaded (`key`) and the Play it shows (`token`)."""

    def __init__(self, instance: vlc.Instance, index: int, window: int | None) -> None:
        self.index = index
        self.mp = instance.media_player_new()
        if window is not None:
            self.mp.set_xwindow(window)
        self.mp.video_set_key_input(False)
        self.mp.video_set_mouse_input(False)
        self.key: str | None = None
        self.token = 0
        self.prepared = False  # loaded paused on its first frame, not yet on screen
        self.awaiting_ready = False  # opened paused; libvlc has not reported that pause yet
        self.paused_by_us = False
        self.shown = False  # its pane is on top since its first picture
        self.clock_start: float | None = None  # when the media's time 0 was on screen (monotonic; pauses added)
        self.paused_at: float | None = None
        self.start = 0.0  # seconds into the media it was opened at
        self.card = False  # a title card: a still picture that plays from when it is opened


class Player:
    """Two libvlc MediaPlayers on one Instance: one on screen, the other holding the next item ready.

    An item is opened paused on its first frame ahead of time (`prepare`); `play` then only unpauses it
    and puts its pane on top, so the cut costs no opening, no parsing and no black. Films play with
    libvlc's play-and-pause: the last frame stays on screen (through a hold, until the next item is on
    top) instead of the picture closing at the end. With a Screen, each player draws into its own pane
    of the kiosk's window; headless, libvlc's dummy outputs stand in.
    """

    def __init__(
        self,
        *,
        headless: bool = True,
        extra_args: tuple[str, ...] = (),
        screen: Screen | None = None,
    ) -> None:
        if screen is not None:
            # libvlc draws into a pane through a connection of its own, opened on $DISPLAY (not x11-display)
            os.environ["DISPLAY"] = screen.display_name
        output = video_output(screen, extra_args)
        memory.tune()  # before libvlc's threads start
        self.instance = vlc.Instance(instance_args(headless=headless, extra=(*output, *extra_args)))
        self.screen = screen
        self._decks = [_Deck(self.instance, n, screen.pane(n) if screen else None) for n in range(2)]
        # set_xwindow has put each player's output back to libvlc's own choice: the kiosk's, or the venue's, again
        chosen = (*output, *(arg for arg in extra_args if arg.startswith(_PLAYER_OPTIONS)))
        for deck in self._decks if screen is not None else ():
            for option in chosen:
                _set_player_option(deck.mp, option)
        self._live = 0  # the deck on screen (read by the libvlc callbacks: a plain field)
        self.events: queue.Queue[PlayerEvent] = queue.Queue()
        self._held: PlayerEvent | None = None  # an end reported before the film's last frame had its turn
        self._held_until = 0.0
        for deck in self._decks:
            manager = deck.mp.event_manager()
            for name, kind in _EVENTS.items():
                manager.event_attach(getattr(vlc.EventType, name), self._on_event, kind, deck)

    def _on_event(self, event: vlc.Event, kind: str, deck: _Deck) -> None:
        # runs on a libvlc thread: read plain fields only, never call back into libvlc
        if kind == "paused" and deck.awaiting_ready:  # the pause it was opened in, not an end
            self.events.put(PlayerEvent("ready", 0, time.monotonic(), deck.index))
            return
        if deck.index != self._live or deck.token == 0:
            return  # the deck preparing underneath, or one no Play owns any more
        if kind == "frame" and event.u.new_count <= 0:
            return
        self.events.put(PlayerEvent(kind, deck.token, time.monotonic()))

    def accept(self, event: PlayerEvent) -> PlayerEvent | None:
        """The event as the kiosk should see it, on the libvlc thread; None when it means nothing.

        A pause nobody asked for is play-and-pause stopping a film on its last frame: that is its end. A
        first picture puts the deck's pane on top (for an item that was not prepared ahead).
        """
        if event.kind == "ready":
            self._ready(self._decks[event.deck])
            return None
        deck = self._decks[self._live]
        if event.token != deck.token:
            return None
        if event.kind == "frame":
            if deck.clock_start is None:
                deck.clock_start = event.at - deck.start
            if self.screen and not deck.shown:
                deck.shown = True
                self.screen.show(deck.index)
        if event.kind == "paused":
            if deck.paused_by_us:
                return None
            event = PlayerEvent("end", event.token, event.at)
        if event.kind == "end":
            return self._hold_end(deck, event)
        return event

    def _hold_end(self, deck: _Deck, event: PlayerEvent) -> PlayerEvent | None:
        """libvlc reports the end when the last pictures are decoded, before the last has had its turn on screen:
        cutting then would hide up to a few frames. Hold the end until the film's own length has run (a few
        frames at most: a file that ends early is reported at once, for the early-end watchdog)."""
        length = deck.mp.get_length() / 1000.0
        if deck.clock_start is None or length <= 0:
            return event
        wait = deck.clock_start + length + _DISPLAY_LAG - time.monotonic()
        if not 0 < wait <= _HOLD_END_MAX:
            return event
        self._held, self._held_until = event, time.monotonic() + wait
        return None

    def opening(self) -> bool:
        """Whether a deck is still opening its item (libvlc has not reported it paused on its first frame)."""
        return any(deck.awaiting_ready for deck in self._decks)

    def next_due(self) -> float | None:
        """Seconds until a held end is due, or None: the caller's wait for events should not be longer."""
        return None if self._held is None else max(0.0, self._held_until - time.monotonic())

    def due(self) -> PlayerEvent | None:
        """A held end whose time has come (then it is no longer held), else None."""
        if self._held is None or time.monotonic() < self._held_until:
            return None
        event, self._held = self._held, None
        return event if event.token == self._decks[self._live].token else None

    def _ready(self, deck: _Deck) -> None:
        """A deck opened paused has paused: show its first frame off screen, or play on if it is live already."""
        deck.awaiting_ready = False
        if deck.prepared:
            if not deck.mp.has_vout():
                deck.mp.set_time(0)  # paused, a seek decodes and shows the first frame, off screen
        elif deck.index == self._live and deck.token and not deck.paused_by_us:
            deck.mp.set_pause(0)  # it went on screen before it had finished opening

    def _media(self, path: Path, *, card_seconds: float | None, start: float, paused: bool) -> vlc.Media:
        media = self.instance.media_new_path(str(path))
        if card_seconds is not None:
            # A card is a still picture: it plays from the moment it is opened, even underneath, so its
            # picture is in its pane before the cut (libvlc opened paused draws an image only once it plays).
            # It lasts until it is replaced; the sequencer's timer ends it.
            media.add_option(":image-duration=-1")
            return media
        media.add_option(":play-and-pause")
        if start > 0:
            media.add_option(f":start-time={start:.3f}")
        if paused:
            media.add_option(":start-paused")
        return media

    def _load(self, deck: _Deck, path: Path, *, key: str, card_seconds: float | None, start: float, token: int):
        """Open an item on a deck: paused on its first frame when token is 0 (prepared), else playing."""
        deck.token = token  # before play(): its first events already belong to the Play
        deck.shown = False
        deck.paused_by_us = False
        deck.card = card_seconds is not None
        deck.awaiting_ready = token == 0 and not deck.card  # a card is not opened paused
        deck.clock_start, deck.paused_at, deck.start = None, None, start
        media = self._media(path, card_seconds=card_seconds, start=start, paused=token == 0)
        deck.mp.set_media(media)
        media.release()  # the player holds its own reference
        deck.mp.play()
        deck.key, deck.prepared = key, token == 0

    def prepare(self, path: Path, *, card_seconds: float | None = None) -> None:
        """Open the next item on the deck off screen, paused on its first frame, so playing it is a cut."""
        key = f"{path}|{card_seconds}"
        deck = self._decks[1 - self._live]
        if deck.key == key and deck.prepared:
            return
        self._load(deck, path, key=key, card_seconds=card_seconds, start=0.0, token=0)

    def play(self, path: Path, *, token: int, start: float = 0.0, card_seconds: float | None = None) -> None:
        """Put `path` on screen (from `start` seconds): the prepared deck when it holds it, else opened now.

        Events now carry `token`; the item before stops where it is, under the new one.
        """
        key = f"{path}|{card_seconds}"
        old, deck = self._decks[self._live], self._decks[1 - self._live]
        if deck.key == key and deck.prepared and start <= 0 and deck.mp.get_state() not in _UNUSABLE:
            deck.prepared = False
            deck.token = token
            self._live = deck.index
            deck.mp.set_pause(0)
            deck.clock_start = time.monotonic()
            if deck.mp.has_vout():  # its first picture is already up: libvlc will not report it again
                deck.shown = True
                if self.screen:
                    self.screen.show(deck.index)
                self.events.put(PlayerEvent("frame", token, time.monotonic()))
        else:
            self._live = deck.index  # its pane goes on top at its first picture (accept)
            self._load(deck, path, key=key, card_seconds=card_seconds, start=start, token=token)
        self._held = None
        old.token = 0
        if old.key is not None:
            old.paused_by_us = True
            old.mp.set_pause(1)  # silent and still under the new picture; reused by the next prepare
        old.prepared = False

    def pause(self) -> None:
        """Pause (a no-op when nothing plays)."""
        deck = self._decks[self._live]
        deck.paused_by_us = True
        deck.paused_at = deck.paused_at or time.monotonic()
        deck.mp.set_pause(1)

    def resume(self) -> None:
        """Resume after pause."""
        deck = self._decks[self._live]
        deck.paused_by_us = False
        if deck.paused_at is not None and deck.clock_start is not None:
            deck.clock_start += time.monotonic() - deck.paused_at
        deck.paused_at = None
        deck.mp.set_pause(0)

    def stop(self) -> None:
        """Stop playback; the screen goes black."""
        self._held = None
        for deck in self._decks:
            deck.token = 0
            deck.key = None
            deck.prepared = False
            deck.mp.stop()

    def position(self) -> float | None:
        """Seconds into the item on screen, or None when unknown."""
        deck = self._decks[self._live]
        if deck.card:  # libvlc's clock of a card ran while it waited underneath: count from the cut
            if deck.clock_start is None:
                return 0.0
            return max(0.0, (deck.paused_at or time.monotonic()) - deck.clock_start)
        ms = deck.mp.get_time()
        return ms / 1000.0 if ms is not None and ms >= 0 else None

    def media_players(self) -> tuple[vlc.MediaPlayer, vlc.MediaPlayer]:
        """Both libvlc players (for measuring tools, before playing; call them on the libvlc thread)."""
        return self._decks[0].mp, self._decks[1].mp

    def probe(self, path: Path, *, timeout: float = 5.0) -> Probe:
        """Parse a file with libvlc: duration and whether it has a video track."""
        if not Path(path).is_file():
            return Probe(None, False, "file missing")
        media = self.instance.media_new_path(str(path))
        try:
            media.parse_with_options(vlc.MediaParseFlag.local, int(timeout * 1000))
            deadline = time.monotonic() + timeout + 0.5
            while media.get_parsed_status() == 0 and time.monotonic() < deadline:
                time.sleep(0.005)
            status = media.get_parsed_status()
            if status != vlc.MediaParsedStatus.done:
                return Probe(None, False, f"libvlc could not parse it ({status})")
            duration = media.get_duration() / 1000.0 if media.get_duration() > 0 else None
            tracks = list(media.tracks_get() or [])
            has_video = any(track.type == vlc.TrackType.video for track in tracks)
            return Probe(duration, has_video)
        finally:
            media.release()

    def close(self) -> None:
        """Stop and release everything libvlc holds."""
        for deck in self._decks:
            deck.mp.stop()
            deck.mp.release()
        self.instance.release()
