"""The database side of the printed programme: festival models → Programme plain data.

Everything is read in a handful of queries (no lazy loads per film), so a 300-film festival adds
little to the layout time of the core. Embargo: award winners are read through
`showcase.awards.services` (revealed_at set and not in the future) unless a printer's proof asks
for every winner, which the core then marks on every page; the films printed are the guest pages'
public films (`public_film`), in title order, and no session lists its running order. The PDF is
written by `showcase.programmes.writing`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from playlists.prizes import prize_names
from showcase.awards.models import Award, AwardCategory
from showcase.awards.services import list_categories, public_categories, results_embargoed
from showcase.db import utcnow
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.films.models import Credit, Film
from showcase.films.posters import poster_files
from showcase.messages import N_
from showcase.programmes import qr
from showcase.programmes.data import (
    Programme,
    ProgrammeAward,
    ProgrammeCategory,
    ProgrammeError,
    ProgrammeFestival,
    ProgrammeFilm,
    ProgrammeOptions,
    ProgrammeScreening,
    ProgrammeSession,
)
from showcase.schedule.models import ScheduleSession
from showcase.schedule.people import stage_lines, stage_people
from showcase.schedule.public import public_film

ROLE_LABELS = {
    "director": ("导演", "Director"),
    "writer": ("编剧", "Writer"),
    "producer": ("制片", "Producer"),
    "designer": ("设计", "Designer"),
    "composer": ("作曲", "Composer"),
    "editor": ("剪辑", "Editor"),
    "cinematographer": ("摄影", "Cinematography"),
    "animator": ("动画", "Animation"),
    "sound": ("声音", "Sound"),
    "cast": ("演员", "Cast"),
    "other": ("其他", "Other"),
}
KIND_LABELS = {
    "screening": ("放映", "Screening"),
    "ceremony": ("典礼", "Ceremony"),
    "panel": ("论坛", "Panel"),
    "talk": ("讲座", "Talk"),
    "break": ("休息", "Break"),
    "gala": ("晚宴", "Gala"),
    "reception": ("酒会", "Reception"),
    "other": ("", ""),
}
NO_SCREEN = ("地点待定", "Venue to be announced")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")  # kana, Han, Hangul


def pick(zh: str, en: str, lang: str, *, sep: str = " ") -> str:
    """zh and/or en for the chosen language, falling back to whichever is not empty."""
    zh, en = (zh or "").strip(), (en or "").strip()
    if lang == "zh":
        return zh or en
    if lang == "en":
        return en or zh
    return sep.join(t for t in dict.fromkeys((zh, en)) if t)


def poster_folders(config: Mapping[str, Any], instance_path: str) -> dict[str, str | None]:
    """upload_root and cache_dir for load_programme, from the app's config and instance folder."""
    return {
        "upload_root": config.get("UPLOAD_ROOT"),
        "cache_dir": os.path.join(instance_path, "cache", "programme-posters"),
    }


def one_language(value: str, lang: str) -> str:
    """A one-field bilingual value such as '中国 China' cut to the chosen language ('China' in English).

    Country and language are single fields that festivals fill in both languages; values in one
    language only, or printed in both, stay as they are.
    """
    words = value.split()
    chinese = [w for w in words if _CJK.search(w)]
    if lang == "both" or not chinese or len(chinese) == len(words):
        return value
    return " ".join(chinese if lang == "zh" else [w for w in words if not _CJK.search(w)])


def base_url(festival: Festival) -> str:
    """The festival's public base URL, which every printed QR code points under."""
    if not festival.public_base_url:
        raise ProgrammeError(
            N_("the festival has no public base URL for its QR codes: set it in the festival settings first")
        )
    return festival.public_base_url


def film_qr_url(festival: Festival, film: Film) -> str:
    """The URL a film's QR code opens: its guest page PUBLIC_BASE_URL/f/CODE (the code never changes)."""
    return qr.film_url(base_url(festival), film.code)


