"""Read-only loading for guest pages: only what staff have published, in few queries.

Unpublished festivals, private sessions, films outside the public programme and embargoed awards
never leave this module (the public and embargo rules: showcase.awards.services). The film page,
the one hit by a scan surge, has its own faster statements with the same rules in film_page.py;
tests/showcase/guests/test_leaks.py checks every page and feed against every hidden state, and
test_embargo_noninterference.py that no embargoed result changes a public byte.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from playlists.prizes import PrizeName, prize_names
from showcase.awards.models import Award, AwardCategory
from showcase.awards.services import neutral_order, results_embargoed, revealed
from showcase.db import utcnow
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.films.models import Film
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.schedule.public import public_film

WITHDRAWN = "withdrawn"
HEARTBEAT_FRESH = timedelta(seconds=90)  # a kiosk silent for longer is not "now playing" anything


def published_festival(slug: str) -> Festival | None:
    """The published festival with this slug, its venues and screens loaded."""
    return db.session.scalar(
        select(Festival)
        .where(Festival.slug == slug, Festival.published)
        .options(selectinload(Festival.venues).selectinload(Venue.screens))
    )


def published_festivals() -> list[Festival]:
    """Every published festival, newest first."""
    return list(
        db.session.scalars(select(Festival).where(Festival.published).order_by(Festival.start_date.desc(), Festival.id))
    )


def public_sessions(
    festival: Festival, *, screen_id: int | None = None, session_ids: list[int] | None = None
) -> list[ScheduleSession]:
    """The festival's public sessions in time order, screen and venue loaded."""
    query = (
        select(ScheduleSession)
        .where(ScheduleSession.festival_id == festival.id, ScheduleSession.public)
        .options(joinedload(ScheduleSession.screen).joinedload(Screen.venue))
        .order_by(ScheduleSession.starts_at, ScheduleSession.id)
    )
    if screen_id is not None:
        query = query.where(ScheduleSession.screen_id == screen_id)
    if session_ids is not None:
        query = query.where(ScheduleSession.id.in_(session_ids))
    return list(db.session.scalars(query))


def sessions_showing(film: Film, *, now: datetime | None = None) -> list[ScheduleSession]:
    """Public sessions of the film's festival that show it and have not ended, soonest first."""
    showing = select(RunningOrderItem.session_id).where(RunningOrderItem.film_id == film.id)
    return list(
        db.session.scalars(
            select(ScheduleSession)
            .where(
                ScheduleSession.festival_id == film.festival_id,
                ScheduleSession.public,
                ScheduleSession.ends_at > (now or utcnow()),
                ScheduleSession.id.in_(showing),
            )
            .options(joinedload(ScheduleSession.screen).joinedload(Screen.venue))
            .order_by(ScheduleSession.starts_at, ScheduleSession.id)
        )
    )


def session_ids_showing(film_codes: list[str], festival: Festival) -> list[int]:
    """Ids of the public sessions that show any of these (not withdrawn) films."""
    if not film_codes:
        return []
    return list(
        db.session.scalars(
            select(RunningOrderItem.session_id)
            .distinct()
            .join(Film, RunningOrderItem.film_id == Film.id)
            .join(ScheduleSession, RunningOrderItem.session_id == ScheduleSession.id)
            .where(
                Film.code.in_(film_codes),
                Film.festival_id == festival.id,
                Film.status != WITHDRAWN,
                ScheduleSession.public,
            )
        )
    )


def films_by_session(
    festival: Festival, sessions: list[ScheduleSession], *, now: datetime | None = None
) -> dict[int, list[Film]]:
    """The not-withdrawn films of each session: in running order, or by title while results are embargoed.

    A running order filled from the winners lists them in prize order (showcase.awards.services
    explains why the rule covers every session of the festival).
    """
    ids = [s.id for s in sessions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(RunningOrderItem.session_id, Film)
        .join(Film, RunningOrderItem.film_id == Film.id)
        .where(RunningOrderItem.session_id.in_(ids), Film.status != WITHDRAWN)
        .order_by(RunningOrderItem.session_id, RunningOrderItem.position)
    )
    films: dict[int, list[Film]] = defaultdict(list)
    for session_id, film in rows:
        if film not in films[session_id]:
            films[session_id].append(film)
    if results_embargoed(festival.id, now=now):
        return {session_id: neutral_order(listed) for session_id, listed in films.items()}
    return dict(films)


def programme_films(festival: Festival) -> list[Film]:
    """The festival's public films, by title."""
    return neutral_order(
        db.session.scalars(select(Film).where(Film.festival_id == festival.id, public_film(now=utcnow())))
    )


def sitemap_films() -> list[tuple[str, str]]:
    """(code, festival's public base URL) of every public film of a published festival.

    No last-modified date: a film's row also changes when staff mark it a winner.
    """
    return [
        tuple(row)
        for row in db.session.execute(
            select(Film.code, Festival.public_base_url)
            .join(Festival, Film.festival_id == Festival.id)
            .where(Festival.published, public_film(now=utcnow()))
            .order_by(Film.id)
        )
    ]


def films_by_codes(festival: Festival, codes: list[str]) -> list[Film]:
    """The festival's public films with these codes, by title."""
    if not codes:
        return []
    return neutral_order(
        db.session.scalars(
            select(Film).where(Film.festival_id == festival.id, Film.code.in_(codes), public_film(now=utcnow()))
        )
    )


def public_prize_names(festival_id: int, *, now: datetime | None = None) -> dict[int, PrizeName]:
    """The prize name of each revealed award of the festival, by award id (playlists.prizes: one vocabulary).

    Judged on what guests see: a tie is shared when both awards are revealed, and a category's only
    winner is its "Winner" once no result of the festival is secret (as the printed programme words it).
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(Award.id, Award.category_id, Award.placement)
        .join(Award.category)
        .join(Award.film)
        .where(AwardCategory.festival_id == festival_id, revealed(now), Film.status != WITHDRAWN)
    ).all()
    by_category: dict[int, list] = defaultdict(list)
    for row in rows:
        by_category[row.category_id].append(row)
    final = not results_embargoed(festival_id, now=now)
    return {k: v for group in by_category.values() for k, v in prize_names(group, sole_possible=final).items()}
