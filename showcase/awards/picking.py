"""Picking a film by what an editor types: part of its title in Chinese or English, its submission id
or its guest code. The winners form, the running-order builder and the workspace's search endpoint
(the picker's JSON) all read it, so a film is found the same way everywhere.

It sits in `awards`, the lowest package that picks films (schedule and workspace are above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, case, func, or_, select

from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.films.services import find_film
from showcase.validation import parse_id

MAX_QUERY = 100  # characters: longer than any title a person types
MAX_RESULTS = 10
# Films more likely to be picked come first among equally good matches.
STATUS_RANK = {"winner": 0, "selected": 1, "shortlisted": 2, "submitted": 3, "withdrawn": 4}


def like_pattern(text: str) -> str:
    """`text` as a LIKE substring pattern, its wildcards escaped (with a backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def film_text_match(text: str) -> ColumnElement[bool]:
    """Films whose title (either language) or submission id holds `text`, or whose guest code it is."""
    pattern = like_pattern(text)
    return or_(
        Film.title.ilike(pattern, escape="\\"),
        Film.title_en.ilike(pattern, escape="\\"),
        Film.external_id.ilike(pattern, escape="\\"),
        Film.code == text.lower(),
    )


def query_problem(text: str) -> str | None:
    """Why `text` (stripped) cannot be searched for, or None."""
    if not text:
        return _("Type part of a title, a submission id or a guest code.")
    if len(text) > MAX_QUERY:
        return _("Type at most %(n)d characters.", n=MAX_QUERY)
    return None


def film_matches(festival: Festival, text: str, *, limit: int = MAX_RESULTS) -> tuple[list[Film], bool]:
    """The festival's films matching `text` (stripped, valid per `query_problem`), best first, at most
    `limit`, and whether there were more: an exact id or code, then titles that start with it, then the rest;
    winners and selected films before submissions."""
    prefix = like_pattern(text)[1:]
    rank = case(
        (or_(Film.external_id == text, Film.code == text.lower()), 0),
        (or_(Film.title.ilike(prefix, escape="\\"), Film.title_en.ilike(prefix, escape="\\")), 1),
        else_=2,
    )
    status = case(STATUS_RANK, value=Film.status, else_=len(STATUS_RANK))
    films = list(
        db.session.scalars(
            select(Film)
            .where(Film.festival_id == festival.id, film_text_match(text))
            .order_by(rank, status, func.lower(Film.title_en), Film.title, Film.id)
            .limit(limit + 1)
        )
    )
    return films[:limit], len(films) > limit


def film_label(film: Film) -> str:
    """How a film is named in a picker: both titles."""
    return f"{film.title} · {film.title_en}" if film.title_en else film.title


@dataclass
class Pick:
    """What the editor picked: the film, or why none (and the films to choose from when several match)."""

    film: Film | None = None
    problem: str = ""
    choices: list[Film] = field(default_factory=list)


def pick_film(festival: Festival, *, ids: Sequence[str], text: str) -> Pick:
    """The film picked by id (the picker's hidden field, or a choice), else the one `text` names or matches."""
    chosen = next((i for i in ids if i.strip()), "")
    if chosen:
        film = db.session.get(Film, parse_id(chosen) or 0)
        if film is None or film.festival_id != festival.id:
            return Pick(problem=_("That film is not one of this festival's: search for it again."))
        return Pick(film)
    text = (text or "").strip()
    problem = query_problem(text)
    if problem:
        return Pick(problem=_("Choose a film of this festival. %(hint)s", hint=problem))
    film = find_film(festival, text)
    if film is not None:
        return Pick(film)
    films, more = film_matches(festival, text)
    if len(films) == 1:
        return Pick(films[0])
    if not films:
        return Pick(problem=_("Choose a film of this festival: none matches “%(text)s”.", text=text))
    if more:
        message = _("More than %(n)d films match “%(text)s”: choose one below or type more.", n=len(films), text=text)
    else:
        message = _("%(n)d films match “%(text)s”: choose one below.", n=len(films), text=text)
    return Pick(problem=message, choices=films)
