"""The control room's picture of each kiosk: live state, now playing, warnings, last preflight."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from showcase.db import utcnow
from showcase.kiosks.models import Kiosk
from showcase.kiosks.publishing import latest_version
from showcase.kiosks.services import recent_commands

SILENT_AFTER = timedelta(seconds=90)


def kiosk_status(kiosk: Kiosk, *, now: datetime | None = None) -> dict[str, Any]:
    """Plain JSON-ready data about one kiosk (the control room's page and its poll use the same)."""
    now = now or utcnow()
    state = kiosk.state if isinstance(kiosk.state, dict) else {}
    latest = latest_version(kiosk.playlist_id)
    age = (now - kiosk.last_heartbeat_at).total_seconds() if kiosk.last_heartbeat_at else None
    return {
        "id": kiosk.id,
        "name": kiosk.name,
        "screen": _screen(kiosk),
        "playlist": {
            "id": kiosk.playlist_id,
            "title": kiosk.playlist.title if kiosk.playlist else None,
            "latest_version": latest.version if latest else None,
        },
        "state": state.get("state") or "unknown",
        "playing_version": state.get("playlist_version"),
        "heartbeat_at": kiosk.last_heartbeat_at.isoformat() if kiosk.last_heartbeat_at else None,
        "heartbeat_age": None if age is None else round(age, 1),
        "playing": _now_playing(state, age),
        "cache": state.get("cache"),
        "last_error": state.get("last_error"),
        "warnings": _warnings(kiosk, state, age=age, latest_version=latest.version if latest else None),
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


def _now_playing(state: dict[str, Any], age: float | None) -> dict[str, Any] | None:
    if not state.get("item_key"):
        return None
    position = float(state.get("position") or 0.0)
    if state.get("state") == "playing" and age is not None:
        position += max(age, 0.0)  # the kiosk kept playing since it last reported
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


def _warnings(kiosk: Kiosk, state: dict[str, Any], *, age: float | None, latest_version: int | None) -> list[str]:
    warnings = []
    if age is None:
        warnings.append("Never reported: is the kiosk running with the right token?")
    elif age > SILENT_AFTER.total_seconds():
        warnings.append(f"Silent for {int(age)} s (last heartbeat more than 90 s ago).")
    played = state.get("playlist_version")
    if latest_version is not None and state.get("playlist_id") is not None:
        if state.get("playlist_id") != str(kiosk.playlist_id):
            warnings.append("Plays another playlist than the one assigned.")
        elif isinstance(played, int) and played < latest_version:
            warnings.append(f"Plays version {played}; version {latest_version} is published.")
    if state.get("last_error"):
        warnings.append(f"Last error: {state['last_error']}")
    failed = [i for i in (kiosk.preflight or {}).get("items", []) if not i.get("ok")]
    if failed:
        warnings.append(f"Preflight: {len(failed)} item(s) will be skipped.")
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
