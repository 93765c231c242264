"""The public-content version: which changes guests can see, counted in the transaction that makes them.

Every guest page is a function of the public rows (and of the clock). Rather than asking each page's
queries whether anything changed, the ORM session tells us: when a unit of work flushes an insert,
update or delete of a row guests could see — a film, a credit, a person, an award or its category (a
reveal), a session or its running order, a festival, venue or screen, a show's state or cue (what is on
stage) — the `public_version` row SITE is bumped just before the commit, in the same transaction. A
kiosk's "now playing" bumps its own row, KIOSKS: it shows on the pages of the films concerned only, so
a screening moving on to its next film leaves every other page in place (`film_stamp`). Bulk statements
through the session (`update(Award)…`) count too. A change to columns no guest page shows (a film's
contact e-mail or its optimistic-lock version, a kiosk's heartbeat time while it keeps playing the same
film, its thumbnail) bumps nothing, so a show night's heartbeats leave every ready page in place.

A page also changes by the clock alone: an award revealed at a set time, a session starting or ending,
a kiosk whose reports stop (its "now playing" lapses after HEARTBEAT_FRESH). `stamp()` pairs the
version with the next such moment, so a ready page is never served past it; `film_stamp` adds where the
film is playing now (recomputed when KIOSKS moves or a kiosk's reports lapse).

Writes that bypass the ORM session (raw SQL on a connection, psql) are not seen: call `bump()` in
their transaction, or restart the app.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from datetime import datetime
from functools import cache
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import Engine, Select, bindparam, create_engine, event, func, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

from showcase import live
from showcase.awards.models import Award, AwardCategory
from showcase.db import UTCDateTime, utcnow
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.films.models import Credit, Film, Person
from showcase.guests.models import KIOSKS, SITE, PublicVersion
from showcase.guests.queries import HEARTBEAT_FRESH
from showcase.kiosks.models import Kiosk
from showcase.schedule.models import ItemPerson, RunningOrderItem, ScheduleSession, SessionPerson
from showcase.shows.models import Show

CHANGED = "showcase.public_changed"
TOPIC = "public-version"  # the live bus topic of a bump  # session.info key: this transaction changed something public
EVERY_COLUMN = None
# Model -> the columns whose change guests can see (EVERY_COLUMN: all but PRIVATE ones). A new model whose
# rows a guest page shows belongs here; tests/showcase/guests/test_public_version.py checks the list.
WATCHED: dict[type, frozenset[str] | None] = {
    Festival: EVERY_COLUMN,
    Venue: EVERY_COLUMN,
    Screen: EVERY_COLUMN,
    Film: EVERY_COLUMN,
    Person: EVERY_COLUMN,
    Credit: EVERY_COLUMN,
    AwardCategory: EVERY_COLUMN,
    Award: EVERY_COLUMN,
    ScheduleSession: EVERY_COLUMN,
    SessionPerson: EVERY_COLUMN,
    ItemPerson: EVERY_COLUMN,
    RunningOrderItem: EVERY_COLUMN,
    Show: frozenset({"session_id", "state", "rehearsal", "cue_id"}),
    Kiosk: frozenset(),  # its public face only: see _kiosk_face
}
# Bookkeeping columns no guest page shows: changing only these is not a public change.
PRIVATE = frozenset({"created_at", "updated_at", "version", "contact_email", "external_id", "media_asset_id"})
WATCHED_TABLES = frozenset(model.__table__.name for model in WATCHED)
# SITE and KIOSKS; no parameters: the same on every driver
VERSION_SQL = "SELECT id, version FROM public_version WHERE id IN (1, 2)"


def install(app: Flask) -> None:
    """Count public changes in every ORM session (once per process) and give the app its version memo."""
    engine = _version_engine(app.config)
    app.extensions["public_version"] = Memo(engine, recheck=app.config["GUEST_VERSION_RECHECK_MS"] / 1000)
    with app.app_context():  # its connections go when the app's own do (tests dispose of it per app)
        event.listen(db.engine, "engine_disposed", lambda _engine: engine.dispose())
    if event.contains(Session, "before_commit", _before_commit):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_statement)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)


def _old(state, name: str) -> Any:
    """An attribute's value before this flush (NO_VALUE when it was never loaded)."""
    history = state.attrs[name].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return NO_VALUE if history.added else state.attrs[name].value


def _kiosk_face(screen_id: Any, state: Any, heartbeat: Any, now: datetime) -> tuple:
    """What guests can see of a kiosk: its screen and the film it plays while its reports are fresh."""
    fresh = isinstance(heartbeat, datetime) and heartbeat >= now - HEARTBEAT_FRESH
    playing = isinstance(state, dict) and state.get("state") == "playing"
    return screen_id, str(state.get("film_code") or "").lower() if fresh and playing else None


