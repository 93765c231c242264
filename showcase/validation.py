"""Small checks shared by every domain's services."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from werkzeug.routing import IntegerConverter
from wtforms.validators import StopValidation

from showcase.errors import ValidationFailed
from showcase.i18n import translate
from showcase.messages import N_

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The largest id a PostgreSQL `integer` column holds: no row has a larger one, and a larger number must never
# reach SQL (SQLite overflows above 2**63, PostgreSQL refuses to store it in a reference).
MAX_ID = 2**31 - 1


def whole_number(text: object, *, maximum: int) -> int | None:
    """A whole number from 0 to `maximum` written in ASCII digits; None for anything else.

    str.isdigit() is not enough: it accepts "²" (int() then fails) and "٣" (int() reads 3).
    """
    text = str(text if text is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def parse_id(text: object) -> int | None:
    """A database id (1 to MAX_ID in ASCII digits) from text; None for anything else, so nothing matches."""
    value = whole_number(text, maximum=MAX_ID)
    return value if value else None


def optional_id(value: object) -> int | None:
    """A select field's coerce for an id that may be empty: None for "" or "None"; ValueError for garbage."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    found = parse_id(value)
    if found is None:
        raise ValueError(N_("%(value)s is not a valid choice.", value=repr(value)))
    return found


class IdConverter(IntegerConverter):
    """The `int` of our routes: ASCII digits up to MAX_ID, so a 30-digit or Unicode-digit id answers 404."""

    regex = r"[0-9]{1,10}"

    def __init__(
        self,
        map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,  # noqa: A002
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


class Checker:
    """Collects every problem with one input, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(self, field: str, value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
        value = (value or "").strip()
        if required and not value:
            self.fail(field, N_("%(label)s is required.", label=label))
        elif len(value) > max_length:
            self.fail(
                field, N_("%(label)s is longer than %(max_length)s characters.", label=label, max_length=max_length)
            )
        return value

    def choice(self, field: str, value: str, *, label: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(field, N_("%(label)s must be one of: %(choices)s.", label=label, choices=", ".join(choices)))
        return value

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def normalise_email(value: str) -> str:
    """A syntactically valid address, lower-cased; ValueError otherwise."""
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc


FIRST_YEAR, LAST_YEAR = 1900, 2200  # festival dates: far wider than any edition, far inside what datetime holds


class FestivalYear:
    """WTForms validator: a date between FIRST_YEAR and LAST_YEAR (year 1 or 9999 is a typing slip)."""

    def __call__(self, form, field) -> None:
        if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            label = str(field.label.text)  # the form's label, already in the reader's language
            message = N_(
                "%(label)s must be a date between %(first)s and %(last)s.",
                label=label,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
            raise StopValidation(translate(message))


def outside_days(moment: datetime, first: date, last: date, *, label: str, night_after: bool = False) -> str | None:
    """Why a wall-clock time is not on the days first–last (or the night after them, for the end of a late
    session), or None when it is."""
    if first <= moment.date() <= last + timedelta(days=1 if night_after else 0):
        return None
    days = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
    return f"{label} must be on a day of the festival ({days}{', or the night after' if night_after else ''})."


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    """True for an IANA time zone name such as 'Asia/Shanghai'."""
    return name in _zones()


def slugify(text: str, *, fallback: str = "item") -> str:
    """A URL slug from ASCII letters and digits; `fallback` when the text has none (e.g. Chinese)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or fallback
