"""One reading of durations (showcase/durations.py), the same in the browser (static/js/durations.js),
in the CSV import and in the running-order form: a bare number is minutes."""

from __future__ import annotations

from pathlib import Path

import pytest

from showcase import durations
from showcase.films.csvio import format_runtime, parse_runtime
from showcase.films.fields import runtime_problem
from showcase.schedule.forms import parse_duration
from showcase.templating import duration

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "durations.js"

# (text, what a bare number stands for, seconds — None when it is no duration)
READ = [
    ("12", 60, 720),
    ("12", 1, 12),
    ("０１２", 60, 720),  # full-width digits, as a Chinese keyboard types them
    ("12:30", 60, 750),
    ("1:02:03", 60, 3723),
    ("0:00:45", 60, 45),
    ("12m30s", 60, 750),
    ("12 min 30 sec", 60, 750),
    ("1h 5m", 60, 3900),
    ("12分30秒", 60, 750),
    ("1小时", 60, 3600),
    ("90s", 60, 90),
    ("90 seconds", 1, 90),
    ("3′20″", 60, 200),
    ("  7 ", 60, 420),
    ("", 60, None),
    ("   ", 60, None),
    ("12:75", 60, None),
    ("1:75:00", 60, None),
    ("abc", 60, None),
    ("12.5", 60, None),
    ("-5", 60, None),
    ("h", 60, None),
]
WRITE = [
    (0, False, "0:00"),
    (45, False, "0:45"),
    (750, False, "12:30"),
    (3600, False, "1:00:00"),
    (3723, False, "1:02:03"),
    (750, True, "0:12:30"),
    (89.6, False, "1:30"),
    (None, False, ""),
]


@pytest.mark.parametrize(("text", "bare", "seconds"), READ)
def test_read(text, bare, seconds):
    assert durations.read(text, bare=bare) == seconds


@pytest.mark.parametrize(("seconds", "hours", "text"), WRITE)
def test_write_and_read_back(seconds, hours, text):
    assert durations.write(seconds, hours=hours) == text
    if seconds is not None:
        assert durations.read(text) == round(seconds)


def test_the_import_and_the_form_follow_the_rule():
    assert parse_runtime("12") == parse_duration("12") == 720
    assert parse_runtime("750", unit=1) == 750  # a column whose header names seconds
    assert parse_runtime("12分30秒") == parse_duration("12分30秒") == 750
    assert parse_runtime(format_runtime(4000)) == 4000 and format_runtime(750) == "0:12:30"
    assert duration(750) == "12:30"
    for bad in ("abc", "12:75"):
        with pytest.raises(ValueError, match="not a"):
            parse_runtime(bad)
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)
    assert "longer than 10 hours" in runtime_problem(parse_runtime("601"))  # 601 minutes: over a film's limit
    with pytest.raises(ValueError, match="negative"):
        parse_duration("-5")


@pytest.mark.browser
def test_the_browser_copy_reads_and_writes_the_same(browser):
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>durations</title>")
        page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
        read = page.evaluate(
            "cases => cases.map(([text, bare]) => window.showcaseDurations.read(text, bare))",
            [[text, bare] for text, bare, _ in READ],
        )
        written = page.evaluate(
            "cases => cases.map(([s, hours]) => window.showcaseDurations.write(s, hours))",
            [[seconds, hours] for seconds, hours, _ in WRITE],
        )
    finally:
        page.close()
    assert read == [seconds for _, _, seconds in READ]
    assert written == [text for _, _, text in WRITE]