def load_programme(
    festival: Festival,
    *,
    options: ProgrammeOptions,
    upload_root: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
) -> Programme:
    """The festival as printable plain data: public sessions, printable winners and films."""
    base_url(festival)
    lang, now = options.lang, now or utcnow()
    sessions = _public_sessions(festival)
    categories = _categories(festival, include_embargoed=options.proof, now=now)
    award_films = {award.film_id for _, awards in categories for award in awards}
    films = _films(festival, award_films, now=now)
    codes = {film.id: film.code for film in films}
    printed = [(cat, [a for a in awards if a.film_id in codes]) for cat, awards in categories]
    prizes = _prizes(printed, codes, final=options.proof or not results_embargoed(festival.id, now=now))
    shown, won = _screenings(sessions, festival, lang), _by_code(prizes.values())
    posters = print_posters([f.poster_path for f in films if f.poster_path], upload_root=upload_root)
    people = stage_people(s.id for s in sessions)
    return Programme(
        festival=_festival(festival, lang),
        sessions=tuple(_session(s, festival, lang, people.get(s.id, [])) for s in sessions),
        categories=tuple(
            ProgrammeCategory(cat.name, cat.name_en, tuple(prizes[a.id] for a in awards)) for cat, awards in printed
        ),
        films=tuple(
            _film(f, screenings=shown.get(f.id, ()), prizes=won, lang=lang, poster=posters.get(f.poster_path or ""))
            for f in _in_print_order(films, lang)
        ),
        options=options,
        poster_cache=os.fspath(cache_dir) if cache_dir is not None else None,
    )


def _festival(festival: Festival, lang: str) -> ProgrammeFestival:
    return ProgrammeFestival(
        name=festival.name,
        name_en=festival.name_en,
        edition=festival.edition,
        start_date=festival.start_date,
        end_date=festival.end_date,
        venues=tuple(pick(v.name, v.name_en, lang) for v in festival.venues),
        timezone=festival.timezone,
        public_base_url=festival.public_base_url,
        welcome=festival.welcome,
        welcome_en=festival.welcome_en,
    )


def _public_sessions(festival: Festival) -> list[ScheduleSession]:
    return list(
        db.session.scalars(
            select(ScheduleSession)
            .where(ScheduleSession.festival_id == festival.id, ScheduleSession.public)
            .options(
                selectinload(ScheduleSession.items), selectinload(ScheduleSession.screen).selectinload(Screen.venue)
            )
            .order_by(ScheduleSession.starts_at, ScheduleSession.id)
        )
    )


def screen_label(screen: Screen | None, lang: str) -> str:
    """'Venue · Screen' in the chosen language(s); sessions without a screen say so."""
    if screen is None:
        return pick(*NO_SCREEN, lang, sep=" / ")
    venue: Venue = screen.venue
    zh = f"{venue.name} · {screen.name}"
    en = f"{venue.name_en or venue.name} · {screen.name_en or screen.name}"
    return pick(zh, en, lang, sep=" / ")


def _session(session: ScheduleSession, festival: Festival, lang: str, people: list) -> ProgrammeSession:
    start, end = session.starts_at.astimezone(festival.zone), session.ends_at.astimezone(festival.zone)
    return ProgrammeSession(
        day=start.date(),
        start=start,
        end=end,
        screen=screen_label(session.screen, lang),
        kind=pick(*KIND_LABELS.get(session.kind, ("", "")), lang),
        title=session.title,
        title_en=session.title_en,
        people=tuple(stage_lines(people, lang)),
    )


def _categories(
    festival: Festival, *, include_embargoed: bool, now: datetime
) -> list[tuple[AwardCategory, list[Award]]]:
    """Every category in ceremony order with the winners that may be printed (none yet: 'to be announced')."""
    categories = list_categories(festival)  # every category, so one still without a winner prints too
    if include_embargoed:
        return [(cat, list(cat.awards)) for cat in categories]
    revealed = {award.id for pc in public_categories(festival, now=now) for award in pc.awards}
    return [(cat, [a for a in cat.awards if a.id in revealed]) for cat in categories]


def _films(festival: Festival, award_films: set[int], *, now: datetime) -> list[Film]:
    """The festival's public films (the guest pages' rule), and films with a printed award (a proof's)."""
    wanted = or_(public_film(now=now), Film.id.in_(award_films)) if award_films else public_film(now=now)
    return list(
        db.session.scalars(
            select(Film)
            .where(Film.festival_id == festival.id, Film.status != "withdrawn", wanted)
            .options(selectinload(Film.credits).selectinload(Credit.person))
        )
    )


