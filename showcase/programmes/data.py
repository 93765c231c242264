"""Plain data a printed programme is built from: no database, no Flask, no reportlab."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from showcase.messages import N_

PageSize = Literal["a5", "a4"]
Lang = Literal["zh", "en", "both"]


class ProgrammeError(Exception):
    """A programme cannot be built: bad options, missing font, unreadable input."""


@dataclass(frozen=True)
class ProgrammeFestival:
    """The festival the programme is printed for."""

    name: str
    name_en: str
    edition: str
    start_date: dt.date
    end_date: dt.date
    venues: tuple[str, ...]
    timezone: str
    public_base_url: str
    welcome: str = ""
    welcome_en: str = ""


@dataclass(frozen=True)
class ProgrammeSession:
    """One public session; start/end are aware datetimes already in the festival's time zone."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime
    screen: str
    kind: str
    title: str
    title_en: str = ""
    people: tuple[str, ...] = ()  # who is on stage, a line per role, in the chosen language(s)


@dataclass(frozen=True)
class ProgrammeAward:
    """A prize won by a film; placement 1 = first, ties share a placement."""

    category: str
    category_en: str
    placement: int
    placement_label: str
    placement_label_en: str
    film_code: str
    citation: str = ""
    citation_en: str = ""


@dataclass(frozen=True)
class ProgrammeScreening:
    """When and where a film is shown (aware datetime in the festival's time zone)."""

    start: dt.datetime
    screen: str


@dataclass(frozen=True)
class ProgrammeFilm:
    """One film page: code is the short-URL code (/f/CODE)."""

    code: str
    title: str
    title_en: str = ""
    credits: tuple[tuple[str, str], ...] = ()
    runtime_seconds: int | None = None
    country: str = ""
    year: int | None = None
    language: str = ""
    synopsis: str = ""
    synopsis_en: str = ""
    poster_path: str | None = None
    awards: tuple[ProgrammeAward, ...] = ()
    screenings: tuple[ProgrammeScreening, ...] = ()


@dataclass(frozen=True)
class ProgrammeCategory:
    """An award category and its winners in ceremony order."""

    name: str
    name_en: str
    winners: tuple[ProgrammeAward, ...] = ()


@dataclass(frozen=True)
class ProgrammeOptions:
    """How to print: page size, imposition, bleed, language, proof marking, and screen or press colours.

    press: a PDF/X-4 for a print shop (CMYK, output intent, boxes on every page, whole sheets).
    """

    size: PageSize = "a5"
    booklet: bool = False
    bleed_mm: float = 0.0
    lang: Lang = "both"
    proof: bool = False
    qr: bool = True
    press: bool = False

    def __post_init__(self) -> None:
        if self.size not in ("a5", "a4"):
            raise ProgrammeError(N_("unknown page size %(size)r: use a5 or a4", size=self.size))
        if self.lang not in ("zh", "en", "both"):
            raise ProgrammeError(N_("unknown language %(lang)r: use zh, en or both", lang=self.lang))
        if not 0 <= self.bleed_mm <= 20:
            raise ProgrammeError(N_("bleed must be between 0 and 20 mm, not %(bleed)s", bleed=self.bleed_mm))


@dataclass(frozen=True)
class Programme:
    """Everything printed in one programme; sessions must already be the public ones."""

    festival: ProgrammeFestival
    sessions: tuple[ProgrammeSession, ...] = ()
    categories: tuple[ProgrammeCategory, ...] = ()
    films: tuple[ProgrammeFilm, ...] = ()
    options: ProgrammeOptions = field(default_factory=ProgrammeOptions)
    # A folder where print thumbnails of the posters are kept between builds (by content hash); None: none kept.
    poster_cache: str | None = None
