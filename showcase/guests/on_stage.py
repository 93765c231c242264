"""What is on stage now, for the guest festival page: the current cue of each live show, nothing embargoed.

Only a show running live (not a rehearsal, not in standby or ended) in a public session counts, and the
show is read as it is stored (a guest page writes nothing; the caller's page and its stream keep it up to
date). What a cue may say:
- an award cue: its title (which names the prize, never the winner), and the winning film once the award
  is revealed (its announcement starting reveals it);
- a film cue: the film, when it is public and either the festival has no result under embargo or the film
  holds a revealed award. A film cue that is hidden says nothing at all, so neither the film nor the fact
  that one plays can be told from the page while results are secret (tests/showcase/guests prove it by
  changing the secrets and comparing the bytes);
- any other cue: its title.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from showcase.awards.models import Award
from showcase.awards.services import results_embargoed, revealed
from showcase.extensions import db
from showcase.films.models import Film
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.schedule.public import public_film
from showcase.shows.models import Show

# While a festival's show runs live, a cue may reveal an award at any second: guest pages and feeds of that
# festival may be kept by browsers and proxies for a second only, so a reveal reaches guests within two.
LIVE_MAX_AGE = 1


def live_max_age(festival_id: int, *, otherwise: int) -> int:
    """How long guests' browsers and proxies may keep a page of the festival: a second while a show runs live."""
    live = db.session.scalar(
        select(Show.id)
        .join(ScheduleSession, Show.session_id == ScheduleSession.id)
        .where(
            ScheduleSession.festival_id == festival_id,
            Show.state.in_(("running", "paused")),
            Show.rehearsal.is_(False),
        )
        .limit(1)
    )
    return LIVE_MAX_AGE if live is not None else otherwise


class StageFilm(NamedTuple):
    code: str
    title: str
    title_en: str


class OnStage(NamedTuple):
    """One live show's current cue as guests may see it (plain values: part of the page's content key)."""

    session_id: int
    session: str
    session_en: str
    kind: str
    title: str
    title_en: str
    films: tuple[StageFilm, ...]


def on_stage(festival_id: int, *, now: datetime) -> list[OnStage]:
    """The current cue of every live show of the festival's public sessions, as guests may see it."""
    rows = db.session.execute(
        select(
            ScheduleSession.id,
            ScheduleSession.title,
            ScheduleSession.title_en,
            RunningOrderItem.kind,
            RunningOrderItem.title,
            RunningOrderItem.title_en,
            RunningOrderItem.film_id,
            RunningOrderItem.award_id,
        )
        .select_from(Show)
        .join(ScheduleSession, Show.session_id == ScheduleSession.id)
        .join(RunningOrderItem, Show.cue_id == RunningOrderItem.id)
        .where(
            ScheduleSession.festival_id == festival_id,
            ScheduleSession.public,
            Show.state.in_(("running", "paused")),
            Show.rehearsal.is_(False),
        )
        .order_by(ScheduleSession.starts_at, ScheduleSession.id)
    ).all()
    if not rows:
        return []
    embargoed = results_embargoed(festival_id, now=now)
    shown = []
    for session_id, session, session_en, kind, title, title_en, film_id, award_id in rows:
        if kind == "film":
            films = _films(film_id, now=now, need_award=embargoed) if film_id is not None else ()
            if not films:
                continue
            title, title_en = films[0].title, films[0].title_en
        else:
            films = _award_films(award_id, now=now) if kind == "award" and award_id is not None else ()
        shown.append(OnStage(session_id, session, session_en, kind, title, title_en, films))
    return shown


def _public_films(query) -> tuple[StageFilm, ...]:
    rows = db.session.execute(query.order_by(Film.id)).all()
    return tuple(StageFilm(code, title, title_en) for code, title, title_en in rows)


def _films(film_id: int, *, now: datetime, need_award: bool) -> tuple[StageFilm, ...]:
    """The film of a film cue, if guests may see it play now."""
    query = select(Film.code, Film.title, Film.title_en).where(Film.id == film_id, public_film(now=now))
    if need_award:
        query = query.where(Film.id.in_(select(Award.film_id).where(revealed(now))))
    return _public_films(query)


def _award_films(award_id: int, *, now: datetime) -> tuple[StageFilm, ...]:
    """The winning film of an award cue, once the award is revealed."""
    winners = select(Award.film_id).where(Award.id == award_id, revealed(now))
    return _public_films(select(Film.code, Film.title, Film.title_en).where(Film.id.in_(winners), public_film(now=now)))