def programme_films(festival: Festival, *, now: datetime | None = None) -> list[Film]:
    """The films a guest programme prints, in print order (their QR codes go on table cards)."""
    return _in_print_order(_films(festival, set(), now=now or utcnow()), "both")


def _in_print_order(films: Iterable[Film], lang: str) -> list[Film]:
    # By title, never by award or ceremony position: the order of the pages must not give away
    # an embargoed result (the ceremony announces the first prize last).
    return sorted(films, key=lambda f: ((f.title if lang == "zh" else f.title_en or f.title).casefold(), f.id))


def _prizes(
    printed: list[tuple[AwardCategory, list[Award]]], codes: dict[int, str], *, final: bool
) -> dict[int, ProgrammeAward]:
    """ProgrammeAward per printed award id.

    Ties and sole winners are judged on the printed awards only: an embargoed award must not change
    a revealed one's label. Until the results are `final` (none embargoed, or a proof) no winner is
    its category's only one: a first prize revealed before the rest stays a first prize.
    """
    prizes = {}
    for cat, awards in printed:
        names = prize_names(awards, sole_possible=final)
        for a in awards:
            name = names[a.id]
            prizes[a.id] = ProgrammeAward(
                cat.name, cat.name_en, a.placement, name.zh, name.en, codes[a.film_id], a.citation, a.citation_en
            )
    return prizes


def _credit(credit: Credit, lang: str) -> tuple[str, str]:
    role = pick(*ROLE_LABELS.get(credit.role, (credit.role, credit.role)), lang)
    person = credit.person
    return role, pick(person.name, person.name_en, lang)


def _screenings(
    sessions: list[ScheduleSession], festival: Festival, lang: str
) -> dict[int, tuple[ProgrammeScreening, ...]]:
    """Film id → the public sessions whose running order shows it, in time order."""
    found: dict[int, list[ProgrammeScreening]] = {}
    for s in sessions:
        shown = ProgrammeScreening(s.starts_at.astimezone(festival.zone), screen_label(s.screen, lang))
        for film_id in dict.fromkeys(i.film_id for i in s.items if i.film_id is not None):
            found.setdefault(film_id, []).append(shown)
    return {film_id: tuple(shows) for film_id, shows in found.items()}


def _by_code(prizes: Iterable[ProgrammeAward]) -> dict[str, tuple[ProgrammeAward, ...]]:
    found: dict[str, list[ProgrammeAward]] = {}
    for prize in prizes:
        found.setdefault(prize.film_code, []).append(prize)
    return {code: tuple(p) for code, p in found.items()}


def _film(
    film: Film,
    *,
    screenings: tuple[ProgrammeScreening, ...],
    prizes: dict[str, tuple[ProgrammeAward, ...]],
    lang: str,
    poster: str | None,
) -> ProgrammeFilm:
    return ProgrammeFilm(
        code=film.code,
        title=film.title,
        title_en=film.title_en,
        credits=tuple(_credit(c, lang) for c in film.credits),
        runtime_seconds=film.runtime_seconds,
        country=one_language(film.country, lang),
        year=film.year,
        language=one_language(film.language, lang),
        synopsis=film.synopsis,
        synopsis_en=film.synopsis_en,
        poster_path=poster,
        awards=prizes.get(film.code, ()),
        screenings=screenings,
    )


def print_posters(names: list[str], *, upload_root: str | os.PathLike[str] | None) -> dict[str, str]:
    """Poster name → the small file to print: the stored thumbnail (400 x 600, 300 dpi in the poster column).

    Stored thumbnails are WebP, which a PDF cannot embed as it is: the core converts them while it
    lays the pages out and keeps the JPEGs in the programme's poster_cache for the next build.
    """
    if upload_root is None:
        return {}
    thumbs = {n: poster_files(Path(upload_root), Path(n).name)[1] for n in dict.fromkeys(names)}
    return {n: str(t) for n, t in thumbs.items() if t.is_file()}
