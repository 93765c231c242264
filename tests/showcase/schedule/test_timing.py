"""Running-order timing: clocks, offsets, midnight, daylight saving, overrun, reordering."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from showcase.schedule.timing import (
    PlannedItem,
    TimingError,
    format_offset,
    move_down,
    move_item,
    move_up,
    overrun_minutes,
    time_running_order,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def items(*seconds: int, kind: str = "film") -> list[PlannedItem]:
    return [PlannedItem(key=f"i{index}", kind=kind, planned_seconds=value) for index, value in enumerate(seconds)]


def test_an_evening_gets_cues_offsets_and_clock_labels():
    start = datetime(2025, 6, 14, 19, 30, tzinfo=SHANGHAI)
    timing = time_running_order(items(300, 750, 3723), start=start, end=start + timedelta(hours=2), tz=SHANGHAI)
    assert [item.cue for item in timing.items] == [1, 2, 3]
    assert [item.offset_seconds for item in timing.items] == [0, 300, 1050]
    assert [item.offset_label for item in timing.items] == ["+0:00", "+5:00", "+17:30"]
    assert [item.start_label for item in timing.items] == ["19:30", "19:35", "19:47"]
    assert timing.items[-1].end_label == "20:49"
    assert timing.items[-1].end.tzinfo is SHANGHAI
    assert (timing.total_seconds, timing.slot_seconds) == (4773, 7200)
    assert (timing.remaining_seconds, timing.overrun_seconds, timing.overrun_minutes) == (2427, 0, 0)
    assert not timing.overruns


def test_crossing_midnight_marks_the_next_day():
    start = datetime(2025, 6, 14, 23, 30, tzinfo=SHANGHAI)
    timing = time_running_order(items(1200, 1200, 1800), start=start, end=start + timedelta(hours=1), tz=SHANGHAI)
    assert [item.start_label for item in timing.items] == ["23:30", "23:50", "00:10 +1"]
    assert [item.start_clock for item in timing.items] == ["23:30", "23:50", "00:10"]
    assert [item.day for item in timing.items] == [0, 0, 1]
    assert timing.items[1].end_label == "00:10 +1"
    assert timing.items[2].start.date() == start.date() + timedelta(days=1)
    assert (timing.overrun_seconds, timing.overrun_minutes) == (600, 10)


def test_autumn_daylight_saving_change_repeats_the_wall_clock_but_not_elapsed_time():
    # Europe/London, 27 October 2024: 02:00 BST becomes 01:00 GMT.
    start = datetime(2024, 10, 27, 0, 30, tzinfo=LONDON)
    end = datetime(2024, 10, 27, 2, 30, tzinfo=LONDON)
    timing = time_running_order(items(1800, 1800, 1800, 1800, 1800), start=start, end=end, tz=LONDON)
    assert [item.start_label for item in timing.items] == ["00:30", "01:00", "01:30", "01:00", "01:30"]
    assert timing.items[3].start.utcoffset() == timedelta(0)
    assert timing.items[1].start.utcoffset() == timedelta(hours=1)
    assert timing.slot_seconds == 3 * 3600  # three real hours between 00:30 BST and 02:30 GMT
    assert timing.remaining_seconds == 1800
    # Subtracting two datetimes that share a tzinfo measures wall-clock time, so compare in UTC.
    for item in timing.items:
        assert (item.start.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == item.offset_seconds


def test_spring_daylight_saving_change_skips_the_missing_hour():
    # America/New_York, 10 March 2024: 02:00 EST becomes 03:00 EDT.
    start = datetime(2024, 3, 10, 1, 0, tzinfo=NEW_YORK)
    end = datetime(2024, 3, 10, 4, 0, tzinfo=NEW_YORK)
    timing = time_running_order(items(2700, 2700, 2700), start=start, end=end, tz=NEW_YORK)
    assert [item.start_label for item in timing.items] == ["01:00", "01:45", "03:30"]
    assert timing.items[-1].end_label == "04:15"
    assert timing.slot_seconds == 2 * 3600
    assert (timing.overrun_seconds, timing.overrun_minutes) == (900, 15)
    assert timing.overruns


def test_session_times_given_in_utc_are_shown_in_the_festival_zone():
    start = datetime(2025, 6, 14, 11, 30, tzinfo=UTC)
    timing = time_running_order(items(60), start=start, end=start + timedelta(minutes=30), tz=SHANGHAI)
    assert timing.items[0].start_label == "19:30"
    assert timing.items[0].start.tzinfo is SHANGHAI


def test_zero_length_items_share_their_moment_and_still_get_a_cue():
    start = datetime(2025, 6, 14, 20, 0, tzinfo=SHANGHAI)
    timing = time_running_order(
        [PlannedItem("slate", "slate", 0), PlannedItem("film", "film", 600), PlannedItem("cue", "other", 0)],
        start=start,
        end=start + timedelta(minutes=10),
        tz=SHANGHAI,
    )
    slate, film, cue = timing.items
    assert slate.start == slate.end == film.start
    assert (slate.cue, film.cue, cue.cue) == (1, 2, 3)
    assert cue.offset_label == "+10:00" and cue.start_label == cue.end_label == "20:10"
    assert (timing.total_seconds, timing.remaining_seconds, timing.overrun_seconds) == (600, 0, 0)


def test_an_empty_running_order_leaves_the_whole_slot():
    start = datetime(2025, 6, 14, 20, 0, tzinfo=SHANGHAI)
    timing = time_running_order([], start=start, end=start + timedelta(minutes=45), tz=SHANGHAI)
    assert timing.items == ()
    assert (timing.total_seconds, timing.remaining_seconds) == (0, 2700)


def test_a_thousand_items_run_back_to_back_across_days():
    start = datetime(2025, 6, 14, 18, 0, tzinfo=SHANGHAI)
    durations = [(index * 37) % 900 for index in range(1000)]
    timing = time_running_order(items(*durations), start=start, end=start + timedelta(hours=4), tz=SHANGHAI)
    assert len(timing.items) == 1000
    assert timing.total_seconds == sum(durations)
    for before, after in zip(timing.items, timing.items[1:], strict=False):
        assert before.end == after.start
        assert after.offset_seconds == before.offset_seconds + before.planned_seconds
    last = timing.items[-1]
    assert last.end.astimezone(UTC) == start.astimezone(UTC) + timedelta(seconds=sum(durations))
    assert last.end_day == (last.end.date() - start.date()).days > 1
    assert last.end_label.endswith(f" +{last.end_day}")
    assert timing.overrun_minutes == -(-(sum(durations) - 4 * 3600) // 60)


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "+0:00"),
        (59, "+0:59"),
        (750, "+12:30"),
        (3599, "+59:59"),
        (3600, "+1:00:00"),
        (3723, "+1:02:03"),
        (36000, "+10:00:00"),
    ],
)
def test_offset_labels(seconds, label):
    assert format_offset(seconds) == label


@pytest.mark.parametrize(
    ("slot", "planned", "minutes"),
    [(3600, 0, 0), (3600, 3600, 0), (3600, 3601, 1), (3600, 3660, 1), (3600, 3661, 2), (0, 90, 2)],
)
def test_overrun_minutes_round_up(slot, planned, minutes):
    assert overrun_minutes(slot, planned) == minutes


def test_bad_input_is_refused_with_a_clear_error():
    aware = datetime(2025, 6, 14, 20, 0, tzinfo=SHANGHAI)
    with pytest.raises(TimingError, match="no time zone"):
        time_running_order(items(60), start=aware.replace(tzinfo=None), end=aware, tz=SHANGHAI)
    with pytest.raises(TimingError, match="negative duration"):
        time_running_order(items(60, -5), start=aware, end=aware + timedelta(hours=1), tz=SHANGHAI)
    with pytest.raises(TimingError, match="ends before it starts"):
        time_running_order(items(60), start=aware, end=aware - timedelta(minutes=1), tz=SHANGHAI)


def test_move_item_returns_a_new_order_and_leaves_the_input_alone():
    order = ["a", "b", "c", "d"]
    assert move_item(order, 0, target=3) == ["b", "c", "d", "a"]
    assert move_item(order, 3, target=1) == ["a", "d", "b", "c"]
    assert move_item(order, 2, target=2) == order
    assert order == ["a", "b", "c", "d"]


def test_move_up_and_down_stop_at_the_ends():
    order = ("a", "b", "c")
    assert move_up(order, 1) == ["b", "a", "c"]
    assert move_up(order, 0) == ["a", "b", "c"]
    assert move_down(order, 1) == ["a", "c", "b"]
    assert move_down(order, 2) == ["a", "b", "c"]


def test_moving_outside_the_running_order_is_an_error():
    with pytest.raises(IndexError, match="outside the running order"):
        move_item(["a", "b"], 0, target=2)
    with pytest.raises(IndexError, match="source position -1"):
        move_up(["a", "b"], -1)
