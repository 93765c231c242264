"""Durations and running times: how showcase reads and writes them, for every form, import and page.

The rule: **a bare number is minutes** — "12" is twelve minutes in a spreadsheet's runtime column and
in the running-order form alike, because that is how festival staff give a film's length. A column whose
header names seconds ("duration_seconds", "时长（秒）") is the one exception (`bare=1`). Anything else
says its units: a clock ("12:30" is 12 min 30 s, "1:02:03"), or units in English or Chinese ("12m30s",
"12 min 30 sec", "1h 5m", "12分30秒", "1小时"). Written back as M:SS, or H:MM:SS from an hour on, which
reads back as the same number of seconds.

static/js/durations.js is the running-order page's copy of `read` and `write` (it recomputes cue times
as staff type); tests/showcase/test_durations.py runs one table of cases through both.
"""

from __future__ import annotations

import re
import unicodedata

_CLOCK = re.compile(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", re.ASCII)
_UNIT_PARTS = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", re.ASCII)
UNIT_WORDS = (  # longest first, so "minutes" is not read as "min" + "utes"
    ("小时", "h"),
    ("时", "h"),
    ("分钟", "m"),
    ("分", "m"),
    ("秒钟", "s"),
    ("秒", "s"),
    ("hours", "h"),
    ("hour", "h"),
    ("hrs", "h"),
    ("hr", "h"),
    ("minutes", "m"),
    ("minute", "m"),
    ("mins", "m"),
    ("min", "m"),
    ("seconds", "s"),
    ("second", "s"),
    ("secs", "s"),
    ("sec", "s"),
    ("″", "s"),
    ("′′", "s"),  # NFKC turns a double prime (″) into two primes
    ('"', "s"),
    ("′", "m"),
    ("'", "m"),
    (" ", ""),
)
HELP = "12 (minutes), 12:30 (min:sec), 1:02:03, 12m30s or 12分30秒"


def read(text: str | None, *, bare: int = 60) -> int | None:
    """Seconds from a duration as people type it; None when blank or not a duration.

    `bare` is what a number without units stands for: 60 (minutes, the rule) or 1 (a seconds column).
    """
    value = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return int(value) * bare
    clock = _CLOCK.fullmatch(value)
    if clock:
        first, second, third = (int(part) if part else None for part in clock.groups())
        hours, minutes, seconds = (0, first, second) if third is None else (first, second, third)
        if seconds >= 60 or (third is not None and minutes >= 60):
            return None  # "12:75" is a typo, not 13:15
        return hours * 3600 + minutes * 60 + seconds
    for word, letter in UNIT_WORDS:
        value = value.replace(word, letter)
    parts = _UNIT_PARTS.fullmatch(value)
    if not parts or not any(parts.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


def write(seconds: float | None, *, hours: bool = False) -> str:
    """M:SS, or H:MM:SS from an hour on (always, with `hours`); '' for None. Read back by `read`."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    whole_hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if whole_hours or hours:
        return f"{whole_hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
