"""A file's real length against the film's listed runtime: what is a mismatch and what is only rounding."""

from __future__ import annotations

import pytest

from playlists.runtime import clock, runtime_mismatch, runtime_tolerance


@pytest.mark.parametrize(
    ("seconds", "runtime"),
    [
        (451, 480),  # a 7:31 film listed as 8 minutes (rounded up)
        (509, 480),  # 8:29 listed as 8 minutes (rounded down)
        (410.4, 412),  # listed to the second, measured a little shorter
        (31, 60),  # 0:31 listed as one minute
        (92, 90),  # 1:32 listed as 90 s: within 2 s
        (3 * 3600 + 100, 3 * 3600),  # within 2 % of a long film
        (100, None),  # no listed runtime: nothing to compare
    ],
)
def test_rounding_and_small_differences_are_no_mismatch(seconds, runtime):
    assert runtime_mismatch(seconds, runtime) is None


@pytest.mark.parametrize(
    ("seconds", "runtime", "words"),
    [
        (4, 480, "file lasts 0:04, film listed at 8:00: shorter"),  # the trailer instead of the film
        (240, 480, "file lasts 4:00, film listed at 8:00: shorter"),  # truncated half way
        (4, 60, "file lasts 0:04, film listed at 1:00: shorter"),  # rounding never explains most of a film
        (400, 412, "file lasts 6:40, film listed at 6:52: shorter"),  # listed to the second: 12 s is too much
        (2 * 3600, 480, "file lasts 2:00:00, film listed at 8:00: longer"),  # another film entirely
    ],
)
def test_wrong_or_truncated_files_are_flagged(seconds, runtime, words):
    assert runtime_mismatch(seconds, runtime).startswith(words)


def test_tolerance_and_clock():
    assert runtime_tolerance(412) == pytest.approx(8.24)
    assert runtime_tolerance(30) == 2.0
    assert runtime_tolerance(480) == pytest.approx(9.6 + 60)
    assert runtime_tolerance(60) == pytest.approx(2 + 30)
    assert [clock(s) for s in (0, 4.4, 59.6, 451, 3725)] == ["0:00", "0:04", "1:00", "7:31", "1:02:05"]
