"""The schedule grid for one day: time rows against screen columns, as a table with row spans.

Pure: plain entries in, plain rows out. Sessions that overlap in one column (a conflict) share
one cell spanning their union, so the table never breaks and the clash is visible where it is.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

SLOT_SECONDS = 15 * 60


@dataclass(frozen=True, slots=True)
class GridEntry:
    """A session to place: its id, its column (a screen id, or None) and its times (aware)."""

    id: Hashable
    column: Hashable | None
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class GridCell:
    """A table cell: how many rows it spans and the sessions in it (none for an empty slot)."""

    rowspan: int
    entries: tuple[Hashable, ...] = ()


@dataclass(frozen=True, slots=True)
class GridRow:
    """One time slot: its local label, whether it starts an hour, and one cell per column
    (None where a cell from a row above spans over it)."""

    label: str
    on_the_hour: bool
    cells: tuple[GridCell | None, ...]


def entries_on(entries: Sequence[GridEntry], day: date, *, tz: tzinfo) -> list[GridEntry]:
    """The entries that start on `day` on the festival's wall clock."""
    return [e for e in entries if e.start.astimezone(tz).date() == day]


def layout_day(
    entries: Sequence[GridEntry], columns: Sequence[Hashable | None], *, tz: tzinfo, slot_seconds: int = SLOT_SECONDS
) -> list[GridRow]:
    """Rows from the first start to the last end (whole slots), one cell per column."""
    placed = [e for e in entries if e.column in columns]
    if not placed:
        return []
    first = _floor(min(e.start.timestamp() for e in placed), slot_seconds)
    # A zero-length session still gets its row, even as the day's last.
    last = max(
        max(_ceil(e.end.timestamp(), slot_seconds) for e in placed),
        max(_floor(e.start.timestamp(), slot_seconds) + slot_seconds for e in placed),
    )
    count = max(1, int((last - first) // slot_seconds))
    grid: list[list[GridCell | None]] = [[GridCell(1)] * len(columns) for _ in range(count)]
    for col, key in enumerate(columns):
        for top, bottom, ids in _clusters([e for e in placed if e.column == key], first, slot_seconds):
            grid[top][col] = GridCell(bottom - top, tuple(ids))
            for row in range(top + 1, bottom):
                grid[row][col] = None
    start_day = datetime.fromtimestamp(first, UTC).astimezone(tz).date()
    rows = []
    for index, cells in enumerate(grid):
        local = datetime.fromtimestamp(first + index * slot_seconds, UTC).astimezone(tz)
        days = (local.date() - start_day).days
        label = f"{local:%H:%M}" + (f" +{days}" if days else "")
        rows.append(GridRow(label, local.minute == 0, tuple(cells)))
    return rows


def _clusters(entries: list[GridEntry], first: float, slot: int) -> list[tuple[int, int, list]]:
    """Row ranges [top, bottom) of runs of overlapping entries, with the entries of each run."""
    spans = sorted(
        (
            int((_floor(e.start.timestamp(), slot) - first) // slot),
            int((_ceil(e.end.timestamp(), slot) - first) // slot),
            e.id,
        )
        for e in entries
    )
    clusters: list[tuple[int, int, list]] = []
    for top, bottom, entry_id in spans:
        bottom = max(bottom, top + 1)  # a zero-length session still gets a row
        if clusters and top < clusters[-1][1]:
            prev_top, prev_bottom, ids = clusters[-1]
            clusters[-1] = (prev_top, max(prev_bottom, bottom), [*ids, entry_id])
        else:
            clusters.append((top, bottom, [entry_id]))
    return clusters


def _floor(moment: float, slot: int) -> float:
    return moment - moment % slot


def _ceil(moment: float, slot: int) -> float:
    rest = moment % slot
    return moment if rest == 0 else moment - rest + slot
