"""Small checks shared by every domain's services."""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

from showcase.errors import ValidationFailed

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Checker:
    """Collects every problem with one input, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(self, field: str, value: str | None, *, label: str, max_length: int,
             required: bool = True) -> str:
        value = (value or "").strip()
        if required and not value:
            self.fail(field, f"{label} is required.")
        elif len(value) > max_length:
            self.fail(field, f"{label} is longer than {max_length} characters.")
        return value

    def choice(self, field: str, value: str, *, label: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(field, f"{label} must be one of: {', '.join(choices)}.")
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
