"""The kiosk's pure state machine: what to play next, watchdogs, commands, version switches, resume.

No libvlc, no threads and no clock reads: every call gets `now` (monotonic seconds) and returns actions
for the runner to carry out. Player events carry the token of the Play they belong to, so a late event
from an item already left behind is ignored.

A live show drives the kiosk with jumps: an item that `waits` is not gone on to by itself (the picture of
the item before holds until a command), a card with no seconds lasts until the next command, and a jump
may say how far into the item the show is (`start`), so a kiosk that was away starts a film at its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playlists.format import Item, Playlist
from playlists.kiosk.actions import Action, Done, Failed, Pause, Place, Play, Prepare, Resume, Stop, Switched

COMMANDS = ("play", "pause", "next", "previous", "jump", "reload", "stop")
# How far (seconds) a kiosk may be from the place a jump names before it moves: a GO heard a moment after the
# cue started cuts to the prepared first frame, and a late jump to the item already on screen changes nothing.
CATCH_UP = 2.0
# A jump to a film the show has played past starts this far before its end: its last frames, then its hold.
LAST_SECONDS = 1.0


@dataclass(frozen=True)
class Watchdog:
    """Limits after which an item counts as failed and is skipped."""

    start_timeout: float = 5.0  # Play issued, no Playing / first frame yet
    stall_timeout: float = 4.0  # playing, but the playback time has not moved
    early_end_slack: float = 1.0  # ended more than max(slack, 10 %) before the expected duration


@dataclass
class _Current:
    """Timing of the item on screen."""

    token: int
    issued_at: float
    start: float
    playing_at: float | None = None
    last_pos: float = -1.0
    progress_at: float = 0.0
    paused_at: float | None = None
    paused_total: float = 0.0


@dataclass
class Sequencer:
    """Decides what the kiosk plays. Status: idle, starting, playing, paused, holding, waiting, stopped, finished.

    `waiting`: the item at `index` (-1: none yet) is done and its picture stays up, because the next item waits
    for a command.
    """

    watchdog: Watchdog = field(default_factory=Watchdog)
    loop: bool = False
    playlist: Playlist | None = None
    excluded: dict[str, str] = field(default_factory=dict)
    status: str = "idle"
    index: int = 0
    _pending: tuple[Playlist, dict[str, str]] | None = None
    _cur: _Current | None = None
    _hold_until: float = 0.0
    _tokens: int = 0
    _gone: bool = False  # the item on screen is missing from the version just taken
    _left_at: float = 0.0  # where the item on screen was left (what a restart resumes while it holds)
    _pause_on_start: bool = False  # a pause heard while the item was still opening
    _awaited: tuple[str, float | None, float] | None = None  # a jump to an item of a version not here yet

    # ---- playlists

    def load(
        self, playlist: Playlist, *, now: float, excluded: dict[str, str] | None = None, resume: Place | None = None
    ) -> list[Action]:
        """Start a playlist now, at the saved place when it belongs to this playlist."""
        old = self.playlist.version if self.playlist else None
        self.playlist, self.excluded, self._pending = playlist, dict(excluded or {}), None
        actions: list[Action] = [Switched(playlist.id, old, playlist.version)]
        if resume and resume.playlist_id == playlist.id and playlist.index_of(resume.item_key) is not None:
            index = playlist.index_of(resume.item_key) or 0
            start = resume.position if playlist.items[index].kind == "film" else 0.0
            return actions + self._start_at(index, now=now, step=1, start=start)
        self.index, self._cur, self.status = -1, None, "starting"
        return actions + (self._awaited_jump(now) or self._advance(now))

    def offer(self, playlist: Playlist, *, now: float, excluded: dict[str, str] | None = None) -> list[Action]:
        """A new version: taken at the next item boundary (at once when nothing is on screen)."""
        if self.playlist is None or self.status == "idle":
            return self.load(playlist, now=now, excluded=excluded)
        self._pending = (playlist, dict(excluded or {}))
        if self.status in ("stopped", "finished"):
            return self._take_pending()
        if self._awaited is not None and playlist.index_of(self._awaited[0]) is not None:
            return self._awaited_jump(now)
        if self.status == "waiting":  # between items already: the new version decides what comes next
            return self._advance(now)
        upcoming = self._peek_next()
        return [Prepare(upcoming)] if upcoming else []

    def _take_pending(self) -> list[Action]:
        """Swap in the pending version; keep `index` on the same item (or the same slot if it is gone)."""
        if self._pending is None or self.playlist is None:
            return []
        new, excluded = self._pending
        self._pending = None
        key = self._key_at(self.index)
        old = self.playlist
        self.playlist, self.excluded = new, excluded
        if new.id != old.id:  # another playlist altogether: from its top
            self.index, self._gone = -1, False
            return [Switched(new.id, None, new.version)]
        mapped = new.index_of(key) if key is not None else None
        self._gone = mapped is None
        self.index = mapped if mapped is not None else min(self.index, len(new.items))
        return [Switched(new.id, old.version, new.version)]

    # ---- player events

    def on_playing(self, token: int, *, now: float) -> list[Action]:
        """The player reports Playing, or the first frame of the item with this token."""
        cur = self._mine(token)
        if cur and cur.playing_at is None:
            cur.playing_at = cur.progress_at = now
            if self.status == "starting":
                self.status = "playing"
                if self._pause_on_start:
                    self._pause_on_start = False
                    return self._pause(now)
        return []

    def on_time(self, token: int, *, now: float, position: float) -> list[Action]:
        """Playback time reported by the player (seconds into the media)."""
        cur = self._mine(token)
        if cur and position > cur.last_pos + 1e-3:
            cur.last_pos, cur.progress_at = position, now
        return []

    def on_end(self, token: int, *, now: float) -> list[Action]:
        """The player reached the end of the item."""
        cur, item = self._mine(token), self._item()
        if cur is None or item is None or self.status == "paused":
            return []
        played = self._played(now)
        expected = item.expected_seconds
        if item.kind == "film" and expected and played < expected - max(self.watchdog.early_end_slack, 0.1 * expected):
            return self._fail(f"ended at {played:.1f} s of {expected:.1f} s", now=now)
        return self._finish(now=now, how="ended")

    def on_error(self, token: int, *, now: float, message: str = "player error") -> list[Action]:
        """The player could not play the item."""
        if self._mine(token) is None:
            return []
        return self._fail(message, now=now)

    # ---- time

    def tick(self, *, now: float) -> list[Action]:
        """Watchdogs, title-card timers and holds."""
        cur, item = self._cur, self._item()
        if self.status == "holding" and now >= self._hold_until:
            return self._advance(now)
        if cur is None or item is None:
            return []
        if self.status == "starting" and now - cur.issued_at > self.watchdog.start_timeout:
            return self._fail(f"no picture within {self.watchdog.start_timeout:g} s", now=now)
        if self.status != "playing":
            return []
        if item.kind == "card":  # a card with no seconds lasts until the next command
            timed = item.card_seconds is not None and self._played(now) >= item.card_seconds
            return self._finish(now=now, how="shown") if timed else []
        if now - cur.progress_at > self.watchdog.stall_timeout:
            return self._fail(f"playback stalled at {max(cur.last_pos, 0):.1f} s", now=now)
        return []

    # ---- operator and server commands

    def command(
        self, name: str, *, now: float, item_key: str | None = None, start: float | None = None
    ) -> list[Action]:
        """Apply a command: play, pause, next, previous, jump (item_key; `start`: seconds into it the show is),
        reload (runner's job), stop."""
        if name == "jump" and item_key is not None and start is not None and not self._knows(item_key):
            # a show's jump to an item of a version on its way: taken when that version arrives
            self._awaited = (item_key, start, now)
            return []
        if self.playlist is None or name == "reload":
            return []
        self._awaited = None
        if name == "pause":
            return self._pause(now)
        if name == "play":
            return self._play_command(now)
        if name == "stop":
            return self._stop(now)
        if name == "next":
            return self._leave(now, how="next") + self._start_at(self.index + 1, now=now, step=1, boundary=True)
        if name == "previous":
            return self._leave(now, how="previous") + self._start_at(self.index - 1, now=now, step=-1, boundary=True)
        if name == "jump" and item_key is not None:
            return self._jump(item_key, now, start=start)
        return []

    def _knows(self, key: str) -> bool:
        return any(p is not None and p.index_of(key) is not None for p in (self.playlist, self._pending_playlist()))

    def _pending_playlist(self) -> Playlist | None:
        return self._pending[0] if self._pending else None

    def _awaited_jump(self, now: float) -> list[Action]:
        """The show's jump heard before its version arrived, once it has (the show ran on meanwhile)."""
        if self._awaited is None or not self._knows(self._awaited[0]):
            return []
        key, start, heard = self._awaited
        self._awaited = None
        return self._jump(key, now, start=None if start is None else start + (now - heard))

    def _pause(self, now: float) -> list[Action]:
        if self.status == "starting":  # paused as soon as it plays (a show paused just after its jump)
            self._pause_on_start = True
            return []
        if self.status != "playing" or self._cur is None:
            return []
        self.status, self._cur.paused_at = "paused", now
        return [Pause()]

    def _play_command(self, now: float) -> list[Action]:
        self._pause_on_start = False
        cur = self._cur
        if self.status == "paused" and cur is not None and cur.paused_at is not None:
            cur.paused_total += now - cur.paused_at
            cur.progress_at, cur.paused_at, self.status = now, None, "playing"
            return [Resume()]
        if self.status == "finished":
            return self._start_at(0, now=now, step=1, boundary=True)
        if self.status == "stopped":
            return self._start_at(self.index, now=now, step=1, boundary=True)
        return []

    def _stop(self, now: float) -> list[Action]:
        actions = self._leave(now, how="stop")
        self.status, self._cur = "stopped", None
        return actions + [Stop()]

    def _jump(self, key: str, now: float, *, start: float | None = None) -> list[Action]:
        if start is not None and self._there_already(key, start, now):
            return []
        actions = self._leave(now, how="jump") + self._take_pending()
        assert self.playlist is not None
        target = self.playlist.index_of(key)
        if target is None:
            return actions + [Failed(self.index, key, "jump: no such item")] + self._resume_or_next(now)
        return actions + self._start_at(target, now=now, step=1, start=self._catch_up(target, start))

    def _there_already(self, key: str, start: float, now: float) -> bool:
        """The show's jump names the item on screen, at about its place (or past its end while it holds)."""
        if self._pending is not None or self.playlist is None or self.playlist.index_of(key) != self.index:
            return False
        item = self.playlist.items[self.index]
        if self.status in ("holding", "waiting"):
            return self._cur is None and (item.expected_seconds or 0) - start < CATCH_UP
        if self.status not in ("starting", "playing", "paused"):
            return False
        return item.kind == "card" or abs(self._position(now) - start) < CATCH_UP

    def _catch_up(self, index: int, start: float | None) -> float:
        """Where a jump starts the item: its top, unless the show is well into a film (a kiosk that was away)."""
        item = self.playlist.items[index] if self.playlist else None
        if start is None or start < CATCH_UP or item is None or item.kind != "film":
            return 0.0
        length = item.expected_seconds
        return min(start, max(0.0, length - LAST_SECONDS)) if length else start

    def _resume_or_next(self, now: float) -> list[Action]:
        # the item on screen was left by _leave; with no valid target, play the current slot again
        return self._start_at(self.index, now=now, step=1)

    # ---- queries

    def place(self, *, now: float) -> Place | None:
        """The place to save: playlist version, item key, seconds into the item."""
        key = self._key_at(self.index)
        if self.playlist is None or key is None or self.status in ("idle", "finished"):
            return None
        position = self._position(now) if self._cur else 0.0
        if self._cur is None and self.status in ("holding", "waiting"):  # its picture holds: resume near its end
            position = max(0.0, self._left_at - LAST_SECONDS)
        return Place(self.playlist.id, self.playlist.version, key, round(position, 3))

    def snapshot(self, *, now: float) -> dict:
        """Plain data for the heartbeat."""
        state = {"starting": "playing", "holding": "playing", "waiting": "playing", "finished": "stopped"}.get(
            self.status, self.status
        )
        if self._key_at(self.index) is None and self.status == "waiting":
            state = "idle"  # waiting for the first command: nothing on screen yet
        playlist = self.playlist
        return {
            "state": state,
            "playlist_id": playlist.id if playlist else None,
            "playlist_version": playlist.version if playlist else None,
            "item_key": self._key_at(self.index),
            "item_index": self.index if self._key_at(self.index) is not None else None,
            "position": round(self._position(now), 3) if self._cur else 0.0,
        }

    # ---- internals

    def _mine(self, token: int) -> _Current | None:
        cur = self._cur
        return cur if cur is not None and cur.token == token else None

    def _item(self) -> Item | None:
        key = self._key_at(self.index)
        return self.playlist.items[self.index] if key is not None and self.playlist else None

    def _key_at(self, index: int) -> str | None:
        if self.playlist is None or not 0 <= index < len(self.playlist.items):
            return None
        return self.playlist.items[index].key

    def _elapsed(self, now: float) -> float:
        cur = self._cur
        if cur is None or cur.playing_at is None:
            return 0.0
        paused_now = now - cur.paused_at if cur.paused_at is not None else 0.0
        return max(0.0, now - cur.playing_at - cur.paused_total - paused_now)

    def _played(self, now: float) -> float:
        cur = self._cur
        return max(cur.last_pos, cur.start + self._elapsed(now)) if cur else 0.0

    def _position(self, now: float) -> float:
        cur = self._cur
        if cur is None:
            return 0.0
        return max(cur.last_pos, cur.start) if cur.last_pos >= 0 else cur.start + self._elapsed(now)

    def _finish(self, *, now: float, how: str) -> list[Action]:
        item = self._item()
        assert item is not None
        actions: list[Action] = self._leave(now, how=how)
        if item.hold > 0:
            self.status, self._hold_until = "holding", now + item.hold
            return actions
        return actions + self._advance(now)

    def _fail(self, problem: str, *, now: float) -> list[Action]:
        key = self._key_at(self.index) or "?"
        self._cur = None
        return [Failed(self.index, key, problem)] + self._advance(now)

    def _advance(self, now: float) -> list[Action]:
        """The item at `index` is done: start the next one, unless it waits for a command (then hold, ready)."""
        actions: list[Action] = []
        index = self._boundary_index(self.index + 1, 1, actions) if self._pending is not None else self.index + 1
        assert self.playlist is not None
        index = self._skip_excluded(max(index, 0), actions)
        if index < len(self.playlist.items) and self.playlist.items[index].waits:
            self.status, self._cur, self.index = "waiting", None, index - 1
            return actions + [Prepare(self.playlist.items[index])]
        return actions + self._start_at(index, now=now, step=1)

    def _leave(self, now: float, *, how: str) -> list[Action]:
        key = self._key_at(self.index)
        if self._cur is None or key is None:
            return []
        played = self._played(now)
        self._cur, self._left_at = None, played
        return [Done(self.index, key, round(played, 3), how)]

    def _start_at(
        self, index: int, *, now: float, step: int, start: float = 0.0, boundary: bool = False
    ) -> list[Action]:
        """Play the first playable item from `index` in direction `step`, reporting excluded ones."""
        actions: list[Action] = []
        if boundary and self._pending is not None:
            index = self._boundary_index(index, step, actions)
        assert self.playlist is not None
        items = self.playlist.items
        index = max(index, 0)
        if step < 0:
            # going back: the nearest playable item at or before index, else carry on forwards from it
            earlier = [i for i in range(min(index, len(items) - 1), -1, -1) if items[i].key not in self.excluded]
            if earlier:
                return actions + self._play(earlier[0], now=now, start=start)
        skipped = self._skip_excluded(index, actions)
        index, start = skipped, start if skipped == index else 0.0
        if index >= len(items):
            return actions + self._at_end(now)
        return actions + self._play(index, now=now, start=start)

    def _skip_excluded(self, index: int, actions: list[Action]) -> int:
        """The first playable index from `index` on, reporting the excluded items passed over."""
        assert self.playlist is not None
        items = self.playlist.items
        while index < len(items) and items[index].key in self.excluded:
            actions.append(Failed(index, items[index].key, self.excluded[items[index].key]))
            index += 1
        return index

    def _boundary_index(self, index: int, step: int, actions: list[Action]) -> int:
        """Re-aim `index` (old playlist) into the pending version taken at this boundary."""
        offset = index - self.index
        actions.extend(self._take_pending())
        if self._gone and step > 0:
            # the item we left is not in the new version: the item now in its slot comes next
            offset = 0
        return self.index + offset

    def _at_end(self, now: float) -> list[Action]:
        assert self.playlist is not None
        playable = [i for i, item in enumerate(self.playlist.items) if item.key not in self.excluded]
        if self.loop and playable:
            return self._play(playable[0], now=now, start=0.0)
        self.status, self._cur = "finished", None
        self.index = len(self.playlist.items)
        return [Stop()]

    def _play(self, index: int, *, now: float, start: float) -> list[Action]:
        assert self.playlist is not None
        self._tokens += 1
        self.index, self.status, self._pause_on_start = index, "starting", False
        self._cur = _Current(token=self._tokens, issued_at=now, start=max(0.0, start))
        actions: list[Action] = [Play(index, self.playlist.items[index], self._cur.start, self._tokens)]
        upcoming = self._peek_next()
        return actions + ([Prepare(upcoming)] if upcoming else [])

    def _peek_next(self) -> Item | None:
        """The item that will follow the current one (in the pending version if there is one)."""
        playlist, excluded, start = self.playlist, self.excluded, self.index + 1
        if self._pending is not None:
            playlist, excluded = self._pending
            key = self._key_at(self.index)
            mapped = playlist.index_of(key) if key else None
            start = mapped + 1 if mapped is not None else self.index
        if playlist is None:
            return None
        return next((it for it in playlist.items[start:] if it.key not in excluded), None)
