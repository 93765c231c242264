"""The control room's picture of each kiosk: live state, now playing, warnings, last preflight."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from showcase.db import utcnow
from showcase.i18n import N_, Message, message_data
from showcase.kiosks.models import Kiosk
from showcase.kiosks.publishing import latest_version
from showcase.kiosks.services import recent_commands

# A kiosk sends a heartbeat every second: a few silent seconds mean it is off, crashed or cut off.
NO_SIGNAL_AFTER = timedelta(seconds=4)
# A film whose picture has not changed for this long while the kiosk says it plays is frozen.
FROZEN_AFTER = 3.0
CLOCK_OFF_AFTER = 5.0


def kiosk_status(kiosk: Kiosk, *, now: datetime | None = None) -> dict[str, Any]:
    """Plain JSON-ready data about one kiosk (the control room's page and its poll use the same)."""
    now = now or utcnow()
    state = kiosk.state if isinstance(kiosk.state, dict) else {}
    latest = latest_version(kiosk.playlist_id)
    age = (now - kiosk.last_heartbeat_at).total_seconds() if kiosk.last_heartbeat_at else None
    frozen_for = _frozen_for(state)
    warnings = _warnings(kiosk, state, age=age, frozen_for=frozen_for, latest=latest.version if latest else None)
    return {
        "id": kiosk.id,
        "name": kiosk.name,
        "screen": _screen(kiosk),
        "playlist": {
            "id": kiosk.playlist_id,
            "title": kiosk.playlist.title if kiosk.playlist else None,
            "latest_version": latest.version if latest else None,
        },
        "state": _shown_state(state, age, frozen_for),
        "reported_state": state.get("state"),
        "playing_version": state.get("playlist_version"),
        "heartbeat_at": kiosk.last_heartbeat_at.isoformat() if kiosk.last_heartbeat_at else None,
        "heartbeat_age": None if age is None else round(age, 1),
        "playing": _now_playing(state),
        "frozen_for": frozen_for,
        "clock_offset": _clock_offset(kiosk, state),
        "thumbnail_at": kiosk.thumbnail_at.isoformat() if kiosk.thumbnail_at else None,
        "cache": state.get("cache"),
        "last_error": state.get("last_error"),
        "warnings": warnings,  # English; the page's script words warning_messages in its reader's language
        "warning_messages": [message_data(w) for w in warnings],
        "preflight": _preflight(kiosk),
        "items": [
            {"key": key, "title": info.get("title_en") or info.get("title") or key}
            for key, info in (latest.items if latest else {}).items()
        ],
        "commands": [
            {"id": c.id, "command": c.command, "args": c.args or {}, "acked": c.acked_at is not None}
            for c in recent_commands(kiosk, limit=3)
        ],
    }


def _screen(kiosk: Kiosk) -> str | None:
    if kiosk.screen is None:
        return None
    return " / ".join(n for n in (kiosk.screen.name, kiosk.screen.name_en) if n)


def _shown_state(state: dict[str, Any], age: float | None, frozen_for: float | None) -> str:
    """What the control room says the screen does: the kiosk's word, unless it is silent or its picture stopped."""
    if age is None:
        return state.get("state") or "unknown"
    if age > NO_SIGNAL_AFTER.total_seconds():
        return "no signal"
    if frozen_for is not None:
        return "frozen"
    return state.get("state") or "unknown"


def _frozen_for(state: dict[str, Any]) -> float | None:
    """Seconds the output's picture has not changed while a film plays (as of the last heartbeat), else None."""
    clock, frame_at = state.get("clock"), state.get("frame_at")
    if state.get("state") != "playing" or state.get("still") or clock is None or frame_at is None:
        return None
    unchanged = float(clock) - float(frame_at)
    return round(unchanged, 1) if unchanged > FROZEN_AFTER else None


def _clock_offset(kiosk: Kiosk, state: dict[str, Any]) -> float | None:
    """How far the kiosk's clock is from the server's (positive: behind), at its last heartbeat."""
    if state.get("clock") is None or kiosk.last_heartbeat_at is None:
        return None
    return round(kiosk.last_heartbeat_at.timestamp() - float(state["clock"]), 1)


def _now_playing(state: dict[str, Any]) -> dict[str, Any] | None:
    """The item as the kiosk last reported it: the position at its last changed picture, never extrapolated."""
    if not state.get("item_key"):
        return None
    at_frame = state.get("frame_position")
    position = float(at_frame if at_frame is not None else state.get("position") or 0.0)
    seconds = state.get("item_seconds")
    if seconds:
        position = min(position, float(seconds))
    return {
        "item_key": state.get("item_key"),
        "title": state.get("item_title") or state.get("item_key"),
        "title_en": state.get("item_title_en") or "",
        "film_code": state.get("film_code"),
        "elapsed": round(position, 1),
        "remaining": round(float(seconds) - position, 1) if seconds else None,
        "seconds": seconds,
    }


# What the control room warns of (the page's script words them in its reader's language, from WARNINGS).
NEVER_REPORTED = N_("Never reported: is the kiosk running with the right token?")
NO_SIGNAL = N_(
    "No signal for %(seconds)s s: the kiosk is off, has crashed or lost the network. "
    "What it last reported is shown as it was, not as it might be now."
)
FROZEN = N_("Picture frozen: unchanged for %(seconds)s s while the kiosk says it plays.")
CLOCK_BEHIND = N_("The kiosk's clock is %(seconds)s s behind the server's.")
CLOCK_AHEAD = N_("The kiosk's clock is %(seconds)s s ahead of the server's.")
OTHER_PLAYLIST = N_("Plays another playlist than the one assigned.")
OLD_VERSION = N_("Plays version %(played)s; version %(latest)s is published.")
LAST_ERROR = N_("Last error: %(error)s")
SKIPPED = N_("Preflight: %(count)s item(s) will be skipped.")
WARNINGS = (
    NEVER_REPORTED,
    NO_SIGNAL,
    FROZEN,
    CLOCK_BEHIND,
    CLOCK_AHEAD,
    OTHER_PLAYLIST,
    OLD_VERSION,
    LAST_ERROR,
    SKIPPED,
)


def _warnings(
    kiosk: Kiosk, state: dict[str, Any], *, age: float | None, frozen_for: float | None, latest: int | None
) -> list[Message]:
    warnings = []
    if age is None:
        warnings.append(NEVER_REPORTED)
    elif age > NO_SIGNAL_AFTER.total_seconds():
        warnings.append(Message(NO_SIGNAL, {"seconds": int(age)}))
    elif frozen_for is not None:
        warnings.append(Message(FROZEN, {"seconds": int(frozen_for)}))
    offset = _clock_offset(kiosk, state)
    if offset is not None and abs(offset) > CLOCK_OFF_AFTER:
        warnings.append(Message(CLOCK_BEHIND if offset > 0 else CLOCK_AHEAD, {"seconds": abs(int(offset))}))
    played = state.get("playlist_version")
    if latest is not None and state.get("playlist_id") is not None:
        if state.get("playlist_id") != str(kiosk.playlist_id):
            warnings.append(OTHER_PLAYLIST)
        elif isinstance(played, int) and played < latest:
            warnings.append(Message(OLD_VERSION, {"played": played, "latest": latest}))
    if state.get("last_error"):
        warnings.append(Message(LAST_ERROR, {"error": str(state["last_error"])}))
    failed = [i for i in (kiosk.preflight or {}).get("items", []) if not i.get("ok")]
    if failed:
        warnings.append(Message(SKIPPED, {"count": len(failed)}))
    return warnings


def _preflight(kiosk: Kiosk) -> dict[str, Any] | None:
    report = kiosk.preflight
    if not isinstance(report, dict):
        return None
    items = report.get("items") or []
    return {
        "at": kiosk.preflight_at.isoformat() if kiosk.preflight_at else None,
        "playlist_version": report.get("playlist_version"),
        "ok": sum(1 for i in items if i.get("ok")),
        "failed": [{"key": i.get("key"), "problem": i.get("problem")} for i in items if not i.get("ok")],
        # playable, but staff should look (e.g. the file's length against the film's listed runtime)
        "warnings": [{"key": i.get("key"), "warning": i["warning"]} for i in items if i.get("ok") and i.get("warning")],
        "total": len(items),
    }