def _kiosk_changed(kiosk: Kiosk, now: datetime) -> bool:
    state = inspect(kiosk)
    names = ("screen_id", "state", "last_heartbeat_at")
    before = [_old(state, name) for name in names]
    if NO_VALUE in before:
        return True
    return _kiosk_face(*before, now) != _kiosk_face(kiosk.screen_id, kiosk.state, kiosk.last_heartbeat_at, now)


def _row_changed(obj: Any) -> bool:
    watched = WATCHED[type(obj)]
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in PRIVATE or (watched is not EVERY_COLUMN and name not in watched):
            continue
        if state.attrs[name].history.has_changes():
            return True
    return False


def public_changes(session: Session, now: datetime | None = None) -> set[int]:
    """The version rows (SITE, KIOSKS) that the session's pending (or just flushed) rows change."""
    now = now or utcnow()
    rows: set[int] = set()
    for obj in (*session.new, *session.deleted):
        if type(obj) in WATCHED:
            rows.add(KIOSKS if type(obj) is Kiosk else SITE)
    for obj in session.dirty:
        kind = type(obj)
        if kind is Kiosk:
            if _kiosk_changed(obj, now):
                rows.add(KIOSKS)
        elif kind in WATCHED and _row_changed(obj):
            rows.add(SITE)
    return rows


def is_public_change(session: Session, now: datetime | None = None) -> bool:
    """Whether the session's pending (or just flushed) rows hold a change guests could see."""
    return bool(public_changes(session, now))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    changed = session.info.setdefault(CHANGED, set())
    if len(changed) < 2:
        changed |= public_changes(session)


def _on_statement(state: ORMExecuteState) -> None:
    """A bulk INSERT, UPDATE or DELETE through the session on a watched table changes something public."""
    if state.is_insert or state.is_update or state.is_delete:
        name = getattr(getattr(state.statement, "table", None), "name", None)
        if name in WATCHED_TABLES:
            row = KIOSKS if name == Kiosk.__tablename__ else SITE
            state.session.info.setdefault(CHANGED, set()).add(row)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush would come after this hook: see what it writes first
    if session.info.get(CHANGED):
        for row in sorted(session.info[CHANGED]):
            bump(session.connection(), row)
        if has_app_context():  # every process's ready pages hear of it after the commit (showcase.live)
            live.announce(session, TOPIC)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def bump(connection: Connection, row: int = SITE) -> None:
    """Count one public change in this transaction, on row SITE or KIOSKS (made when missing)."""
    table = PublicVersion.__table__
    now = utcnow()
    values = {"version": table.c.version + 1, "changed_at": now}
    if connection.execute(update(table).where(table.c.id == row).values(**values)).rowcount:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(insert(table).values(id=row, version=0, changed_at=now).on_conflict_do_nothing())
    connection.execute(update(table).where(table.c.id == row).values(**values))


def _version_engine(config: dict[str, Any]) -> Engine:
    """A small pool of autocommit connections for the version read alone.

    The read is a guest page's only query, so it skips what the app's engine does on every checkout
    (a pre-ping round trip, the per-request PostgreSQL limits) and SQLAlchemy's statement machinery:
    a third of the cost on SQLite and a quarter on PostgreSQL, measured. A dead connection is dropped
    and the read tried once more.
    """
    url = config["SQLALCHEMY_DATABASE_URI"]
    options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT", "pool_size": 8, "max_overflow": 32}
    if url.startswith("postgresql"):
        options["connect_args"] = {"options": f"-c statement_timeout={int(config['DB_GUEST_STATEMENT_TIMEOUT_MS'])}"}
    return create_engine(url, **options)


def _read(engine: Engine) -> tuple[int, int]:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(VERSION_SQL)
        rows = dict(cursor.fetchall())
        cursor.close()
    except Exception:
        connection.invalidate()  # a server restart or a broken socket: never hand this one out again
        raise
    finally:
        connection.close()
    return int(rows.get(SITE, 0)), int(rows.get(KIOSKS, 0))


def read_versions(engine: Engine | None = None) -> tuple[int, int]:
    """The SITE and KIOSKS versions as committed now: one primary-key read, no BEGIN (0 before a change)."""
    engine = engine or current_app.extensions["public_version"].engine
    try:
        return _read(engine)
    except Exception:  # the driver's own error: once more on a new connection, then let it be an error
        return _read(engine)


def read_version(engine: Engine | None = None) -> int:
    """How many public changes were committed (both rows): it moves with every one of them."""
    return sum(read_versions(engine))


