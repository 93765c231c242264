"""The live show's clock, on plain data: no app, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from showcase.shows.clock import Cue, Live, figures, follow_through, level, next_change, planned_starts

T0 = datetime(2026, 12, 12, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ceremony() -> list[Cue]:
    """Speech (manual, 300 s), film (follows, 120 s), film (follows, 60 s), award (manual, 120 s), film (60 s)."""
    return [
        Cue(1, "speech", "manual", 300),
        Cue(2, "film", "follow", 120),
        Cue(3, "film", "follow", 60),
        Cue(4, "award", "manual", 120),
        Cue(5, "film", "follow", 60),
    ]


def test_planned_starts_add_up_and_a_hard_start_moves_its_cue():
    cues = ceremony()
    assert planned_starts(cues, T0) == [at(0), at(300), at(420), at(480), at(600)]
    hard = [*cues[:3], Cue(4, "award", "manual", 120, hard_start=at(900)), cues[4]]
    assert planned_starts(hard, T0) == [at(0), at(300), at(420), at(900), at(1020)]


def test_a_manual_cue_waits_for_go_however_long_it_runs():
    live = Live("running", 0, started_at=at(0))
    after, steps = follow_through(ceremony(), live, at(5000))
    assert after == live and steps == []


def test_films_that_follow_start_at_the_exact_end_of_the_cue_before():
    live = Live("running", 1, started_at=at(310))  # the first film started 10 s late
    after, steps = follow_through(ceremony(), live, at(495))
    # film 2 ended at 310 + 120 = 430, film 3 followed at once and ends at 490; the award waits for GO
    assert [(s.what, s.index, s.at) for s in steps] == [
        ("end", 1, at(430)),
        ("start", 2, at(430)),
        ("end", 2, at(490)),
    ]
    assert after == Live("running", 2, started_at=at(430), ended_at=at(490))
    assert next_change(ceremony(), after) is None  # nothing more happens by itself


def test_nothing_follows_before_its_time_and_the_next_change_is_known():
    live = Live("running", 1, started_at=at(300))
    after, steps = follow_through(ceremony(), live, at(419))
    assert steps == [] and after == live
    assert next_change(ceremony(), live) == at(420)


def test_a_pause_holds_the_film_end_back_by_its_length():
    live = Live("running", 1, started_at=at(300), paused_seconds=30.0)
    assert next_change(ceremony(), live) == at(450)
    paused = Live("paused", 1, started_at=at(300), paused_at=at(350))
    assert follow_through(ceremony(), paused, at(9999)) == (paused, [])
    assert figures(ceremony(), paused, start=T0, now=at(400)).elapsed == 50.0


def test_a_following_cue_with_a_hard_start_waits_for_it():
    cues = [Cue(1, "film", "manual", 60), Cue(2, "film", "follow", 60, hard_start=at(100))]
    after, steps = follow_through(cues, Live("running", 0, started_at=at(0)), at(80))
    assert [(s.what, s.at) for s in steps] == [("end", at(60))]
    assert next_change(cues, after) == at(100)
    after, steps = follow_through(cues, after, at(100))
    assert [(s.what, s.index, s.at) for s in steps] == [("start", 1, at(100))]


def test_over_under_of_the_cue_and_the_show_and_the_projected_end():
    cues = ceremony()
    # the speech started on time and has run 400 s of its 300: 100 s over, and the show with it
    f = figures(cues, Live("running", 0, started_at=at(0)), start=T0, now=at(400))
    assert f.elapsed == 400 and f.remaining == -100 and f.cue_over_under == 100
    assert f.over_under == 100 and f.projected_end == at(660 + 100)
    assert f.level == "overtime"
    assert "Cue 1 is 1:40 over its planned time." in f.warnings
    assert "The show runs 1:40 late." in f.warnings
    # within its time, a cue projects its planned end: the show is on time
    f = figures(cues, Live("running", 0, started_at=at(0)), start=T0, now=at(100))
    assert f.remaining == 200 and f.over_under == 0 and f.projected_end == at(660) and f.level == "normal"


def test_a_show_that_started_early_runs_ahead():
    f = figures(ceremony(), Live("running", 0, started_at=at(-120)), start=T0, now=at(0))
    assert f.over_under == -120 and f.projected_end == at(540)


def test_standby_projects_from_now_when_the_planned_start_has_passed():
    f = figures(ceremony(), Live(), start=T0, now=at(-60))
    assert f.over_under == 0 and f.projected_end == at(660) and f.elapsed is None
    late = figures(ceremony(), Live(), start=T0, now=at(90))
    assert late.over_under == 90 and late.projected_end == at(750)


def test_a_film_that_ended_waits_for_go_and_the_show_slips_while_it_waits():
    live = Live("running", 2, started_at=at(420), ended_at=at(480))
    f = figures(ceremony(), live, start=T0, now=at(500))
    assert f.over_under == 20 and f.level == "none"


def test_the_next_hard_start_and_whether_it_will_be_missed():
    cues = [Cue(1, "speech", "manual", 300), Cue(2, "link", "manual", 60, hard_start=at(400))]
    f = figures(cues, Live("running", 0, started_at=at(0)), start=T0, now=at(380))
    assert f.next_hard_start is not None
    assert (f.next_hard_start.index, f.next_hard_start.in_seconds) == (1, 20)
    assert f.next_hard_start.late_seconds == 0  # the speech ends at 380 at the earliest: the link waits for 400
    assert f.next_hard_start.projected == at(400)
    f = figures(cues, Live("running", 0, started_at=at(0)), start=T0, now=at(430))
    assert f.next_hard_start.late_seconds == 30
    assert "Cue 2 is projected to miss its hard start by 0:30." in f.warnings


@pytest.mark.parametrize(
    ("planned", "remaining", "expected"),
    [(300, 200, "normal"), (300, 70, "warning"), (300, 30, "danger"), (300, -1, "overtime"), (0, 5, "none")],
)
def test_warning_levels(planned, remaining, expected):
    assert level(planned, remaining) == expected


def test_following_films_across_midnight_keep_exact_seconds():
    start = datetime(2026, 12, 31, 15, 58, tzinfo=UTC)  # 23:58 in Shanghai
    cues = [Cue(1, "film", "manual", 100), Cue(2, "film", "follow", 100), Cue(3, "film", "follow", 100)]
    after, steps = follow_through(cues, Live("running", 0, started_at=start), start + timedelta(seconds=250))
    assert [s.at for s in steps if s.what == "start"] == [
        start + timedelta(seconds=100),
        start + timedelta(seconds=200),
    ]
    shanghai = [s.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S") for s in steps]
    assert shanghai == ["2026-12-31 23:59:40", "2026-12-31 23:59:40", "2027-01-01 00:01:20", "2027-01-01 00:01:20"]
    assert figures(cues, after, start=start, now=start + timedelta(seconds=250)).projected_end == start + timedelta(
        seconds=300
    )


def test_following_films_across_a_daylight_saving_change_keep_exact_seconds():
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2027, 3, 28, 1, 55, tzinfo=berlin).astimezone(UTC)  # clocks jump 02:00 → 03:00
    cues = [Cue(1, "film", "manual", 600), Cue(2, "film", "follow", 600)]
    after, steps = follow_through(cues, Live("running", 0, started_at=start), start + timedelta(seconds=700))
    follow = next(s for s in steps if s.what == "start")
    assert follow.at - start == timedelta(seconds=600)
    assert follow.at.astimezone(berlin).strftime("%H:%M") == "03:05"  # ten real minutes after 01:55
    f = figures(cues, after, start=start, now=start + timedelta(seconds=700))
    assert f.projected_end.astimezone(berlin).strftime("%H:%M") == "03:15" and f.over_under == 0
