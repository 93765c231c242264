"""Languages: Chinese and English, chosen per request, never remembered in a cookie."""

from __future__ import annotations

from flask import Flask, request

from showcase.extensions import babel

LANGUAGES = ("zh", "en")


def select_locale() -> str:
    """`?lang=` when given, else the best match of the browser's Accept-Language, else Chinese."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "zh"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)
