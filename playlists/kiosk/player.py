"""The only module that imports vlc: one Instance, one MediaPlayer, events onto a queue.

libvlc is not reentrant: the event callbacks below only put a PlayerEvent on `events`; the thread that
created the Player makes every libvlc call (play, prepare, probe, pause, stop, position).
"""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass
from pathlib import Path

import vlc

TEST_ARGS = ("--vout=dummy", "--aout=dummy")
# a card's picture is kept up a little longer than its seconds: the sequencer's timer ends it, so the next
# item replaces a picture rather than a black screen
_CARD_MARGIN = 2.0

_EVENTS = {
    "MediaPlayerPlaying": "playing",
    "MediaPlayerVout": "frame",
    "MediaPlayerEndReached": "end",
    "MediaPlayerEncounteredError": "error",
}


@dataclass(frozen=True)
class PlayerEvent:
    """Something libvlc reported: kind is playing, frame, end or error; token names the Play."""

    kind: str
    token: int
    at: float


@dataclass(frozen=True)
class Probe:
    """What libvlc found when it parsed a file."""

    duration: float | None
    has_video: bool
    problem: str | None = None


def instance_args(*, headless: bool, fullscreen: bool, extra: tuple[str, ...] = ()) -> list[str]:
    """Options for the one vlc.Instance."""
    args = ["--no-video-title-show", "--quiet", "--no-osd"]
    if headless:
        args += list(TEST_ARGS)
    if fullscreen:
        args.append("--fullscreen")
    return args + list(extra)


class Player:
    """One libvlc MediaPlayer for the whole run, with the next item prepared ahead."""

    def __init__(self, *, headless: bool = True, fullscreen: bool = False, extra_args: tuple[str, ...] = ()) -> None:
        self.instance = vlc.Instance(instance_args(headless=headless, fullscreen=fullscreen, extra=extra_args))
        self._mp = self.instance.media_player_new()
        if fullscreen:
            self._mp.set_fullscreen(True)
        self.events: queue.Queue[PlayerEvent] = queue.Queue()
        self._token = 0
        self._prepared: tuple[str, vlc.Media] | None = None
        manager = self._mp.event_manager()
        for name, kind in _EVENTS.items():
            manager.event_attach(getattr(vlc.EventType, name), self._on_event, kind)

    def _on_event(self, event: vlc.Event, kind: str) -> None:
        # runs on a libvlc thread: read plain fields only, never call back into libvlc
        if kind == "frame" and event.u.new_count <= 0:
            return
        self.events.put(PlayerEvent(kind, self._token, time.monotonic()))

    def _media(self, path: Path, *, card_seconds: float | None, start: float) -> vlc.Media:
        media = self.instance.media_new_path(str(path))
        if card_seconds is not None:
            media.add_option(f":image-duration={card_seconds + _CARD_MARGIN:.3f}")
        if start > 0:
            media.add_option(f":start-time={start:.3f}")
        return media

    def prepare(self, path: Path, *, card_seconds: float | None = None) -> None:
        """Create and parse the next item's Media now, so switching to it costs no parse."""
        key = f"{path}|{card_seconds}"
        if self._prepared and self._prepared[0] == key:
            return
        self._drop_prepared()
        media = self._media(path, card_seconds=card_seconds, start=0.0)
        media.parse_with_options(vlc.MediaParseFlag.local, 2000)  # asynchronous: returns at once
        self._prepared = (key, media)

    def play(self, path: Path, *, token: int, start: float = 0.0, card_seconds: float | None = None) -> None:
        """Switch the one MediaPlayer to `path` (from `start` seconds); events now carry `token`."""
        key = f"{path}|{card_seconds}"
        if self._prepared and self._prepared[0] == key and start <= 0:
            media = self._prepared[1]
            self._prepared = None
        else:
            media = self._media(path, card_seconds=card_seconds, start=start)
        self._token = token
        self._mp.set_media(media)
        media.release()  # the player holds its own reference
        self._mp.play()

    def pause(self) -> None:
        """Pause (a no-op when nothing plays)."""
        self._mp.set_pause(1)

    def resume(self) -> None:
        """Resume after pause."""
        self._mp.set_pause(0)

    def stop(self) -> None:
        """Stop playback; the screen goes black."""
        self._token = 0
        self._mp.stop()

    def position(self) -> float | None:
        """Seconds into the current media, or None when unknown."""
        ms = self._mp.get_time()
        return ms / 1000.0 if ms is not None and ms >= 0 else None

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

    def _drop_prepared(self) -> None:
        if self._prepared is not None:
            self._prepared[1].release()
            self._prepared = None

    def close(self) -> None:
        """Stop and release everything libvlc holds."""
        self._drop_prepared()
        self._mp.stop()
        self._mp.release()
        self.instance.release()
