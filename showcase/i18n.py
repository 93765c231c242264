"""Languages: Chinese and English, chosen per request, never remembered in a cookie.

Guests: `?lang=`, else the browser's Accept-Language, else Chinese. Staff: the language stored with
the signed-in account, else the browser's, else English. The command line stays English.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from flask import Flask, has_app_context, has_request_context, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from showcase.extensions import babel
from showcase.labels import labels_of
from showcase.messages import N_, Message

__all__ = ["N_", "Message", "message_data", "script_words", "translate", "worded"]

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


def translate(message: object) -> str:
    """A message in the request's language: a Message by its template (its Message parameters too), any
    other text looked up as it is. Outside a request (the command line, jobs) English, unless a command
    forces a language (flask_babel.force_locale, e.g. `showcase programme cue-sheet --language zh`)."""
    if not has_app_context():
        return str(message)
    if isinstance(message, Message):
        params = {k: translate(v) if isinstance(v, Message) else v for k, v in message.params.items()}
        return gettext(message.template, **params) if params else gettext(message.template)
    return gettext(str(message)) if message else ""


def message_data(message: object) -> dict[str, Any]:
    """A message for a page's script to word in its reader's language: the English text, and the
    template and parameters when it has them (static/js/words.js looks the template up)."""
    if isinstance(message, Message):
        params = {k: str(v) if isinstance(v, str) else v for k, v in message.params.items()}
        return {"text": str(message), "template": message.template, "params": params}
    return {"text": str(message)}


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
    app.jinja_env.globals["translate"] = translate  # a service's message (showcase.i18n.Message) in words


def script_words(messages: Iterable[str], labels: Iterable[str] = ()) -> dict[str, Any]:
    """The words a page's scripts write, for its JSON block (static/js/words.js): each English message
    (its `%(name)s` left for the script to fill) with its translation, and the labels of `labels`' kinds."""
    words: dict[str, Any] = {str(m): translate(Message(m.template) if isinstance(m, Message) else m) for m in messages}
    words["labels"] = {kind: labels_of(kind) for kind in labels}
    return words
