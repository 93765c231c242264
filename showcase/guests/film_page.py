"""Everything a film's guest page shows, in one query for most films and at most four.

This is the page hundreds of phones open in the same minute, so its statements are built once per
process (not per request: building a select() costs more than running it on SQLite) and the
secondary data comes back as plain rows, not ORM objects. The hiding rules are the same as in
queries.py: published festivals only, films of the public programme only (others are None, as an
unknown code), public sessions only, revealed awards only, no "now playing" while results are
embargoed (showcase.awards.services holds each rule).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, bindparam, exists, select

from playlists.prizes import PrizeName
from showcase.awards.models import Award, AwardCategory
from showcase.awards.services import embargoed_festivals
from showcase.db import UTCDateTime, utcnow
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.films.models import Credit, Film, Person
from showcase.guests.queries import HEARTBEAT_FRESH, WITHDRAWN, public_prize_names
from showcase.kiosks.models import Kiosk
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.schedule.public import public_film

# What show_film.html shows of the film row, and nothing else: a change to another column (status
# "winner", updated_at, version) must not change the page's ETag, or an embargoed result would.
SHOWN_FILM_COLUMNS = (
    "code",
    "title",
    "title_en",
    "synopsis",
    "synopsis_en",
    "runtime_seconds",
    "year",
    "country",
    "language",
    "subtitles",
    "content_advisory",
    "poster_path",
)


class CreditLine(NamedTuple):
    role: str
    name: str
    name_en: str


@dataclass(frozen=True)
class FestivalRef:
    """What a film page needs of its festival."""

    id: int
    slug: str
    name: str
    name_en: str
    timezone: str
    public_base_url: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo keeps its own cache of zones


@dataclass
class FilmPage:
    film: Row  # the film table's columns (and a few of _film()'s)
    festival: FestivalRef
    credits: list[CreditLine] = field(default_factory=list)
    awards: list[Row] = field(default_factory=list)  # category, category_en, placement, citation, citation_en
    sessions: list[Row] = field(default_factory=list)  # id, title(_en), starts_at, ends_at, screen(_en), venue(_en)
    playing_on: list[Row] = field(default_factory=list)  # screen(_en), venue(_en)
    prizes: dict[int, PrizeName] = field(default_factory=dict)  # award id -> name (a tie revealed elsewhere counts)

    def data(self) -> tuple:
        """Every value the page shows, as plain tuples: the page's cache key and ETag are made from it."""
        film = tuple(self.film._mapping[name] for name in SHOWN_FILM_COLUMNS)
        return (
            film,
            astuple(self.festival),
            *(tuple(map(tuple, rows)) for rows in (self.credits, self.awards, self.sessions, self.playing_on)),
            tuple((award_id, name.zh, name.en) for award_id, name in sorted(self.prizes.items())),
        )


@cache
def _film() -> Select:
    """The film, its festival and its credits (one row per credit), and whether more is to load.

    The flags spare a round trip for each kind of secondary data a film does not have: most of
    2,300 submissions have no session, no revealed award and no kiosk playing them.
    """
    now, since = bindparam("now", type_=UTCDateTime()), bindparam("since", type_=UTCDateTime())
    festival = (
        Festival.slug.label("festival_slug"),
        Festival.name.label("festival_name"),
        Festival.name_en.label("festival_name_en"),
        Festival.timezone.label("festival_timezone"),
        Festival.public_base_url.label("festival_public_base_url"),
    )
    has_awards = exists().where(Award.film_id == Film.id, Award.revealed_at.is_not(None), Award.revealed_at <= now)
    has_sessions = exists().where(
        RunningOrderItem.film_id == Film.id,
        RunningOrderItem.session_id == ScheduleSession.id,
        ScheduleSession.public,
        ScheduleSession.ends_at > now,
    )
    # A kiosk's playback follows a running order: while results are embargoed it shows nowhere.
    has_kiosks = exists().where(
        Kiosk.screen_id == Screen.id,
        Screen.venue_id == Venue.id,
        Venue.festival_id == Film.festival_id,
        Kiosk.last_heartbeat_at >= since,
        Film.festival_id.not_in(embargoed_festivals(now=now)),
    )
    return (
        select(
            Film.__table__,
            *festival,
            has_awards.label("has_awards"),
            has_sessions.label("has_sessions"),
            has_kiosks.label("has_kiosks"),
            Credit.role.label("credit_role"),
            Person.name.label("person_name"),
            Person.name_en.label("person_name_en"),
        )
        .join(Festival, Film.festival_id == Festival.id)
        .outerjoin(Credit, Credit.film_id == Film.id)
        .outerjoin(Person, Credit.person_id == Person.id)
        # In WHERE, not as a column: SQLite stops at "selected" there, and skips the subqueries.
        .where(Film.code == bindparam("code"), Festival.published, public_film(now=now) | (Film.status == WITHDRAWN))
        .order_by(Credit.display_order, Credit.id)
    )


