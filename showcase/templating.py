"""Jinja filters shared by every template."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from showcase import durations, labels


def local(value: datetime | None, festival, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An aware datetime shown on the festival's wall clock."""
    if value is None:
        return ""
    return value.astimezone(festival.zone).strftime(fmt)


def duration(seconds: int | float | None) -> str:
    """Seconds as M:SS or H:MM:SS (showcase.durations.write)."""
    return durations.write(seconds)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["local"] = local
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["label"] = labels.label  # {{ code | label('kind') }}: a stored code in words
    app.jinja_env.globals["labels_of"] = labels.labels_of
