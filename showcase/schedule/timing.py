"""Timing of a running order: pure arithmetic on plain records, no Flask, no database.

Elapsed time is exact: every clock time is computed in UTC from the session start and only then
converted to the festival's zone, so a daylight-saving change inside a session moves the wall clock
but never the elapsed seconds. (Python adds timedeltas to aware datetimes in *wall-clock* time when
they share a tzinfo, which is why nothing here adds time to a local datetime.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple, TypeVar

from showcase import durations

T = TypeVar("T")


class TimingError(ValueError):
    """A running order that cannot be timed: naive datetimes, a negative duration, end before start."""


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One running-order item as the timing needs it."""

    key: str | int
    kind: str
    planned_seconds: int


@dataclass(frozen=True, slots=True)
class TimedItem:
    """An item placed on the clock; `day` counts days after the session's first local day."""

    key: str | int
    kind: str
    planned_seconds: int
    cue: int
    offset_seconds: int
    start: datetime
    end: datetime
    day: int
    end_day: int
    start_clock: str
    end_clock: str
    start_label: str
    end_label: str
    offset_label: str


@dataclass(frozen=True, slots=True)
class RunningOrderTiming:
    """A timed running order and how it fits its session slot."""

    items: tuple[TimedItem, ...]
    total_seconds: int
    slot_seconds: int
    overrun_seconds: int
    overrun_minutes: int
    remaining_seconds: int

    @property
    def overruns(self) -> bool:
        """True when the planned items do not fit the slot."""
        return self.overrun_seconds > 0


def overrun_minutes(slot_seconds: int, planned_seconds: int) -> int:
    """Whole minutes (rounded up) by which planned time exceeds the slot; 0 when it fits."""
    over = planned_seconds - slot_seconds
    # Rounded up: one second over is already a minute the stage manager must find.
    return -(-over // 60) if over > 0 else 0


def format_offset(seconds: int) -> str:
    """'+M:SS' under an hour, '+H:MM:SS' from an hour on."""
    return "+" + durations.write(seconds)


def format_clock(moment: datetime) -> str:
    """'HH:MM' on the moment's own wall clock."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def time_running_order(
    items: Sequence[PlannedItem], *, start: datetime, end: datetime, tz: tzinfo
) -> RunningOrderTiming:
    """Place each item on the clock from the session start and measure the total against the slot."""
    start_utc, end_utc = _to_utc(start, "session start"), _to_utc(end, "session end")
    slot = int((end_utc - start_utc).total_seconds())
    if slot < 0:
        raise TimingError("The session ends before it starts.")
    offsets = _offsets(items)
    marks = _clock_marks(offsets, start_utc=start_utc, tz=tz)
    timed = tuple(
        _timed(
            item, cue=index + 1, offset=offsets[index], begin=marks[offsets[index]], finish=marks[offsets[index + 1]]
        )
        for index, item in enumerate(items)
    )
    total = offsets[-1]
    return RunningOrderTiming(
        items=timed,
        total_seconds=total,
        slot_seconds=slot,
        overrun_seconds=max(0, total - slot),
        overrun_minutes=overrun_minutes(slot, total),
        remaining_seconds=max(0, slot - total),
    )


def _to_utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TimingError(f"The {what} has no time zone.")
    return moment.astimezone(UTC)


def _offsets(items: Sequence[PlannedItem]) -> list[int]:
    """Cumulative offsets: item i runs from offsets[i] to offsets[i + 1]."""
    offsets = [0]
    for cue, item in enumerate(items, start=1):
        if item.planned_seconds < 0:
            raise TimingError(f"Item {cue} has a negative duration ({item.planned_seconds} s).")
        offsets.append(offsets[-1] + item.planned_seconds)
    return offsets


def _clock_marks(offsets: list[int], *, start_utc: datetime, tz: tzinfo) -> dict[int, _Mark]:
    """One local clock reading per distinct offset: an item's end is the next one's start, so each
    boundary is converted to the festival zone once."""
    first_day = start_utc.astimezone(tz).date()
    marks: dict[int, _Mark] = {}
    for offset in offsets:
        if offset not in marks:
            local = (start_utc + timedelta(seconds=offset)).astimezone(tz)
            day = (local.date() - first_day).days
            clock = format_clock(local)
            marks[offset] = _Mark(local, day, clock, f"{clock} +{day}" if day else clock)
    return marks


class _Mark(NamedTuple):
    moment: datetime
    day: int
    clock: str
    label: str


def _timed(item: PlannedItem, *, cue: int, offset: int, begin: _Mark, finish: _Mark) -> TimedItem:
    return TimedItem(
        key=item.key,
        kind=item.kind,
        planned_seconds=item.planned_seconds,
        cue=cue,
        offset_seconds=offset,
        start=begin.moment,
        end=finish.moment,
        day=begin.day,
        end_day=finish.day,
        start_clock=begin.clock,
        end_clock=finish.clock,
        start_label=begin.label,
        end_label=finish.label,
        offset_label=format_offset(offset),
    )


def move_item(items: Sequence[T], source: int, *, target: int) -> list[T]:
    """A new list with the item at `source` moved to index `target`; the input is left untouched."""
    count = len(items)
    for name, index in (("source", source), ("target", target)):
        if not 0 <= index < count:
            raise IndexError(f"{name} position {index} is outside the running order (0..{count - 1}).")
    moved = list(items)
    moved.insert(target, moved.pop(source))
    return moved


def move_up(items: Sequence[T], index: int) -> list[T]:
    """A new list with the item at `index` one place earlier; the first item stays first."""
    return move_item(items, index, target=max(index - 1, 0))


def move_down(items: Sequence[T], index: int) -> list[T]:
    """A new list with the item at `index` one place later; the last item stays last."""
    return move_item(items, index, target=min(index + 1, len(items) - 1))
