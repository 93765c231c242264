"""Guest-facing pages: no login, no cookies, nothing written on the request path."""

from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, request, send_from_directory

from showcase.auth.access import requires
from showcase.awards.services import public_categories
from showcase.db import utcnow
from showcase.guests import queries
from showcase.guests.caching import GUEST_MAX_AGE, cacheable, lang, render_guest, render_html
from showcase.guests.film_page import load_film_page
from showcase.guests.on_stage import live_max_age, on_stage
from showcase.guests.picks import CODE_RE, BadPicks, parse_picks, picked_sessions
from showcase.guests.present import Words, schedule_days
from showcase.guests.previews import preview_jpeg, preview_of
from showcase.guests.render_cache import ready_film_page, ready_page, render_from_data
from showcase.schedule.people import stage_people

# Poster files have server-generated names only: 32 hex characters and an image extension.
POSTER_NAME = re.compile(r"^[0-9a-f]{32}\.(webp|jpg|png)$")
POSTER_MAX_AGE = 7 * 24 * 3600  # names change whenever the image does, so they can be cached long
PREVIEW_MAX_AGE = 7 * 24 * 3600  # a preview's ?v= changes whenever what it shows does


def _send_poster(folder: str, name: str):
    if not POSTER_NAME.match(name):
        abort(404)
    directory = Path(current_app.config["UPLOAD_ROOT"]) / folder
    response = send_from_directory(directory, name, max_age=POSTER_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={POSTER_MAX_AGE}, immutable"
    return response


@requires("public")
def poster(name: str):
    return _send_poster("posters", name)


@requires("public")
def poster_thumb(name: str):
    return _send_poster("posters/thumbs", name)


def poster_name(path: str | None) -> str | None:
    """The public file name of a film's poster, when it has a server-generated one."""
    name = Path(path).name if path else ""
    return name if POSTER_NAME.match(name) else None


def not_found(festival=None):
    """The friendly 404 page of the guest site."""
    return render_guest("guests/not_found.html", status=404, w=Words(lang(), festival), festival=festival)


@requires("public")
@ready_page
def list_festivals():
    return render_guest(
        "guests/list_festivals.html", w=Words(lang()), festival=None, festivals=queries.published_festivals()
    )


@requires("public")
@ready_film_page
def show_film(code: str):
    code = code.strip().lower()  # printed in lower case, often typed in upper case
    page = load_film_page(code) if CODE_RE.match(code) else None
    if page is None:
        return not_found()
    words = Words(lang(), page.festival, prizes=page.prizes)
    if page.film.status == queries.WITHDRAWN:
        # Printed codes never break: a friendly page that names nothing of the film.
        return render_guest("guests/withdrawn.html", status=410, w=words, festival=page.festival)
    poster = poster_name(page.film.poster_path)
    preview = preview_of(page.film, page.festival, poster)
    return render_from_data(
        "guests/show_film.html",
        data=(page.data(), preview.version),
        max_age=live_max_age(page.festival.id, otherwise=GUEST_MAX_AGE),
        w=words,
        festival=page.festival,
        page=page,
        film=page.film,
        poster=poster,
        preview=preview,
    )


@requires("public")
def film_preview(code: str):
    """The film's link-preview JPEG, for the film pages that exist (the same loader, the same 404 and 410)."""
    code = code.strip().lower()
    page = load_film_page(code) if CODE_RE.match(code) else None
    if page is None:
        return not_found()
    if page.film.status == queries.WITHDRAWN:
        return render_guest("guests/withdrawn.html", status=410, w=Words(lang(), page.festival), festival=page.festival)
    preview = preview_of(page.film, page.festival, poster_name(page.film.poster_path))
    # The page names the image by its version (?v=), so a changed image has a new URL: a long max-age
    # is safe. An older ?v= (a share from before the change) answers with today's image; the ETag is
    # the version, so a cache that revalidates learns of the change.
    response = current_app.response_class(preview_jpeg(preview), mimetype="image/jpeg")
    response.headers["Cache-Control"] = f"public, max-age={PREVIEW_MAX_AGE}"
    response.set_etag(preview.version)
    return response.make_conditional(request)


@requires("public")
@ready_page
def show_festival(slug: str):
    festival = queries.published_festival(slug)
    if festival is None:
        return not_found()
    now = utcnow()
    stage = on_stage(festival.id, now=now)
    page = render_html(
        "guests/show_festival.html",
        w=Words(lang(), festival),
        festival=festival,
        on_stage=stage,
        categories=public_categories(festival, now=now),
        films=queries.programme_films(festival),
    )
    return cacheable(page, mimetype="text/html", max_age=live_max_age(festival.id, otherwise=GUEST_MAX_AGE))


@requires("public")
@ready_page
def show_schedule(slug: str):
    festival = queries.published_festival(slug)
    if festival is None:
        return not_found()
    words = Words(lang(), festival)
    sessions = queries.public_sessions(festival)
    return render_guest(
        "guests/show_schedule.html",
        max_age=live_max_age(festival.id, otherwise=GUEST_MAX_AGE),
        w=words,
        festival=festival,
        days=schedule_days(sessions, words),
        films=queries.films_by_session(festival, sessions),
        people=stage_people(s.id for s in sessions),
    )


@requires("public")
def show_favourites(slug: str):
    festival = queries.published_festival(slug)
    if festival is None:
        return not_found()
    words = Words(lang(), festival)
    try:
        picks = parse_picks(request.args)
    except BadPicks as exc:
        return render_guest("guests/bad_request.html", status=400, w=words, festival=festival, message=str(exc))
    sessions = picked_sessions(festival, picks)
    return render_guest(
        "guests/show_favourites.html",
        w=words,
        festival=festival,
        picks=picks,
        sessions=sessions,
        films=queries.films_by_session(festival, sessions),
        people=stage_people(s.id for s in sessions),
        starred=queries.films_by_codes(festival, list(picks.film_codes)),
    )
