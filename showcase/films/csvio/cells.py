"""Reading one cell into a value, and writing a value back into a cell a spreadsheet will not run.

A reader raises ValueError saying why the cell cannot be read; whether the value it reads is allowed
is for showcase.films.fields to say.
"""

from __future__ import annotations

import re
import unicodedata

from showcase import durations

RUNTIME_HELP = f"write it as {durations.HELP}"
_DIRECTOR_SEPARATORS = re.compile(r"\s*(?:[,;、/，；／]|\s+and\s+)\s*", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_YEAR_IN_DATE = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)
# A date as spreadsheets and FilmFreeway write it: digits, month names, and - / . , : T 年 月 日 and spaces.
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october")
_MONTHS += ("november", "december")
_DATE = re.compile(
    r"(?:\d{1,4}|" + "|".join(name for month in _MONTHS for name in (month, month[:3])) + r"|sept|t|[\s\-/.,:年月日])+",
    re.ASCII | re.IGNORECASE,
)
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def parse_runtime(value: str, *, unit: int = 60) -> int | None:
    """Seconds from a runtime cell (showcase.durations: a bare number is minutes); None when blank.

    `unit` is what a bare number stands for: 60, or 1 under a header that names seconds
    ("duration_seconds", "时长（秒）"). ValueError with a clear message when it is not a running time.
    """
    if not (value or "").strip():
        return None
    seconds = durations.read(value, bare=unit)
    if seconds is None:
        raise ValueError(f'"{value}" is not a running time; {RUNTIME_HELP}.')
    return seconds


def format_runtime(seconds: int) -> str:
    """'H:MM:SS' — unambiguous to people, and read back by parse_runtime."""
    return durations.write(seconds, hours=True)


def text(value: str) -> str:
    return value


def required_text(value: str) -> str:
    if not value:
        raise ValueError("is empty, and it is required.")
    return value


def directors(value: str) -> tuple[str, ...]:
    """Names split on commas, semicolons, 、, slashes and "and" (any width), each once."""
    return tuple(dict.fromkeys(name for name in _DIRECTOR_SEPARATORS.split(value.strip()) if name))


def year(value: str) -> int | None:
    """A year, or the year of a date ("2024-05-01", "May 1, 2024", "2024年5月"): FilmFreeway gives a completion date."""
    digits = unicodedata.normalize("NFKC", value).strip().removesuffix("年").strip()
    if not digits:
        return None
    if _YEAR.fullmatch(digits):
        return int(digits)
    years = _YEAR_IN_DATE.findall(digits)
    if len(years) == 1 and _DATE.fullmatch(digits):
        return int(years[0])
    raise ValueError(f'"{value}" is not a year; write it like 2024.')


# The words festivals and submission platforms use for a film's state, by the status showcase gives it.
# Showcase has no "not selected": such films stay "submitted" (the preview shows every word it read).
STATUS_WORDS = {
    "submitted": (
        "submitted",
        "undecided",
        "inconsideration",
        "incomplete",
        "complete",
        "pending",
        "received",
        "notselected",
        "rejected",
        "declined",
        "已报名",
        "已提交",
        "报名",
        "待审",
        "待审核",
        "审核中",
        "评审中",
        "待定",
        "初审",
        "未入选",
        "落选",
        "未通过",
        "淘汰",
    ),
    "shortlisted": (
        "shortlisted",
        "shortlist",
        "quarterfinalist",
        "semifinalist",
        "finalist",
        "nominee",
        "nominated",
        "入围",
        "已入围",
        "初审通过",
        "复审",
        "复审通过",
        "提名",
        "决赛",
        "入围决赛",
    ),
    "selected": (
        "selected",
        "officialselection",
        "accepted",
        "honorablemention",
        "honourablemention",
        "入选",
        "已入选",
        "展映",
        "入选展映",
        "官方入选",
        "荣誉提名",
    ),
    "winner": (
        "winner",
        "awardwinner",
        "won",
        "获奖",
        "已获奖",
        "得奖",
        "大奖",
        "一等奖",
        "二等奖",
        "三等奖",
        "优秀奖",
    ),
    "withdrawn": (
        "withdrawn",
        "withdrew",
        "disqualified",
        "cancelled",
        "canceled",
        "退赛",
        "已退赛",
        "撤回",
        "已撤回",
        "弃权",
        "取消",
        "取消资格",
    ),
}
_STATUS_BY_WORD = {word: name for name, words in STATUS_WORDS.items() for word in words}


def status_key(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value).casefold() if ch.isalnum())


def status(value: str) -> str:
    """Our status for a status word in English or Chinese ("Finalist", "入围"); an unknown word casefolded,
    for the film services to refuse; "submitted" when blank."""
    return _STATUS_BY_WORD.get(status_key(value)) or value.casefold() or "submitted"


# A plain negative number ("-1", "-2.5") is a number to every spreadsheet, never a formula: it is left as it is.
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?", re.ASCII)


def unneutralise(cell: str) -> str:
    """A cell's value without the apostrophe our export puts (or once put, before "-1") before formula-like text."""
    cell = cell.strip()
    if cell.startswith("'") and _starts_like_formula(cell[1:]):
        cell = cell[1:].strip()
    return cell


def neutralise(cell: str) -> str:
    """The cell with a leading apostrophe when a spreadsheet would otherwise read it as a formula."""
    return "'" + cell if _formula_like(cell) else cell


def _starts_like_formula(cell: str) -> bool:
    return cell.startswith(_TRIGGERS) or cell.lstrip().startswith(_TRIGGERS)


def _formula_like(cell: str) -> bool:
    return _starts_like_formula(cell) and not _NEGATIVE_NUMBER.fullmatch(cell)
