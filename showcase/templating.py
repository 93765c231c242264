"""Jinja filters shared by every template."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def local(value: datetime | None, festival, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An aware datetime shown on the festival's wall clock."""
    if value is None:
        return ""
    return value.astimezone(festival.zone).strftime(fmt)


def duration(seconds: int | float | None) -> str:
    """Seconds as M:SS or H:MM:SS."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["local"] = local
    app.jinja_env.filters["duration"] = duration
