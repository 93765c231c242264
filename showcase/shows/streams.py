"""A show's event stream (Server-Sent Events): its state at once, then again at every change.

The stream sleeps on the live bus (`showcase.live`): a GO anywhere, in any worker, wakes it; so does the
moment the clock changes the show by itself (a film's end, a following cue's start), and a comment line
keeps the connection alive every HEARTBEAT seconds. Each look reads the database in an app context of
its own, so it sees what was committed and nothing of the request outlives the request. After
SHOW_EVENTS_MS the stream ends and the browser (EventSource) reconnects.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from flask import Flask, Response

from showcase.db import utcnow
from showcase.errors import StaleEdit
from showcase.unit_of_work import commit

HEARTBEAT = 15.0  # seconds between keep-alive comments when nothing changes
TICK = 1.0  # the longest a stream sleeps without a look: figures that count on are sent again each second


SHARED_FOR = 0.5  # seconds one look serves every stream of its topic woken by the same change


class SharedLooks:
    """One database read per topic and change for all the streams of a process: a GO wakes 200 streams of one
    show, and the first to look reads while the others wait for its answer (keyed by the bus count it saw,
    so a later change is always read afresh, and never older than SHARED_FOR seconds)."""

    def __init__(self) -> None:
        self._locks: dict[tuple, threading.Lock] = {}
        self._made: dict[tuple, tuple[int, float, dict[str, Any]]] = {}
        self._guard = threading.Lock()

    def get(self, key: tuple, count: int, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The state for `key` as of bus count `count`: shared when fresh enough, else made now."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            made = self._made.get(key)
            if made is not None and self._fresh(made, count):
                return made[2]
            state = make()
            self._made[key] = (count, time.monotonic(), state)
            return state

    @staticmethod
    def _fresh(made: tuple[int, float, dict[str, Any]], count: int) -> bool:
        """Made after the change `count` announced, recently, and before the clock moved the show on by itself."""
        seen, at, state = made
        moved_on = _seconds_until(state.get("next_change_at"), utcnow()) == 0
        return seen >= count and time.monotonic() - at < SHARED_FOR and not moved_on


def shared_looks(app: Flask) -> SharedLooks:
    """The app's shared looks (made on first use)."""
    with _MAKING:
        return app.extensions.setdefault("showcase.shows.looks", SharedLooks())


_MAKING = threading.Lock()


def _seconds_until(at: str | None, now: datetime) -> float | None:
    if not at:
        return None
    return max(0.0, (datetime.fromisoformat(at) - now).total_seconds())


def event_stream(
    app: Flask, topic: str, look: Callable[[datetime], dict[str, Any]], *, every_tick: bool, tick: float = TICK
) -> Response:
    """An SSE response: `look(now)` (in its own app context, committed) sent at once and after each change.

    With `every_tick` (a stage timer) the state is sent again at least every `tick` seconds; without (a show
    controller) only when its `version` or `state` changed, with a keep-alive comment every HEARTBEAT s.
    """
    seconds = app.config["SHOW_EVENTS_MS"] / 1000
    bus = app.extensions["showcase.live"]
    shared, key = shared_looks(app), (topic, look.__module__, look.__qualname__)

    def looked() -> dict[str, Any]:
        return shared.get(key, bus.seen(topic), read)

    def read() -> dict[str, Any]:
        with app.app_context():
            try:
                state = look(utcnow())
                commit()  # a look may record what the clock did by itself (a film ended): keep it
            except StaleEdit:  # another look recorded the same change first (commit rolled back): read theirs
                state = look(utcnow())
                commit()
            return state

    def event(state: dict[str, Any]) -> str:
        return f"event: show\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"

    def stream() -> Iterator[str]:
        yield "retry: 1000\n\n"
        ends = time.monotonic() + seconds
        seen = bus.seen(topic)
        state = looked()
        yield event(state)
        quiet_since = time.monotonic()
        while time.monotonic() < ends:
            wait = min(tick if every_tick else HEARTBEAT, ends - time.monotonic())
            change = _seconds_until(state.get("next_change_at"), utcnow())
            if change is not None:
                wait = min(wait, change + 0.05)
            seen = bus.wait(topic, seen, max(0.0, wait))
            if time.monotonic() >= ends:
                break
            new = looked()
            if every_tick or (new.get("version"), new.get("state")) != (state.get("version"), state.get("state")):
                yield event(new)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= HEARTBEAT:
                yield ": keep-alive\n\n"
                quiet_since = time.monotonic()
            state = new

    response = Response(stream(), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
