"""Pure parts: the day grid's layout and the running-order diff."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from showcase.schedule.grid import GridCell, GridEntry, entries_on, layout_day
from showcase.schedule.order_diff import diff_running_orders, has_changes

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 12) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def test_sessions_span_their_rows_in_their_screen_column():
    rows = layout_day([GridEntry("a", 1, at(14), at(15)), GridEntry("b", 2, at(14, 30), at(15))], [1, 2], tz=SHANGHAI)
    assert [r.label for r in rows] == ["14:00", "14:15", "14:30", "14:45"]
    assert rows[0].cells == (GridCell(4, ("a",)), GridCell(1))
    assert rows[2].cells == (None, GridCell(2, ("b",)))
    assert rows[3].cells == (None, None)
    assert [r.on_the_hour for r in rows] == [True, False, False, False]


def test_overlapping_sessions_on_one_screen_share_one_cell():
    rows = layout_day(
        [
            GridEntry("a", 1, at(14), at(15)),
            GridEntry("b", 1, at(14, 30), at(16)),
            GridEntry("c", 1, at(16), at(16, 15)),
        ],
        [1],
        tz=SHANGHAI,
    )
    assert rows[0].cells == (GridCell(8, ("a", "b")),)
    assert rows[8].cells == (GridCell(1, ("c",)),)


def test_times_off_the_quarter_round_outwards_and_zero_length_gets_a_row():
    rows = layout_day(
        [GridEntry("a", None, at(14, 5), at(14, 20)), GridEntry("z", None, at(15), at(15))], [None], tz=SHANGHAI
    )
    assert rows[0].cells == (GridCell(2, ("a",)),)
    assert rows[4].cells == (GridCell(1, ("z",)),)


def test_labels_are_festival_wall_clock_and_cross_midnight():
    rows = layout_day(
        [GridEntry("late", 1, datetime(2026, 12, 12, 15, 30, tzinfo=UTC), datetime(2026, 12, 12, 16, 30, tzinfo=UTC))],
        [1],
        tz=SHANGHAI,
    )
    assert [r.label for r in rows] == ["23:30", "23:45", "00:00 +1", "00:15 +1"]


def test_entries_on_a_day_use_the_local_date_and_columns_filter():
    entries = [GridEntry("a", 1, at(23, 30), at(23, 45)), GridEntry("b", 1, at(0, 30, day=13), at(1, day=13))]
    assert [e.id for e in entries_on(entries, date(2026, 12, 12), tz=SHANGHAI)] == ["a"]
    assert layout_day(entries, [2], tz=SHANGHAI) == []


def rec(id, title, seconds=60, **extra):
    return {"id": id, "kind": "speech", "title": title, "title_en": "", "planned_seconds": seconds, **extra}


def test_diff_names_added_removed_moved_and_edited_items():
    before = [rec(1, "A"), rec(2, "B"), rec(3, "C"), rec(4, "D")]
    after = [rec(3, "C"), rec(1, "A"), rec(2, "B", 90, notes="mic"), rec(5, "E")]
    diff = diff_running_orders(before, after)
    assert diff == {
        "added": ["«E» (speech)"],
        "removed": ["«D» (speech)"],
        "moved": ["«C» (speech) now at place 1"],
        "edited": ["«B» (speech): duration 1:00 → 1:30; notes “” → “mic”"],
    }
    assert has_changes(diff)


def test_an_unchanged_list_has_no_changes():
    items = [rec(1, "A"), rec(2, "B")]
    assert not has_changes(diff_running_orders(items, list(items)))
