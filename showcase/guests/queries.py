"""Read-only loading for guest pages: only what staff have published, in few queries.

Unpublished festivals, private sessions, withdrawn films and embargoed awards never leave this
module (embargo rule: showcase.awards.services). The film page, the one hit by a scan surge, has
its own faster statements with the same rules in film_page.py; tests/showcase/guests/test_leaks.py
checks every page and feed against every hidden state.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from showcase.awards.models import Award
from showcase.db import utcnow
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.films.models import Film
from showcase.schedule.models import RunningOrderItem, ScheduleSession

WITHDRAWN = "withdrawn"
HEARTBEAT_FRESH = timedelta(seconds=90)  # a kiosk silent for longer is not "now playing" anything


def published_festival(slug: str) -> Festival | None:
    """The published festival with this slug, its venues and screens loaded."""
    return db.session.scalar(
        select(Festival).where(Festival.slug == slug, Festival.published)
        .options(selectinload(Festival.venues).selectinload(Venue.screens)))


def published_festivals() -> list[Festival]:
    """Every published festival, newest first."""
    return list(db.session.scalars(
        select(Festival).where(Festival.published).order_by(Festival.start_date.desc(), Festival.id)))


def public_sessions(festival: Festival, *, screen_id: int | None = None,
                    session_ids: list[int] | None = None) -> list[ScheduleSession]:
    """The festival's public sessions in time order, screen and venue loaded."""
    query = (select(ScheduleSession)
             .where(ScheduleSession.festival_id == festival.id, ScheduleSession.public)
             .options(joinedload(ScheduleSession.screen).joinedload(Screen.venue))
             .order_by(ScheduleSession.starts_at, ScheduleSession.id))
    if screen_id is not None:
        query = query.where(ScheduleSession.screen_id == screen_id)
    if session_ids is not None:
        query = query.where(ScheduleSession.id.in_(session_ids))
    return list(db.session.scalars(query))


def sessions_showing(film: Film, *, now: datetime | None = None) -> list[ScheduleSession]:
    """Public sessions of the film's festival that show it and have not ended, soonest first."""
    showing = select(RunningOrderItem.session_id).where(RunningOrderItem.film_id == film.id)
    return list(db.session.scalars(
        select(ScheduleSession)
        .where(ScheduleSession.festival_id == film.festival_id, ScheduleSession.public,
               ScheduleSession.ends_at > (now or utcnow()), ScheduleSession.id.in_(showing))
        .options(joinedload(ScheduleSession.screen).joinedload(Screen.venue))
        .order_by(ScheduleSession.starts_at, ScheduleSession.id)))


def session_ids_showing(film_codes: list[str], festival: Festival) -> list[int]:
    """Ids of the public sessions that show any of these (not withdrawn) films."""
    if not film_codes:
        return []
    return list(db.session.scalars(
        select(RunningOrderItem.session_id).distinct().join(Film, RunningOrderItem.film_id == Film.id)
        .join(ScheduleSession, RunningOrderItem.session_id == ScheduleSession.id)
        .where(Film.code.in_(film_codes), Film.festival_id == festival.id, Film.status != WITHDRAWN,
               ScheduleSession.public)))


def films_by_session(sessions: list[ScheduleSession], *, now: datetime | None = None) -> dict[int, list[Film]]:
    """The not-withdrawn films of each session's running order.

    Running order when it gives nothing away; by title in a session whose running order holds an
    embargoed award, where the order would tell who won what.
    """
    ids = [s.id for s in sessions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(RunningOrderItem.session_id, RunningOrderItem.kind, Award.revealed_at, Film)
        .outerjoin(Film, (RunningOrderItem.film_id == Film.id) & (Film.status != WITHDRAWN))
        .outerjoin(Award, RunningOrderItem.award_id == Award.id)
        .where(RunningOrderItem.session_id.in_(ids))
        .order_by(RunningOrderItem.session_id, RunningOrderItem.position))
    now = now or utcnow()
    films: dict[int, list[Film]] = defaultdict(list)
    embargoed: set[int] = set()
    for session_id, kind, revealed_at, film in rows:
        if kind == "award" and (revealed_at is None or revealed_at > now):
            embargoed.add(session_id)
        if film is not None and film not in films[session_id]:
            films[session_id].append(film)
    for session_id in embargoed:
        films[session_id].sort(key=lambda f: (f.title_en or f.title).casefold())
    return dict(films)


def programme_films(festival: Festival) -> list[Film]:
    """Not-withdrawn films that appear in the festival's public sessions, by title."""
    in_public = (select(RunningOrderItem.film_id)
                 .join(ScheduleSession, RunningOrderItem.session_id == ScheduleSession.id)
                 .where(ScheduleSession.festival_id == festival.id, ScheduleSession.public))
    films = db.session.scalars(
        select(Film).where(Film.festival_id == festival.id, Film.status != WITHDRAWN, Film.id.in_(in_public)))
    return sorted(films, key=lambda f: (f.title_en or f.title).casefold())


def sitemap_films() -> list[tuple[str, datetime]]:
    """(code, updated_at) of every not-withdrawn film of a published festival."""
    return list(db.session.execute(
        select(Film.code, Film.updated_at).join(Festival, Film.festival_id == Festival.id)
        .where(Festival.published, Film.status != WITHDRAWN).order_by(Film.id)).tuples())


def films_by_codes(festival: Festival, codes: list[str]) -> list[Film]:
    """The festival's not-withdrawn films with these codes, by title."""
    if not codes:
        return []
    films = db.session.scalars(select(Film).where(
        Film.festival_id == festival.id, Film.code.in_(codes), Film.status != WITHDRAWN))
    return sorted(films, key=lambda f: (f.title_en or f.title).casefold())
