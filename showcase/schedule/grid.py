"""The schedule grid for one day: each session a block as tall as it lasts, in its screen's column,
side by side with the sessions it overlaps.

Pure: plain entries in, a plain layout out, measured in minutes from the grid's first hour — the
festival's wall-clock hour at or before the day's earliest start — to the hour at or after its latest
end (past midnight when a session runs past it). The page draws the layout with CSS (`layout_css`).

Overlaps are placed as an interval graph is coloured: sessions sorted by start join the first lane
that is free by then, so a cluster of overlapping sessions needs as many lanes as most of them that
run at once, and every block of a cluster takes that share of its column's width.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

# A session shorter than this is drawn this tall (one line of text), and keeps its lane that long.
MIN_MINUTES = 10
HOUR = 60


@dataclass(frozen=True, slots=True)
class GridEntry:
    """A session to place: its id, its column (a screen id, or None) and its times (aware)."""

    id: Hashable
    column: Hashable | None
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Block:
    """Where a session is drawn: its column's index, top and height in minutes, and its lane of `lanes`."""

    id: Hashable
    column: int
    top: float
    height: float
    lane: int = 0
    lanes: int = 1


@dataclass(frozen=True, slots=True)
class HourMark:
    """An hour line: its wall-clock label ("00:00 +1" the day after) and its distance from the top."""

    label: str
    top: float


@dataclass(frozen=True, slots=True)
class DayLayout:
    """A day's grid: its first hour (UTC), its height in minutes, the hours, the blocks, the most lanes
    of each column, and where `now` falls (None when outside the grid)."""

    start: datetime
    minutes: float
    hours: tuple[HourMark, ...]
    blocks: tuple[Block, ...]
    lanes: tuple[int, ...]
    now: float | None = None


def entries_on(entries: Sequence[GridEntry], day: date, *, tz: tzinfo) -> list[GridEntry]:
    """The entries that start on `day` on the festival's wall clock (one that runs past midnight stays on
    the day it starts: the grid goes on past 24:00 for it)."""
    return [e for e in entries if e.start.astimezone(tz).date() == day]


def first_hour(moment: datetime, tz: tzinfo) -> datetime:
    """The wall-clock hour at or before `moment`, as an aware UTC instant."""
    local = moment.astimezone(tz)
    return (local - timedelta(minutes=local.minute, seconds=local.second, microseconds=local.microsecond)).astimezone(
        UTC
    )


def layout_day(
    entries: Sequence[GridEntry], columns: Sequence[Hashable | None], *, tz: tzinfo, now: datetime | None = None
) -> DayLayout | None:
    """The day's layout for the entries in `columns` (others are left out); None when there are none."""
    placed = [e for e in entries if e.column in columns]
    if not placed:
        return None
    start = first_hour(min(e.start for e in placed), tz)

    def minutes(moment: datetime) -> float:
        return (moment - start).total_seconds() / 60

    spans = {e.id: (minutes(e.start), max(minutes(e.end), minutes(e.start) + MIN_MINUTES)) for e in placed}
    length = HOUR * max(1, -(-max(end for _, end in spans.values()) // HOUR))
    blocks: list[Block] = []
    lanes: list[int] = []
    for index, key in enumerate(columns):
        column = [(spans[e.id][0], spans[e.id][1], e.id) for e in placed if e.column == key]
        placed_blocks = _lanes(column, index)
        blocks += placed_blocks
        lanes.append(max((b.lanes for b in placed_blocks), default=1))
    blocks.sort(key=lambda b: (b.column, b.top, b.lane))
    first_day = start.astimezone(tz).date()
    hours = tuple(_hour(start + timedelta(minutes=m), first_day, tz, m) for m in range(0, int(length), HOUR))
    at = None if now is None else minutes(now)
    return DayLayout(
        start, length, hours, tuple(blocks), tuple(lanes), at if at is not None and 0 <= at <= length else None
    )


def _hour(moment: datetime, first_day: date, tz: tzinfo, top: int) -> HourMark:
    local = moment.astimezone(tz)
    days = (local.date() - first_day).days
    return HourMark(f"{local:%H:%M}" + (f" +{days}" if days else ""), top)


def _lanes(spans: list[tuple[float, float, Hashable]], column: int) -> list[Block]:
    """First-fit lanes in start order, cluster by cluster; each cluster's blocks share its lane count."""
    blocks: list[Block] = []
    cluster: list[tuple[float, float, Hashable, int]] = []
    lane_ends: list[float] = []
    cluster_end = float("-inf")

    def close() -> None:
        blocks.extend(Block(i, column, s, e - s, lane, len(lane_ends)) for s, e, i, lane in cluster)

    # The longer of two that start together goes first (leftmost).
    for start, end, entry_id in sorted(spans, key=lambda s: (s[0], -s[1], str(s[2]))):
        if start >= cluster_end:
            close()
            cluster, lane_ends = [], []
        lane = next((n for n, free_at in enumerate(lane_ends) if free_at <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        lane_ends[lane] = end
        cluster.append((start, end, entry_id, lane))
        cluster_end = max(cluster_end, end)
    close()
    return blocks


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def layout_css(layout: DayLayout, *, block_id: str = "grid-session-{}", now_id: str = "grid-now") -> str:
    """The layout as a stylesheet: the columns' widths (a column with more lanes is wider), then each
    block's top, height, left and width. Lengths are in `--grid-minute` and `--grid-lane` (set in
    schedule.css), so the scale changes in one place."""
    widths = " ".join(f"minmax(calc(var(--grid-lane) * {n}), {n}fr)" for n in layout.lanes)
    rules = [
        f".day-grid {{ min-width: calc(var(--grid-time) + var(--grid-lane) * {sum(layout.lanes)}); }}",
        f".day-grid .grid-row {{ grid-template-columns: var(--grid-time) {widths}; }}",
    ]
    for b in layout.blocks:
        selector = "#" + block_id.format(b.id)
        rules.append(
            f"{selector} {{ top: calc(var(--grid-minute) * {_number(b.top)}); "
            f"height: calc(var(--grid-minute) * {_number(b.height)}); "
            f"left: {_number(100 * b.lane / b.lanes)}%; width: {_number(100 / b.lanes)}%; }}"
        )
    if layout.now is not None:
        rules.append(f"#{now_id} {{ top: calc(var(--grid-minute) * {_number(layout.now)}); }}")
    return "\n".join(rules) + "\n"
