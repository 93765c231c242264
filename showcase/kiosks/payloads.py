"""Validation of the JSON bodies kiosks send (pure: plain data in, clean data out or ValidationFailed)."""

from __future__ import annotations

import math
from typing import Any

from showcase.errors import ValidationFailed

STATES = ("playing", "paused", "stopped", "idle", "preflight", "error")
COMMANDS = ("play", "pause", "next", "previous", "jump", "reload", "stop")
MAX_TEXT = 500
MAX_ITEMS = 2000
MAX_INT = 2**31 - 1  # versions and indexes are compared in SQL: a 30-digit number must not reach the database
MAX_BYTES = 2**63 - 1


class _Fields:
    """Reads fields of one JSON object and collects what is wrong with them."""

    def __init__(self, data: Any, where: str = "") -> None:
        self.errors: dict[str, str] = {}
        self.where = where
        if not isinstance(data, dict):
            self.errors[where or "body"] = "expected a JSON object"
            data = {}
        self.data = data

    def _fail(self, name: str, message: str) -> None:
        self.errors.setdefault(f"{self.where}{name}", message)

    def text(self, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self._fail(name, "missing")
            return None
        if not isinstance(value, str):
            self._fail(name, "expected a string")
            return None
        return value[:limit]

    def integer(self, name: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self._fail(name, f"expected an integer from {minimum} to {maximum}")
            return None
        return value

    def number(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None:
            return None
        try:  # an integer of 400 digits is valid JSON, and too large for a float
            number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        except OverflowError:
            number = None
        if number is None or not math.isfinite(number) or number < 0:
            self._fail(name, "expected a number >= 0")
            return None
        return number

    def flag(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            self._fail(name, "expected true or false")
            return None
        return value

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def heartbeat(data: Any) -> dict[str, Any]:
    """The heartbeat fields we keep; ValidationFailed names every bad one."""
    fields = _Fields(data)
    state = fields.text("state", required=True)
    if state is not None and state not in STATES:
        fields.errors["state"] = f"expected one of {', '.join(STATES)}"
    playlist_id = fields.data.get("playlist_id")
    if playlist_id is not None and (isinstance(playlist_id, bool) or not isinstance(playlist_id, str | int)):
        fields.errors["playlist_id"] = "expected a string or an integer"
    clean = {
        "state": state,
        "playlist_id": None if playlist_id is None else str(playlist_id)[:40],
        "playlist_version": fields.integer("playlist_version", minimum=1),
        "item_key": fields.text("item_key", limit=100),
        "item_index": fields.integer("item_index"),
        "position": fields.number("position"),
        "last_error": fields.text("last_error"),
        "cache": _cache(fields),
        # the kiosk's own clock when it sent this, and when the picture on its output last changed (same clock)
        "clock": fields.number("clock"),
        "frame_at": fields.number("frame_at"),
        "frame_position": fields.number("frame_position"),
        "still": fields.flag("still"),
    }
    fields.done()
    return clean


THUMBNAIL_MAX_BYTES = 256 * 1024


def thumbnail(body: bytes, content_type: str | None) -> bytes:
    """A kiosk's JPEG thumbnail as sent; ValidationFailed when it is not a small JPEG."""
    if (content_type or "").split(";")[0].strip().lower() != "image/jpeg":
        raise ValidationFailed({"body": "expected Content-Type: image/jpeg"})
    if not body.startswith(b"\xff\xd8\xff") or len(body) > THUMBNAIL_MAX_BYTES:
        raise ValidationFailed({"body": f"expected a JPEG image of at most {THUMBNAIL_MAX_BYTES // 1024} KB"})
    return body


def own_item(clean: dict[str, Any], *, assigned: int | None, items: dict[str, Any] | None) -> dict[str, Any]:
    """What the reported item is in the kiosk's own playlist; ValidationFailed when it names anything else.

    `items` is the item table of the reported version of the assigned playlist, None when there is none.
    """
    named, version, key = clean["playlist_id"], clean["playlist_version"], clean["item_key"]
    own = "no playlist" if assigned is None else f"playlist {assigned}"
    if named is not None and (assigned is None or named != str(assigned)):
        raise ValidationFailed({"playlist_id": f"this kiosk is assigned {own}, not playlist {named}"})
    if version is not None and items is None:
        raise ValidationFailed({"playlist_version": f"{own} has no published version {version}"})
    if key is None:
        return {}
    if items is None:
        raise ValidationFailed({"item_key": "an item needs the playlist_version it belongs to"})
    about = items.get(key)
    if not isinstance(about, dict):
        raise ValidationFailed({"item_key": f"{key} is not an item of {own}, version {version}"})
    return about


def _cache(fields: _Fields) -> dict[str, int] | None:
    raw = fields.data.get("cache")
    if raw is None:
        return None
    cache = _Fields(raw, "cache.")
    values = {
        name: cache.integer(name, maximum=MAX_BYTES if name == "bytes" else MAX_INT)
        for name in ("items", "ready", "bytes")
    }
    fields.errors.update(cache.errors)
    return {name: value for name, value in values.items() if value is not None}


def preflight(data: Any) -> dict[str, Any]:
    """A preflight report: the playlist version and one line per item."""
    fields = _Fields(data)
    version = fields.integer("playlist_version", minimum=1)
    raw_items = fields.data.get("items")
    if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
        fields.errors["items"] = f"expected a list of at most {MAX_ITEMS} items"
        raw_items = []
    items = []
    for n, raw in enumerate(raw_items):
        item = _Fields(raw, f"items[{n}].")
        ok = item.data.get("ok")
        if not isinstance(ok, bool):
            item.errors[f"items[{n}].ok"] = "expected true or false"
        items.append(
            {
                "key": item.text("key", required=True, limit=100),
                "ok": ok,
                "problem": item.text("problem"),
                "duration": item.number("duration"),
                "warning": item.text("warning"),
            }
        )
        fields.errors.update(item.errors)
    fields.done()
    return {"playlist_version": version, "items": items}


def empty_object(data: Any) -> None:
    """An acknowledgement's body: a JSON object (its content is ignored)."""
    _Fields(data).done()
