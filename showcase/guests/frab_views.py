"""The public schedule for schedule apps, as schedule.xml (frab/c3voc) and schedule.json.

The same festival, sessions, films and awards as the guest schedule page and the calendar feeds (the
same queries), the same 404s, the same caching (an ETag from the bytes, a 304 when unchanged, a short
max-age while a show runs live). The language is the guest pages' (`?lang=zh|en`, else the
Accept-Language header, else Chinese); apps send no Accept-Language, so they get Chinese unless the
URL they were given says `?lang=en`.
"""

from __future__ import annotations

from showcase.auth.access import requires
from showcase.awards.services import public_awards_for_films
from showcase.guests import frab, queries
from showcase.guests.caching import FEED_MAX_AGE, cacheable, guest_url_for, lang, public_base
from showcase.guests.on_stage import live_max_age
from showcase.guests.present import Words
from showcase.guests.views import not_found
from showcase.schedule.people import stage_people

FORMATS = {"xml": "application/xml", "json": "application/json"}


def _links(festival, language: str) -> frab.Links:
    base = public_base(festival.public_base_url)

    def url(endpoint: str, **values) -> str:
        return guest_url_for(endpoint, _external=True, _base=base, lang=language, **values)

    return frab.Links(
        base=base,
        festival=url("guests.show_festival", slug=festival.slug),
        schedule=url("guests.show_schedule", slug=festival.slug),
        film=lambda film: url("guests.show_film", code=film.code),
    )


def _schedule(slug: str, form: str):
    festival = queries.published_festival(slug)
    if festival is None:
        return not_found()
    words = Words(lang(), festival)
    sessions = queries.public_sessions(festival)
    films = queries.films_by_session(festival, sessions)
    listed = [film for shown in films.values() for film in shown]
    published = frab.Published(
        festival=festival,
        sessions=sessions,
        films=films,
        awards=public_awards_for_films(film.id for film in listed),
        credits=frab.credits_by_film(listed),
        people=stage_people(s.id for s in sessions),
    )
    links = _links(festival, words.lang)
    document = frab.build_schedule(published, words=words, links=links)
    if form == "xml":
        own = guest_url_for("guests.schedule_xml", _external=True, _base=links.base, slug=slug, lang=words.lang)
        body = frab.to_xml(document, url=own)
    else:
        body = frab.to_json(document)
    return cacheable(
        body,
        mimetype=FORMATS[form],
        max_age=live_max_age(festival.id, otherwise=FEED_MAX_AGE),
        headers={"Content-Disposition": f'inline; filename="{festival.slug}-schedule.{form}"'},
    )


@requires("public")
def schedule_xml(slug: str):
    return _schedule(slug, "xml")


@requires("public")
def schedule_json(slug: str):
    return _schedule(slug, "json")
