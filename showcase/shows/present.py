"""A show as plain JSON-ready data: the API's answer, the caller's and the presenter's pages, the streams."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from showcase.auth.models import User
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.i18n import message_data
from showcase.schedule.models import RunningOrderItem
from showcase.shows import clock
from showcase.shows.models import CueRun, Show
from showcase.shows.services import as_run, cues_of, live_of, sync


def _iso(at: datetime | None, festival: Festival) -> str | None:
    """ISO 8601 with the festival's offset (what a show controller or a person reads)."""
    return at.astimezone(festival.zone).isoformat(timespec="seconds") if at is not None else None


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def show_state(show: Show, *, now: datetime) -> dict[str, Any]:
    """Everything a caller, a presenter or a show controller needs, as of `now` (the show brought up to date)."""
    items = sync(show, now=now)
    festival = db.session.get(Festival, show.session.festival_id)
    cues = cues_of(items)
    position = live_of(show, items)
    figures = clock.figures(cues, position, start=show.session.starts_at, now=now)
    runs = _latest_runs(show)
    listed = [_cue(item, n, figures.planned_starts[n], runs.get(item.id), festival) for n, item in enumerate(items)]
    index = position.index
    current = listed[index] if index is not None and show.state in ("running", "paused") else None
    following = 0 if show.state == "standby" else (index + 1 if index is not None else None)
    upcoming = (
        listed[following] if following is not None and following < len(listed) and show.state != "ended" else None
    )
    holder = show_holder(show)
    return {
        "session_id": show.session_id,
        "title": show.session.title,
        "title_en": show.session.title_en,
        "state": show.state,
        "rehearsal": show.rehearsal,
        "version": show.version,
        "cue": current,
        "next": upcoming,
        "cues": listed,
        "elapsed_seconds": _seconds(figures.elapsed) if current else None,
        "remaining_seconds": _seconds(figures.remaining) if current else None,
        "cue_over_under_seconds": _seconds(figures.cue_over_under) if current else None,
        "cue_ended": bool(current and show.cue_ended_at is not None),
        "level": figures.level if current else "none",
        "over_under_seconds": _seconds(figures.over_under),
        "projected_end": _iso(figures.projected_end, festival),
        "planned_end": _iso(_planned_end(items, figures), festival),
        "next_hard_start": _hard(figures.next_hard_start, items, festival),
        "warnings": list(figures.warnings),  # English (a show controller's); pages word warning_messages
        "warning_messages": [message_data(w) for w in figures.warnings],
        "message": show.message,
        "holder": holder,
        "started_at": _iso(show.started_at, festival),
        "ended_at": _iso(show.ended_at, festival),
        "now": _iso(now, festival),
        "next_change_at": _iso(figures.next_change_at, festival),
    }


def show_holder(show: Show) -> dict[str, Any] | None:
    """Who holds the GO (id and name), or None."""
    if show.holder_id is None:
        return None
    user = db.session.get(User, show.holder_id)
    return {"id": show.holder_id, "name": user.name if user else "?"}


def _latest_runs(show: Show) -> dict[int, CueRun]:
    """Each cue's latest run in the show's current run (a cue gone back to runs twice: the later counts)."""
    if show.run == 0:
        return {}
    runs = {}
    for entry in as_run(show, run=show.run):
        if entry.item_id is not None:
            runs[entry.item_id] = entry
    return runs


def _cue(item: RunningOrderItem, n: int, planned: datetime, run: CueRun | None, festival: Festival) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": n + 1,
        "kind": item.kind,
        "title": item.title,
        "title_en": item.title_en,
        "mode": item.cue_mode,
        "planned_start": _iso(planned, festival),
        "planned_seconds": item.planned_seconds,
        "hard_start": _iso(item.hard_start_at, festival),
        "actual_start": _iso(run.started_at if run else None, festival),
        "actual_end": _iso(run.ended_at if run else None, festival),
        "film_id": item.film_id,
        "award_id": item.award_id,
    }


def _planned_end(items: Sequence[RunningOrderItem], figures: clock.Figures) -> datetime | None:
    if not items:
        return None
    return figures.planned_starts[-1] + timedelta(seconds=items[-1].planned_seconds)


def _hard(hard: clock.HardStart | None, items: Sequence[RunningOrderItem], festival: Festival) -> dict | None:
    if hard is None:
        return None
    return {
        "cue_id": items[hard.index].id,
        "position": hard.index + 1,
        "at": _iso(hard.at, festival),
        "in_seconds": _seconds(hard.in_seconds),
        "projected_start": _iso(hard.projected, festival),
        "late_seconds": _seconds(hard.late_seconds),
    }