@cache
def _awards() -> Select:
    return (
        select(
            AwardCategory.name.label("category"),
            AwardCategory.name_en.label("category_en"),
            Award.id,
            Award.placement,
            Award.citation,
            Award.citation_en,
        )
        .join(AwardCategory, Award.category_id == AwardCategory.id)
        .where(
            Award.film_id == bindparam("film_id"), Award.revealed_at.is_not(None), Award.revealed_at <= bindparam("now")
        )
        .order_by(AwardCategory.display_order, AwardCategory.id, Award.placement, Award.id)
    )


def _place_columns() -> tuple:
    return (
        Screen.name.label("screen"),
        Screen.name_en.label("screen_en"),
        Venue.name.label("venue"),
        Venue.name_en.label("venue_en"),
    )


@cache
def _sessions() -> Select:
    showing = select(RunningOrderItem.session_id).where(RunningOrderItem.film_id == bindparam("film_id"))
    return (
        select(
            ScheduleSession.id,
            ScheduleSession.title,
            ScheduleSession.title_en,
            ScheduleSession.starts_at,
            ScheduleSession.ends_at,
            *_place_columns(),
        )
        .outerjoin(Screen, ScheduleSession.screen_id == Screen.id)
        .outerjoin(Venue, Screen.venue_id == Venue.id)
        .where(
            ScheduleSession.festival_id == bindparam("festival_id"),
            ScheduleSession.public,
            ScheduleSession.ends_at > bindparam("now"),
            ScheduleSession.id.in_(showing),
        )
        .order_by(ScheduleSession.starts_at, ScheduleSession.id)
    )


@cache
def _kiosks() -> Select:
    return (
        select(Kiosk.state, *_place_columns())
        .join(Screen, Kiosk.screen_id == Screen.id)
        .join(Venue, Screen.venue_id == Venue.id)
        .where(Venue.festival_id == bindparam("festival_id"), Kiosk.last_heartbeat_at >= bindparam("since"))
        .order_by(Screen.id)
    )


def _playing(state: Any, code: str) -> bool:
    """A kiosk state of {"state": "playing", "film_code": code} (any case)."""
    return (
        isinstance(state, dict)
        and state.get("state") == "playing"
        and str(state.get("film_code") or "").lower() == code
    )


def load_film_page(code: str, *, now: datetime | None = None) -> FilmPage | None:
    """The public film with this code in a published festival (withdrawn too: the caller decides), or None.

    Only the film and its festival are loaded for a withdrawn film; nothing else of it is shown.
    """
    # Core statements on a connection of our own in autocommit mode: no BEGIN and no ROLLBACK round
    # trips (a third of the database time of a page on PostgreSQL), and none of the ORM's
    # per-statement machinery, which costs more than these small queries themselves.
    now = now or utcnow()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        page = _load(connection, code, now)
    # After the connection is back: the prize names read through the session, and a second connection
    # taken while holding the first can wait forever once every thread of a worker holds one.
    if page is not None and page.awards:
        names = public_prize_names(page.festival.id, now=now)
        page.prizes = {row.id: names[row.id] for row in page.awards if row.id in names}
    return page


def _load(connection, code: str, now: datetime) -> FilmPage | None:
    ids = {"code": code, "now": now, "since": now - HEARTBEAT_FRESH}
    rows = connection.execute(_film(), ids).all()
    if not rows:
        return None
    film = rows[0]
    festival = FestivalRef(
        id=film.festival_id,
        slug=film.festival_slug,
        name=film.festival_name,
        name_en=film.festival_name_en,
        timezone=film.festival_timezone,
        public_base_url=film.festival_public_base_url,
    )
    page = FilmPage(film=film, festival=festival)
    if film.status == WITHDRAWN:
        return page
    ids.update(film_id=film.id, festival_id=festival.id)
    page.credits = [CreditLine(r.credit_role, r.person_name, r.person_name_en) for r in rows if r.credit_role]
    if film.has_awards:
        page.awards = connection.execute(_awards(), ids).all()
    if film.has_sessions:
        page.sessions = connection.execute(_sessions(), ids).all()
    if film.has_kiosks:
        kiosks = connection.execute(_kiosks(), ids).all()
        page.playing_on = [kiosk for kiosk in kiosks if _playing(kiosk.state, film.code)]
    return page
