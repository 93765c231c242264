"""Pure: the day grid's layout — blocks as tall as they last, overlaps side by side, the first hour, midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from showcase.schedule.grid import MIN_MINUTES, Block, GridEntry, entries_on, layout_css, layout_day

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 12) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def blocks(layout) -> dict:
    return {b.id: b for b in layout.blocks}


def test_blocks_are_as_tall_as_their_sessions_last_from_the_hour_before_the_first():
    layout = layout_day(
        [GridEntry("rehearsal", 1, at(10), at(12)), GridEntry("talk", 1, at(12, 30), at(13, 30))], [1], tz=SHANGHAI
    )
    assert layout.start == at(10).astimezone(UTC)  # not 00:00: the day starts with its first session's hour
    assert blocks(layout) == {
        "rehearsal": Block("rehearsal", 0, top=0, height=120),
        "talk": Block("talk", 0, top=150, height=60),
    }
    assert blocks(layout)["rehearsal"].height == 2 * blocks(layout)["talk"].height
    assert layout.minutes == 240  # 10:00 to 14:00, whole hours
    assert [h.label for h in layout.hours] == ["10:00", "11:00", "12:00", "13:00"]
    assert [h.top for h in layout.hours] == [0, 60, 120, 180]


def test_the_first_hour_is_rounded_down_and_the_last_up():
    layout = layout_day([GridEntry("a", None, at(14, 40), at(15, 5))], [None], tz=SHANGHAI)
    assert layout.start == at(14).astimezone(UTC)
    assert blocks(layout)["a"] == Block("a", 0, top=40, height=25)
    assert layout.minutes == 120


def test_overlapping_sessions_share_their_column_in_equal_lanes():
    layout = layout_day(
        [
            GridEntry("a", 1, at(14), at(15)),
            GridEntry("b", 1, at(14, 30), at(16)),
            GridEntry("c", 1, at(15), at(15, 45)),  # a has ended: c takes its lane
            GridEntry("d", 1, at(16), at(17)),  # after the cluster: the whole width again
            GridEntry("e", 2, at(14), at(15)),  # another screen: its own column
        ],
        [1, 2],
        tz=SHANGHAI,
    )
    placed = blocks(layout)
    assert [(placed[k].lane, placed[k].lanes) for k in "abcde"] == [(0, 2), (1, 2), (0, 2), (0, 1), (0, 1)]
    assert placed["e"].column == 1
    assert layout.lanes == (2, 1)


def test_three_at_once_need_three_lanes_and_a_chain_keeps_its_cluster_width():
    layout = layout_day(
        [
            GridEntry("a", 1, at(9), at(12)),
            GridEntry("b", 1, at(9), at(10)),
            GridEntry("c", 1, at(9, 30), at(11)),
            GridEntry("d", 1, at(10), at(10, 30)),  # b's lane is free again
        ],
        [1],
        tz=SHANGHAI,
    )
    placed = blocks(layout)
    assert {k: placed[k].lane for k in "abcd"} == {"a": 0, "b": 1, "c": 2, "d": 1}
    assert {placed[k].lanes for k in "abcd"} == {3}


def test_back_to_back_sessions_do_not_overlap():
    layout = layout_day([GridEntry("a", 1, at(14), at(15)), GridEntry("b", 1, at(15), at(16))], [1], tz=SHANGHAI)
    assert {(b.lane, b.lanes) for b in layout.blocks} == {(0, 1)}


def test_a_very_short_session_is_drawn_one_line_tall_and_keeps_that_room():
    layout = layout_day([GridEntry("z", 1, at(15), at(15)), GridEntry("b", 1, at(15, 5), at(16))], [1], tz=SHANGHAI)
    placed = blocks(layout)
    assert placed["z"].height == MIN_MINUTES
    assert (placed["z"].lanes, placed["b"].lane) == (2, 1)


def test_a_session_past_midnight_extends_the_grid_with_next_day_labels():
    layout = layout_day([GridEntry("late", 1, at(22, 30), at(1, 30, day=13))], [1], tz=SHANGHAI)
    assert blocks(layout)["late"] == Block("late", 0, top=30, height=180)
    assert [h.label for h in layout.hours] == ["22:00", "23:00", "00:00 +1", "01:00 +1"]


def test_times_are_the_festivals_wall_clock_whatever_zone_the_entries_carry():
    start = datetime(2026, 12, 12, 2, 15, tzinfo=UTC)  # 10:15 in Shanghai
    layout = layout_day([GridEntry("a", 1, start, start + timedelta(hours=1))], [1], tz=SHANGHAI)
    assert layout.hours[0].label == "10:00"
    assert blocks(layout)["a"].top == 15


def test_entries_on_a_day_use_the_local_date_and_unknown_columns_are_left_out():
    entries = [GridEntry("a", 1, at(23, 30), at(0, 30, day=13)), GridEntry("b", 1, at(0, 30, day=13), at(1, day=13))]
    assert [e.id for e in entries_on(entries, date(2026, 12, 12), tz=SHANGHAI)] == ["a"]
    assert layout_day(entries, [2], tz=SHANGHAI) is None


def test_now_is_placed_only_inside_the_grid():
    entries = [GridEntry("a", 1, at(14), at(16))]
    assert layout_day(entries, [1], tz=SHANGHAI, now=at(15, 30)).now == 90
    assert layout_day(entries, [1], tz=SHANGHAI, now=at(15, 59)).now == 119
    assert layout_day(entries, [1], tz=SHANGHAI, now=at(17, 1)).now is None
    assert layout_day(entries, [1], tz=SHANGHAI, now=at(15, day=13)).now is None
    assert layout_day(entries, [1], tz=SHANGHAI).now is None


def test_the_stylesheet_places_every_block_in_grid_units():
    layout = layout_day(
        [GridEntry(7, 1, at(14), at(16)), GridEntry(8, 1, at(15), at(15, 20)), GridEntry(9, 2, at(14), at(14, 45))],
        [1, 2],
        tz=SHANGHAI,
        now=at(14, 10),
    )
    css = layout_css(layout)
    assert (
        "#grid-session-7 { top: calc(var(--grid-minute) * 0); height: calc(var(--grid-minute) * 120); "
        "left: 0%; width: 50%; }" in css
    )
    assert "#grid-session-8 { top: calc(var(--grid-minute) * 60); height: calc(var(--grid-minute) * 20); " in css
    assert "left: 50%; width: 50%; }" in css
    assert "#grid-session-9 { top: calc(var(--grid-minute) * 0); height: calc(var(--grid-minute) * 45); " in css
    assert "grid-template-columns: var(--grid-time) minmax(calc(var(--grid-lane) * 2), 2fr) " in css
    assert "#grid-now { top: calc(var(--grid-minute) * 10); }" in css
