"""No request waits forever: per-kind PostgreSQL limits, and a busy database answers 503, never a 500.

Locks are held from a separate psycopg connection in an open transaction, as a staff save or a
migration would hold them, while requests go to the app served over real HTTP on loopback.
"""

from __future__ import annotations

import http.cookiejar
import json
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from showcase.auth.access import requires
from showcase.extensions import db
from tests.conftest import CSRF_RE, PASSWORD, PG_URL

needs_pg = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set SHOWCASE_TEST_DATABASE_URL")

# Short limits keep the suite fast; each is distinct, so a value seen proves which kind was applied.
GUEST = {"lock_timeout": 500, "statement_timeout": 1500, "idle_in_transaction_session_timeout": 4000}
STAFF = {"lock_timeout": 1500, "statement_timeout": 4500, "idle_in_transaction_session_timeout": 9000}
SETTING = {
    "lock_timeout": "LOCK_TIMEOUT_MS",
    "statement_timeout": "STATEMENT_TIMEOUT_MS",
    "idle_in_transaction_session_timeout": "IDLE_IN_TRANSACTION_TIMEOUT_MS",
}
LIMITS = {
    **{f"DB_GUEST_{SETTING[k]}": v for k, v in GUEST.items()},
    **{f"DB_STAFF_{SETTING[k]}": v for k, v in STAFF.items()},
    "BUSY_RETRY_AFTER_SECONDS": 7,
}
# Slack for a loaded two-core machine: the answer comes within the limit plus this.
MARGIN = 1.5
HEARTBEAT = b'{"state": "idle"}'
on_pg = pytest.mark.parametrize("backend", ["postgresql"])


@dataclass
class Answer:
    status: int
    headers: Message
    body: str
    seconds: float


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 303 after a save is the answer we check, not the page it leads to


def opener() -> urllib.request.OpenerDirector:
    """A browser-like client: its own cookies, redirects not followed."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects())


def call(url: str, *, data: bytes | None = None, headers: dict | None = None, client=None) -> Answer:
    """One real HTTP request, timed."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    start = time.monotonic()
    try:
        with (client or opener()).open(request, timeout=60) as response:
            status, head, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, error.headers, error.read()
    return Answer(status, head, body.decode("utf-8", "replace"), time.monotonic() - start)