@cache
def _clock_sql() -> Select:
    now = bindparam("now", type_=UTCDateTime())
    public = ScheduleSession.public.is_(True)
    return select(
        select(func.min(Award.revealed_at)).where(Award.revealed_at > now).scalar_subquery(),
        select(func.min(ScheduleSession.starts_at)).where(public, ScheduleSession.starts_at > now).scalar_subquery(),
        select(func.min(ScheduleSession.ends_at)).where(public, ScheduleSession.ends_at > now).scalar_subquery(),
    )


@cache
def _kiosks_sql() -> Select:
    since = bindparam("since", type_=UTCDateTime())
    return select(Kiosk.screen_id, Kiosk.state, Kiosk.last_heartbeat_at).where(Kiosk.last_heartbeat_at >= since)


def next_clock_change(now: datetime) -> datetime | None:
    """The next moment a guest page changes by the clock alone, kiosks aside (None: nothing is due)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        moments = [m for m in connection.execute(_clock_sql(), {"now": now}).one() if m is not None]
    # SQLite hands back naive UTC from a bare MIN(): the column's type is lost on an aggregate.
    moments = [m if m.tzinfo else m.replace(tzinfo=now.tzinfo) for m in moments]
    return min(moments, default=None)


def now_playing(now: datetime) -> tuple[dict[str, tuple], datetime | None]:
    """Each film code some kiosk plays now (the screens it plays on), and when the first of those lapses."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        rows = connection.execute(_kiosks_sql(), {"since": now - HEARTBEAT_FRESH}).all()
    screens: dict[str, list] = defaultdict(list)
    lapses = []
    for screen_id, state, heartbeat in rows:
        code = _kiosk_face(screen_id, state, heartbeat, now)[1]
        if code:
            screens[code].append(screen_id)
            lapses.append(heartbeat + HEARTBEAT_FRESH)
    return {code: tuple(sorted(ids, key=str)) for code, ids in screens.items()}, min(lapses, default=None)


class Memo:
    """This process's last look: the versions, the next clock change and what plays where, seen with them.

    With a shared live bus (Redis, `PUBSUB_URL`) every bump is pushed to every process right after its
    commit, so the version read can be skipped while no push came: the database is still read at least
    every `recheck` seconds (a push lost between a dropped subscription and its return), and on every
    request while the bus is not subscribed. In-process, every request reads it.
    """

    def __init__(self, engine: Engine, *, recheck: float) -> None:
        self.engine = engine
        self.recheck = recheck
        self._lock = threading.Lock()
        self._versions: tuple[int, int] | None = None
        self._due: datetime | None = None  # the next change by the clock, kiosks aside
        self._playing: dict[str, tuple] = {}  # film code -> the screens it is playing on
        self._playing_due: datetime | None = None  # the first of those reports to lapse
        self._pushes = -1  # the bus's count of version pushes when the database was last read
        self._read_at = 0.0

    def _look(self) -> tuple[int, datetime | None, dict[str, tuple]]:
        bus = live.bus()
        pushes = bus.seen(TOPIC)  # before the read: a push that comes after it makes the next request read
        with self._lock:
            fresh = time.monotonic() - self._read_at < self.recheck
            now = utcnow()
            due = any(moment is not None and now >= moment for moment in (self._due, self._playing_due))
            if bus.shared and pushes == self._pushes and fresh and not due and self._versions is not None:
                return self._versions[0], self._due, self._playing
        versions = read_versions(self.engine)
        with self._lock:
            now = utcnow()
            old = self._versions
            if old is None or versions[0] != old[0] or (self._due is not None and now >= self._due):
                self._due = next_clock_change(now)
            if old is None or versions[1] != old[1] or (self._playing_due is not None and now >= self._playing_due):
                self._playing, self._playing_due = now_playing(now)
            self._versions, self._pushes, self._read_at = versions, pushes, time.monotonic()
            return versions[0], self._due, self._playing

    def stamp(self) -> tuple[int, datetime | None]:
        """(version, next clock change): equal stamps mean equal guest pages, film pages aside."""
        version, due, _playing = self._look()
        return version, due

    def film_stamp(self, code: str) -> tuple[int, datetime | None, tuple]:
        """The stamp of film `code`'s page: `stamp()` and the screens playing it now."""
        version, due, playing = self._look()
        return version, due, playing.get(code, ())


def stamp() -> tuple[int, datetime | None]:
    """The current app's stamp of the public content (one small query; more only after a change)."""
    return current_app.extensions["public_version"].stamp()


def film_stamp(code: str) -> tuple[int, datetime | None, tuple]:
    """The current app's stamp of a film page (its code in lower case)."""
    return current_app.extensions["public_version"].film_stamp(code)
