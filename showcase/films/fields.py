"""What a film's fields may hold, written once: the film table sizes its columns from these rules, the
services apply them to every write (the film form, the CSV import, the demo), and their messages are
the ones staff read. Pure: no database, no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from showcase.validation import normalise_email

FILM_STATUSES = ("submitted", "shortlisted", "selected", "winner", "withdrawn")
CREDIT_ROLES = (
    "director",
    "writer",
    "producer",
    "designer",
    "composer",
    "editor",
    "cinematographer",
    "animator",
    "sound",
    "cast",
    "other",
)


@dataclass(frozen=True, slots=True)
class TextRule:
    """A text field: its label in messages, its longest value, whether it may be empty."""

    label: str
    max_length: int
    required: bool = False

    def problem(self, value: str) -> str | None:
        """Why `value` (already stripped) does not fit, or None."""
        if self.required and not value:
            return f"{self.label} is required."
        if len(value) > self.max_length:
            return f"{self.label} is {len(value)} characters long; the limit is {self.max_length}."
        return None


FILM_TEXT = {
    "title": TextRule("Original title", 500, required=True),
    "title_en": TextRule("English title", 500),
    "synopsis": TextRule("Synopsis", 20000),
    "synopsis_en": TextRule("English synopsis", 20000),
    "country": TextRule("Country", 100),
    "language": TextRule("Language", 100),
    "subtitles": TextRule("Subtitles", 100),
    "content_advisory": TextRule("Content advisory", 300),
    "external_id": TextRule("Submission id", 100),
}
PERSON_NAME = TextRule("Person's name", 200, required=True)
PERSON_NAME_EN = TextRule("English name", 200)
DIRECTOR_NAME = TextRule("Director's name", PERSON_NAME.max_length, required=True)
SLUG_LENGTH = 120
EMAIL_LENGTH = 254
ROLE_LENGTH = 40
MAX_RUNTIME_SECONDS = 10 * 3600
FIRST_FILM_YEAR = 1888  # the oldest surviving film


def runtime_problem(seconds: object) -> str | None:
    """Why a running time in seconds is not one a film can have, or None."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return "The running time must be a whole number of seconds above zero."
    if seconds > MAX_RUNTIME_SECONDS:
        return f"The running time is longer than {MAX_RUNTIME_SECONDS // 3600} hours: check the value."
    return None


def latest_year(today: date | None = None) -> int:
    """Films of next year are accepted: a festival takes entries before their release."""
    return (today or date.today()).year + 1


def year_problem(year: int | None, *, today: date | None = None) -> str | None:
    """Why a production year is not plausible, or None (no year is fine)."""
    if year is None:
        return None
    latest = latest_year(today)
    if not FIRST_FILM_YEAR <= year <= latest:
        return f"{year} is not a plausible year: it must be between {FIRST_FILM_YEAR} and {latest}."
    return None


def status_problem(status: str) -> str | None:
    if status not in FILM_STATUSES:
        return f'"{status}" is not a status; use one of: {", ".join(FILM_STATUSES)}.'
    return None


_EMAIL_CHARS = r"[^@\s,;:<>()\[\]\\\".]+"
_EMAIL = re.compile(
    rf"{_EMAIL_CHARS}(?:\.{_EMAIL_CHARS})*@(?:[^\W_](?:[\w-]{{0,61}}[^\W_])?\.)+(?:[^\W\d_]{{2,}}|xn--[\w-]+)"
)


def clean_email(value: str) -> str:
    """One contact address, lower-cased; "" for none; ValueError saying what is wrong.

    The shape is checked here; an ASCII address of that shape is then only lower-cased (the full
    check costs a fifth of a second over a 2,300-row import), any other goes through the full check.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if any(mark in value for mark in ",;") or value.count("@") > 1:
        raise ValueError(f'"{value}" holds more than one address; keep one.')
    local = value.partition("@")[0]
    if len(value) > EMAIL_LENGTH or len(local) > 64 or not _EMAIL.fullmatch(value):
        raise ValueError(f'"{value}" is not a valid e-mail address like name@example.com.')
    if value.isascii():
        return value.lower()
    try:
        return normalise_email(value)
    except ValueError:
        raise ValueError(f'"{value}" is not a valid e-mail address like name@example.com.') from None
