"""Calendar feeds and the sitemap: the same hiding rules as the pages, the same caching."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from showcase.auth.access import requires
from showcase.awards.services import public_awards_for_films
from showcase.festivals.models import Festival
from showcase.guests import queries
from showcase.guests.caching import (
    FEED_MAX_AGE,
    cacheable,
    guest_url_for,
    lang,
    public_base,
    render_guest,
    render_html,
)
from showcase.guests.feeds import build_calendar
from showcase.guests.on_stage import live_max_age
from showcase.guests.picks import BadPicks, parse_picks, picked_sessions
from showcase.guests.present import Words
from showcase.guests.views import not_found
from showcase.schedule.models import ScheduleSession

ICS = "text/calendar"


def _session_url(festival: Festival):
    base = public_base(festival.public_base_url)

    def url(session: ScheduleSession) -> str:
        return guest_url_for(
            "guests.show_schedule", slug=festival.slug, _external=True, _base=base, _anchor=f"session-{session.id}"
        )

    return url


def _calendar(festival: Festival, sessions: list[ScheduleSession], *, name: str, uid: str, filename: str):
    words = Words(lang(), festival)
    films = queries.films_by_session(festival, sessions)
    body = build_calendar(
        festival,
        sessions,
        films=films,
        awards=public_awards_for_films(film.id for listed in films.values() for film in listed),
        words=words,
        name=name,
        uid=f"{uid}@{festival.slug}.showcase",
        session_url=_session_url(festival),
    )
    return cacheable(
        body,
        mimetype=ICS,
        max_age=live_max_age(festival.id, otherwise=FEED_MAX_AGE),
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@requires("public")
def festival_calendar(slug: str):
    """The whole public programme, or a guest's picks with ?sessions=1,2&films=code."""
    festival = queries.published_festival(slug)
    if festival is None:
        return not_found()
    words = Words(lang(), festival)
    name = words.text(festival, "name")
    try:
        picks = parse_picks(request.args)
    except BadPicks as exc:
        return render_guest("guests/bad_request.html", status=400, w=words, festival=festival, message=str(exc))
    if picks:
        return _calendar(
            festival,
            picked_sessions(festival, picks),
            name=_("%(name)s · my favourites", name=name),
            uid="favourites",
            filename=f"{festival.slug}-favourites.ics",
        )
    return _calendar(
        festival, queries.public_sessions(festival), name=name, uid="programme", filename=f"{festival.slug}.ics"
    )


@requires("public")
def screen_calendar(slug: str, screen_id: int):
    festival = queries.published_festival(slug)
    screen = next((s for s in festival.screens if s.id == screen_id), None) if festival else None
    if screen is None:
        return not_found(festival)
    words = Words(lang(), festival)
    return _calendar(
        festival,
        queries.public_sessions(festival, screen_id=screen.id),
        name=f"{words.text(festival, 'name')} · {words.place(screen)}",
        uid=f"screen-{screen.id}",
        filename=f"{festival.slug}-screen-{screen.id}.ics",
    )


@requires("public")
def session_calendar(slug: str, session_id: int):
    festival = queries.published_festival(slug)
    sessions = queries.public_sessions(festival, session_ids=[session_id]) if festival else []
    if not sessions:
        return not_found(festival)
    return _calendar(
        festival,
        sessions,
        name=Words(lang(), festival).text(sessions[0], "title"),
        uid=f"calendar-session-{session_id}",
        filename=f"{festival.slug}-session-{session_id}.ics",
    )


@requires("public")
def sitemap():
    body = render_html("guests/sitemap.xml", festivals=queries.published_festivals(), films=queries.sitemap_films())
    return cacheable(body, mimetype="application/xml", max_age=FEED_MAX_AGE)
