"""Schedule conflicts: screens, films, people; half-open ranges; the single-session check on save."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from showcase.schedule.conflicts import (
    Conflict,
    ScheduleConflict,
    SessionSlot,
    candidate_conflicts,
    ensure_no_conflicts,
    find_conflicts,
    session_overrun_minutes,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, 14, hour, minute, tzinfo=SHANGHAI)


def slot(id, start, end, *, screen=1, films=(), people=()) -> SessionSlot:
    return SessionSlot(id, screen, start, end, frozenset(films), frozenset(people))


def as_set(conflicts):
    return {(c.kind, frozenset((c.first_id, c.second_id)), c.shared_id) for c in conflicts}


def test_two_sessions_overlapping_on_one_screen_conflict():
    conflicts = find_conflicts([slot("a", at(18), at(20)), slot("b", at(19), at(21))])
    assert conflicts == [Conflict("screen", "a", "b", 1)]


def test_sessions_that_only_touch_do_not_conflict():
    sessions = [
        slot("a", at(18), at(20), films={7}, people={3}),
        slot("b", at(20), at(22), films={7}, people={3}),
    ]
    assert find_conflicts(sessions) == []
    assert candidate_conflicts(sessions[1], sessions) == []


def test_touching_is_judged_on_the_instant_not_the_wall_clock():
    # 20:00 in Shanghai is 12:00 UTC: the two sessions touch, they do not overlap.
    first = slot("a", at(18), at(20))
    second = slot("b", datetime(2025, 6, 14, 12, 0, tzinfo=UTC), datetime(2025, 6, 14, 13, 0, tzinfo=UTC))
    assert find_conflicts([first, second]) == []
    third = slot("c", datetime(2025, 6, 14, 11, 59, tzinfo=UTC), datetime(2025, 6, 14, 13, 0, tzinfo=UTC))
    assert find_conflicts([first, third]) == [Conflict("screen", "a", "c", 1)]


def test_different_screens_do_not_conflict():
    assert find_conflicts([slot("a", at(18), at(20), screen=1), slot("b", at(18), at(20), screen=2)]) == []


def test_sessions_without_a_screen_are_skipped_for_screens_but_not_for_films_or_people():
    sessions = [
        slot("a", at(18), at(20), screen=None, films={5}),
        slot("b", at(19), at(21), screen=None, films={5}, people={9}),
        slot("c", at(19), at(21), screen=None, people={9}),
    ]
    assert as_set(find_conflicts(sessions)) == {
        ("film", frozenset({"a", "b"}), 5),
        ("person", frozenset({"b", "c"}), 9),
    }


def test_the_same_film_in_overlapping_sessions_on_different_screens():
    sessions = [slot("a", at(18), at(20), screen=1, films={5, 6}), slot("b", at(19), at(21), screen=2, films={6})]
    assert find_conflicts(sessions) == [Conflict("film", "a", "b", 6)]


def test_a_person_in_two_overlapping_sessions():
    sessions = [slot("a", at(18), at(20), screen=1, people={1, 2}), slot("b", at(19), at(21), screen=2, people={1, 2})]
    assert as_set(find_conflicts(sessions)) == {
        ("person", frozenset({"a", "b"}), 1),
        ("person", frozenset({"a", "b"}), 2),
    }


def test_one_long_session_conflicts_with_each_short_one_but_they_not_with_each_other():
    sessions = [slot("long", at(10), at(18)), slot("s1", at(11), at(12)), slot("s2", at(12), at(14))]
    assert find_conflicts(sessions) == [Conflict("screen", "long", "s1", 1), Conflict("screen", "long", "s2", 1)]


def test_a_zero_length_session_overlaps_nothing():
    sessions = [slot("a", at(18), at(20), films={1}), slot("b", at(19), at(19), films={1})]
    assert find_conflicts(sessions) == []
    assert candidate_conflicts(sessions[1], sessions) == []
    assert candidate_conflicts(sessions[0], sessions) == []


def test_bad_times_are_refused():
    with pytest.raises(ValueError, match="without a time zone"):
        find_conflicts([slot("a", at(18).replace(tzinfo=None), at(20))])
    with pytest.raises(ValueError, match="ends before it starts"):
        find_conflicts([slot("a", at(20), at(18))])


def test_candidate_check_ignores_its_own_stored_copy():
    stored = [slot(1, at(18), at(20), films={4}), slot(2, at(21), at(22), films={4}, people={8})]
    moved = slot(1, at(20, 30), at(21, 30), screen=1, films={4}, people={8})
    assert as_set(candidate_conflicts(moved, stored)) == {
        ("screen", frozenset({1, 2}), 1),
        ("film", frozenset({1, 2}), 4),
        ("person", frozenset({1, 2}), 8),
    }
    assert all(conflict.first_id == 1 for conflict in candidate_conflicts(moved, stored))
    assert candidate_conflicts(slot(1, at(18), at(20), films={4}), stored) == []


def test_ensure_no_conflicts_raises_with_every_clash():
    stored = [slot(2, at(19), at(21), films={4})]
    with pytest.raises(ScheduleConflict) as caught:
        ensure_no_conflicts(slot(1, at(18), at(20), films={4}), stored)
    assert caught.value.conflicts == [Conflict("screen", 1, 2, 1), Conflict("film", 1, 2, 4)]
    assert "share film 4" in str(caught.value)
    ensure_no_conflicts(slot(1, at(17), at(19), films={4}), stored)  # touching: saved without complaint


def test_all_pairs_and_candidate_checks_agree_with_brute_force():
    rng = random.Random(20250614)
    base = datetime(2025, 6, 14, 9, tzinfo=UTC)
    sessions = []
    for index in range(400):
        start = base + timedelta(minutes=15 * rng.randrange(0, 200))
        sessions.append(
            slot(
                index,
                start,
                start + timedelta(minutes=rng.choice([0, 15, 60, 90])),
                screen=rng.choice([None, 1, 2, 3, 4]),
                films=rng.sample(range(60), 2),
                people=rng.sample(range(40), rng.randrange(0, 3)),
            )
        )
    expected = set()
    for position, first in enumerate(sessions):
        for second in sessions[position + 1 :]:
            if first.start < second.end and second.start < first.end:
                expected |= as_set(candidate_conflicts(first, [second]))
    found = find_conflicts(sessions)
    assert len(found) == len(as_set(found))  # nothing reported twice
    assert as_set(found) == expected
    assert len(expected) > 50  # the data really has clashes of every kind
    assert {kind for kind, _pair, _shared in expected} == {"screen", "film", "person"}


def test_overrun_minutes_of_a_session():
    session = slot("a", at(18), at(20))
    assert session_overrun_minutes(session, 7200) == 0
    assert session_overrun_minutes(session, 7201) == 1
    assert session_overrun_minutes(session, 7200 + 15 * 60) == 15
