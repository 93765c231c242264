"""Guest-facing pages: no login, no cookies, nothing written on the request path."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

from showcase.auth.access import requires

bp = Blueprint("guests", __name__)

# Poster files have server-generated names only: 32 hex characters and an image extension.
POSTER_NAME = re.compile(r"^[0-9a-f]{32}\.(webp|jpg|png)$")
POSTER_MAX_AGE = 7 * 24 * 3600  # names change whenever the image does, so they can be cached long


def _send_poster(folder: str, name: str):
    if not POSTER_NAME.match(name):
        abort(404)
    directory = Path(current_app.config["UPLOAD_ROOT"]) / folder
    response = send_from_directory(directory, name, max_age=POSTER_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={POSTER_MAX_AGE}, immutable"
    return response


@bp.get("/posters/<name>")
@requires("public")
def poster(name: str):
    return _send_poster("posters", name)


@bp.get("/posters/thumbs/<name>")
@requires("public")
def poster_thumb(name: str):
    return _send_poster("posters/thumbs", name)
