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
    digits = unicodedata.normalize("NFKC", value).strip().removesuffix("年").strip()
    if not digits:
        return None
    if not _YEAR.fullmatch(digits):
        raise ValueError(f'"{value}" is not a year; write it like 2024.')
    return int(digits)


def status(value: str) -> str:
    return value.casefold() or "submitted"


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