def post_form(client, url: str, fields: dict) -> Answer:
    return call(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        client=client,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def csrf(client, url: str) -> str:
    match = CSRF_RE.search(call(url, client=client).body)
    assert match, f"no form on {url}"
    return match.group(1)


def add_probes(app) -> None:
    """Routes that report the limits their connections carry: one for guests (ORM session and an
    autocommit connection, as the film page reads), one of the kiosk API's kind."""

    def limits(connection) -> dict:
        rows = connection.execute(
            text(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('lock_timeout', 'statement_timeout', "
                "'idle_in_transaction_session_timeout')"
            )
        )
        return {
            "pid": connection.execute(text("SELECT pg_backend_pid()")).scalar(),
            "show": connection.execute(text("SHOW statement_timeout")).scalar(),
            **{name: int(value) for name, value in rows},
        }

    def guest_probe():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            autocommit = limits(connection)
        return {"session": limits(db.session), "autocommit": autocommit}

    app.add_url_rule("/probe/guest", "probe_guest", requires("public")(guest_probe))
    app.add_url_rule("/probe/staff", "probe_staff", requires("kiosk")(lambda: {"session": limits(db.session)}))


def heartbeat(url: str, token: str) -> Answer:
    return call(
        f"{url}/api/kiosk/heartbeat",
        data=HEARTBEAT,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def with_settings(**settings):
    """Serve the test's app with the short limits and these settings too."""
    return pytest.mark.parametrize("app", [{**LIMITS, **settings}], indirect=True)


@dataclass
class Festival:
    url: str
    film: str  # the code of a film with a public page
    kiosk_id: int
    token: str
    playlist_id: int
    pg_url: str

    def heartbeat(self) -> Answer:
        return heartbeat(self.url, self.token)

    def holder(self) -> psycopg.Connection:
        """Another session, in a transaction of its own (psycopg begins one with the first statement)."""
        return psycopg.connect(make_url(self.pg_url).set(drivername="postgresql").render_as_string(False))


@pytest.fixture
def festival(demo, live_server) -> Festival:
    from showcase.films.models import Film
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.services import find_kiosk, new_token

    with demo.app_context():
        kiosk = find_kiosk("hall-1")
        token = new_token(kiosk)
        db.session.commit()
        kiosk_id, playlist_id = kiosk.id, db.session.scalar(select(Playlist.id).order_by(Playlist.id))
        codes = db.session.scalars(select(Film.code).order_by(Film.id)).all()
    film = next(code for code in codes if call(f"{live_server.url}/f/{code}").status == 200)
    return Festival(live_server.url, film, kiosk_id, token, playlist_id, demo.config["DATABASE_URL"])


def staff_client(festival: Festival, make_user) -> urllib.request.OpenerDirector:
    client = opener()
    token = csrf(client, f"{festival.url}/login")
    answer = post_form(
        client, f"{festival.url}/login", {"csrf_token": token, "email": make_user("editor"), "password": PASSWORD}
    )
    assert answer.status == 302, answer.body
    return client


def assert_busy(answer: Answer, limit_ms: int, *, json: bool) -> None:
    """A clear 503 with Retry-After, given after waiting the limit and not much longer."""
    assert answer.status == 503, answer.body
    assert answer.headers["Retry-After"] == "7"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Traceback" not in answer.body
    if json:
        assert answer.headers["Content-Type"] == "application/json" and '"Busy, try again"' in answer.body
    else:
        assert "<h1>Busy, try again</h1>" in answer.body and "try again in a moment" in answer.body
    assert limit_ms / 1000 * 0.9 <= answer.seconds < limit_ms / 1000 + MARGIN


@needs_pg
@on_pg
@with_settings()
def test_rows_a_staff_save_holds_block_no_guest_page_and_writers_give_up_at_their_limit(festival, make_user):
    staff = staff_client(festival, make_user)
    token = csrf(staff, f"{festival.url}/staff/kiosks/")
    save = f"{festival.url}/staff/kiosks/{festival.kiosk_id}/playlist"
    with festival.holder() as holder:
        # A staff save in progress elsewhere: the film and the kiosk rows are locked until it ends.
        holder.execute("UPDATE film SET title = title WHERE code = %s", (festival.film,))
        holder.execute("SELECT id FROM kiosk WHERE id = %s FOR UPDATE", (festival.kiosk_id,))
        for path in (f"/f/{festival.film}", "/festivals/ai-shorts-2026/schedule", "/sitemap.xml"):
            page = call(festival.url + path)
            assert page.status == 200 and page.seconds < GUEST["lock_timeout"] / 1000 + MARGIN, path
        assert_busy(festival.heartbeat(), STAFF["lock_timeout"], json=True)
        assert_busy(post_form(staff, save, {"csrf_token": token, "playlist_id": ""}), STAFF["lock_timeout"], json=False)
        holder.rollback()
    assert festival.heartbeat().status == 200
    assert post_form(staff, save, {"csrf_token": token, "playlist_id": ""}).status == 303
    assert call(f"{festival.url}/f/{festival.film}").status == 200


@needs_pg
@on_pg
@with_settings()
def test_a_table_lock_makes_guest_pages_and_heartbeats_fail_fast_with_503(festival):
    # The fixture has seen the film's page in Chinese, so it is ready and needs no query on the locked table;
    # the English page has not been made yet, so it must read the kiosk table and meets the lock.
    english = f"{festival.url}/f/{festival.film}?lang=en"
    with festival.holder() as holder:
        holder.execute("LOCK TABLE kiosk IN ACCESS EXCLUSIVE MODE")  # as a migration altering the table would
        assert_busy(call(english), GUEST["lock_timeout"], json=False)
        assert_busy(festival.heartbeat(), STAFF["lock_timeout"], json=True)
        ready = call(f"{festival.url}/f/{festival.film}")
        assert ready.status == 200 and ready.seconds < GUEST["lock_timeout"] / 1000
        holder.rollback()
    assert call(english).status == 200
    assert festival.heartbeat().status == 200


@needs_pg
@on_pg
@with_settings(DB_GUEST_LOCK_TIMEOUT_MS=0)
def test_the_statement_limit_ends_a_wait_that_has_no_lock_limit(festival):
    with festival.holder() as holder:
        holder.execute("LOCK TABLE kiosk IN ACCESS EXCLUSIVE MODE")
        english = f"{festival.url}/f/{festival.film}?lang=en"  # not made yet: it must read the locked table
        assert_busy(call(english), GUEST["statement_timeout"], json=False)
        holder.rollback()
    assert call(f"{festival.url}/f/{festival.film}?lang=en").status == 200


@needs_pg
@on_pg
@with_settings(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_pre_ping": True})
def test_each_request_gets_its_kinds_limits_and_none_leak_on_one_pooled_connection(app, live_server):
    add_probes(app)
    answers = [
        (kind, call(f"{live_server.url}/probe/{kind}").body)
        for kind in ("guest", "staff", "guest", "guest", "staff", "staff", "guest")
    ]
    seen_pids = set()
    for kind, body in answers:
        probe = json.loads(body)
        expected = GUEST if kind == "guest" else STAFF
        for connection in probe.values():  # the ORM session's and, for guests, the autocommit one
            seen_pids.add(connection.pop("pid"))
            assert connection.pop("show") == f"{expected['statement_timeout']}ms"
            assert connection == expected, kind
    assert len(seen_pids) == 1  # one server session served every request, so nothing can hide in a second
    with app.app_context():  # outside a request (commands, migrations): the server's own limits
        assert db.session.execute(text("SHOW statement_timeout")).scalar() == "0"
        assert db.session.execute(text("SHOW lock_timeout")).scalar() == "0"


@needs_pg
@on_pg
@with_settings(DB_STAFF_IDLE_IN_TRANSACTION_TIMEOUT_MS=300)
def test_a_request_idling_in_its_transaction_is_ended_with_503(app, live_server):
    def dawdle():
        db.session.execute(text("SELECT 1"))
        time.sleep(0.8)  # the server ends the session after 0.3 s idle in this transaction
        db.session.execute(text("SELECT 1"))
        return {"ok": True}

    app.add_url_rule("/api/dawdle", "dawdle", requires("kiosk")(dawdle))
    answer = call(f"{live_server.url}/api/dawdle")
    assert answer.status == 503 and answer.headers["Retry-After"] == "7", answer.body
    assert call(f"{live_server.url}/healthz").status == 200  # the pool replaced the ended connection


@pytest.mark.parametrize("backend", ["sqlite"])
@with_settings(SQLITE_BUSY_TIMEOUT_MS=400)
def test_sqlite_keeps_its_busy_timeout_and_a_held_write_lock_answers_503(demo, live_server):
    from showcase.kiosks.services import find_kiosk, new_token

    with demo.app_context():
        token = new_token(find_kiosk("hall-1"))
        db.session.commit()
    writer = sqlite3.connect(make_url(demo.config["DATABASE_URL"]).database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process writing: SQLite has one writer at a time
        assert_busy(heartbeat(live_server.url, token), 400, json=True)
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert heartbeat(live_server.url, token).status == 200


def test_each_kind_gets_its_own_sql_and_outside_a_request_the_servers_limits(tmp_path):
    from showcase.config import load
    from showcase.timeouts import settings_sql

    statements = settings_sql(load(str(tmp_path)))
    assert statements["guest"] == (
        "SET lock_timeout = 1000; SET statement_timeout = 2000; SET idle_in_transaction_session_timeout = 10000"
    )
    assert statements["staff"] == (
        "SET lock_timeout = 5000; SET statement_timeout = 15000; SET idle_in_transaction_session_timeout = 30000"
    )
    assert statements[None] == "RESET lock_timeout; RESET statement_timeout; RESET idle_in_transaction_session_timeout"


def test_only_database_timeouts_and_locks_count_as_busy():
    from sqlalchemy.exc import OperationalError

    from showcase.timeouts import is_busy

    def wrapped(error: Exception) -> OperationalError:
        return OperationalError("SELECT 1", {}, error)

    assert is_busy(wrapped(psycopg.errors.LockNotAvailable("lock timeout")))
    assert is_busy(wrapped(psycopg.errors.QueryCanceled("statement timeout")))
    assert not is_busy(wrapped(psycopg.errors.UndefinedTable("no such table")))
    assert not is_busy(wrapped(sqlite3.OperationalError("no such table: x")))
