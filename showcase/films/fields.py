"""What a film's fields may hold, written once: the film table sizes its columns from these rules, the
services apply them to every write (the film form, the CSV import, the demo), and their messages are
the ones staff read. Pure: no database, no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from showcase.messages import N_, Message
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

    label: Message
    max_length: int
    required: bool = False

    def problem(self, value: str) -> Message | None:
        """Why `value` (already stripped) does not fit, or None."""
        if self.required and not value:
            return N_("%(label)s is required.", label=self.label)
        if len(value) > self.max_length:
            return N_(
                "%(label)s is %(length)s characters long; the limit is %(limit)s.",
                label=self.label,
                length=len(value),
                limit=self.max_length,
            )
        return None


FILM_TEXT = {
    "title": TextRule(N_("Original title"), 500, required=True),
    "title_en": TextRule(N_("English title"), 500),
    "synopsis": TextRule(N_("Synopsis"), 20000),
    "synopsis_en": TextRule(N_("English synopsis"), 20000),
    "country": TextRule(N_("Country"), 100),
    "language": TextRule(N_("Language"), 100),
    "subtitles": TextRule(N_("Subtitles"), 100),
    "content_advisory": TextRule(N_("Content advisory"), 300),
    "external_id": TextRule(N_("Submission id"), 100),
}
PERSON_NAME = TextRule(N_("Person's name"), 200, required=True)
PERSON_NAME_EN = TextRule(N_("English name"), 200)
DIRECTOR_NAME = TextRule(N_("Director's name"), PERSON_NAME.max_length, required=True)
SLUG_LENGTH = 120
EMAIL_LENGTH = 254
ROLE_LENGTH = 40
MAX_RUNTIME_SECONDS = 10 * 3600
FIRST_FILM_YEAR = 1888  # the oldest surviving film


def runtime_problem(seconds: object) -> Message | None:
    """Why a running time in seconds is not one a film can have, or None."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return N_("The running time must be a whole number of seconds above zero.")
    if seconds > MAX_RUNTIME_SECONDS:
        return N_(
            "The running time is longer than %(hours)s hours: check the value.", hours=MAX_RUNTIME_SECONDS // 3600
        )
    return None


def latest_year(today: date | None = None) -> int:
    """Films of next year are accepted: a festival takes entries before their release."""
    return (today or date.today()).year + 1


def year_problem(year: int | None, *, today: date | None = None) -> Message | None:
    """Why a production year is not plausible, or None (no year is fine)."""
    if year is None:
        return None
    latest = latest_year(today)
    if not FIRST_FILM_YEAR <= year <= latest:
        return N_(
            "%(year)s is not a plausible year: it must be between %(first)s and %(last)s.",
            year=year,
            first=FIRST_FILM_YEAR,
            last=latest,
        )
    return None


def status_problem(status: str) -> Message | None:
    if status not in FILM_STATUSES:
        return N_(
            '"%(status)s" is not a status; use one of: %(statuses)s.', status=status, statuses=", ".join(FILM_STATUSES)
        )
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
        raise ValueError(N_('"%(value)s" holds more than one address; keep one.', value=value))
    local = value.partition("@")[0]
    if len(value) > EMAIL_LENGTH or len(local) > 64 or not _EMAIL.fullmatch(value):
        raise ValueError(N_('"%(value)s" is not a valid e-mail address like name@example.com.', value=value))
    if value.isascii():
        return value.lower()
    try:
        return normalise_email(value)
    except ValueError:
        raise ValueError(N_('"%(value)s" is not a valid e-mail address like name@example.com.', value=value)) from None
