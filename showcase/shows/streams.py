"""A show's event stream (Server-Sent Events): its state at once, then again at every change.

The stream sleeps on the live bus (`showcase.live`): a GO anywhere, in any worker, wakes it; so does the
moment the clock changes the show by itself (a film's end, a following cue's start), and a comment line
keeps the connection alive every HEARTBEAT seconds. Each look reads the database in an app context of
its own, so it sees what was committed and nothing of the request outlives the request. After
SHOW_EVENTS_MS the stream ends and the browser (EventSource) reconnects.
"""

from __future__ import annotations

import json
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

    def looked() -> dict[str, Any]:
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
