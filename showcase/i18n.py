"""Languages: Chinese and English, chosen per request, never remembered in a cookie.

Guests: `?lang=`, else the browser's Accept-Language, else Chinese. Staff: the language stored with
the signed-in account, else the browser's, else English. The command line stays English.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from flask import Flask, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from showcase.extensions import babel

LANGUAGES = ("zh", "en")
GUEST_BLUEPRINTS = frozenset({"guests"})

# Dates with names on staff pages (CLDR patterns): in English as they always read, in Chinese as a
# Shanghai team writes them. Dates in figures only (2026-12-12 19:30) read the same in both.
DATE_PATTERNS = {
    "day": {"en": "EEE dd MMM", "zh": "M月d日 EEE"},
    "day_year": {"en": "EEE dd MMM yyyy", "zh": "yyyy年M月d日 EEE"},
    "long_day": {"en": "EEEE dd MMMM yyyy", "zh": "yyyy年M月d日 EEEE"},
    "day_time": {"en": "EEE dd MMM HH:mm", "zh": "M月d日 EEE HH:mm"},
    "day_year_time": {"en": "EEE dd MMM yyyy, HH:mm", "zh": "yyyy年M月d日 EEE HH:mm"},
}


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it: for a service's words that the view
    translates in the request's language (the command line shows them as they are, in English)."""
    return message


def guest_locale() -> str:
    """`?lang=` when given, else the best match of the browser's Accept-Language, else Chinese."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "zh"


def staff_locale() -> str:
    """The signed-in user's chosen language, else the best match of the browser's, else English."""
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def select_locale() -> str:
    if not has_request_context():
        return "en"  # the command line, and work outside a request, stay English
    if request.blueprint in GUEST_BLUEPRINTS:
        return guest_locale()
    return staff_locale()


def current_language() -> str:
    """'zh' or 'en': the language this request is shown in."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "en"


def worded(value: date | datetime | None, style: str, festival=None) -> str:
    """A date (or an aware datetime, on the festival's wall clock) with its day and month named in the
    language of this request; `style` is a key of DATE_PATTERNS."""
    if value is None:
        return ""
    language = current_language()
    pattern = DATE_PATTERNS[style][language]
    if isinstance(value, datetime):
        zone = festival.zone if festival is not None else value.tzinfo
        return format_datetime(value, pattern, tzinfo=zone, locale=language)
    return format_date(value, pattern, locale=language)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["ui_language"] = current_language
    app.jinja_env.filters["worded"] = worded
