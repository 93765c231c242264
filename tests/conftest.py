"""Shared fixtures: an app on SQLite, and on PostgreSQL whenever SHOWCASE_TEST_DATABASE_URL is set.

SHOWCASE_TEST_DATABASE_URL is either a server's URL (postgresql://user@host:port/db) or `start`: then the
suite runs a PostgreSQL server of its own (Debian's `postgresql` package: initdb into a temporary folder,
trust auth on a free loopback port), stopped and deleted at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socketserver
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests import postgres
from tests.xdisplay import xvfb_factory

PG_URL = postgres.configured()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def pg_server():
    """The PostgreSQL server's URL: SHOWCASE_TEST_DATABASE_URL's, or one the suite starts when it says `start`."""
    try:
        with postgres.server(PG_URL) as url:
            yield url
    except RuntimeError as exc:  # initdb missing
        pytest.fail(str(exc))


def _metadata():
    import showcase.models  # noqa: F401 - every table on the metadata
    from showcase.db import Base

    return Base.metadata


@pytest.fixture(scope="session")
def pg_database(pg_server):
    """A database of our own on the PostgreSQL server with the schema built once, dropped at the end."""
    with postgres.scratch_database(pg_server, prefix=f"showcase_test_{os.getpid()}") as database_url:
        schema_engine = create_engine(database_url)
        _metadata().create_all(schema_engine)
        schema_engine.dispose()
        yield database_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty SQLite database with the schema, built once and copied for each test."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    _metadata().create_all(engine)
    engine.dispose()
    return path


def _empty_tables(db) -> None:
    """Leave the shared PostgreSQL database as the next test expects it: schema kept, rows gone."""
    names = ", ".join(f'"{table.name}"' for table in _metadata().sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def new_pg_database(pg_server):
    """A fresh, empty PostgreSQL database for one test (migration tests)."""
    with postgres.scratch_database(pg_server, prefix="showcase_mig") as url:
        yield url


def app_config(tmp_path: Path, database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "UPLOAD_ROOT": str(tmp_path / "uploads"),
        # A cheap scrypt cost keeps hundreds of sign-ins fast; production keeps werkzeug's default.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # a page sweep reads every stream to its end: a short one (the stream tests ask for longer)
        "CONTROL_EVENTS_MS": 300,
        "KIOSK_COMMANDS_WAIT_MS": 300,
        "SHOW_EVENTS_MS": 300,
        **extra,
    }


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(request, backend, tmp_path):
    from showcase.app import create_app
    from showcase.extensions import db

    if backend == "postgresql":
        url = request.getfixturevalue("pg_database")
    else:
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
        url = f"sqlite:///{tmp_path / 'test.db'}"
    # `@pytest.mark.parametrize("app", [{SETTING: value}], indirect=True)` adds settings.
    application = create_app(app_config(tmp_path, url, **getattr(request, "param", {})))
    yield application
    with application.app_context():
        db.session.remove()
        if backend == "postgresql":
            _empty_tables(db)
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on `path`."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST a form the way a browser does: with the CSRF token of the page that shows it."""
    payload = {"csrf_token": csrf_token(client, token_from or path), **data}
    return client.post(path, data=payload, **kwargs)


@pytest.fixture
def make_user(app):
    from showcase.auth.services import create_user
    from showcase.extensions import db

    def make(role: str = "viewer", email: str | None = None):
        with app.app_context():
            user = create_user(
                email=email or f"{role}-{uuid.uuid4().hex[:6]}@example.org",
                name=f"A {role}",
                role=role,
                password=PASSWORD,
            )
            db.session.commit()
            return user.email

    return make


def login(client, email: str, password: str = PASSWORD, **extra):
    return post_form(client, "/login", {"email": email, "password": password, **extra})


@pytest.fixture
def login_as(client, make_user):
    def do(role: str):
        email = make_user(role)
        response = login(client, email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return email

    return do


@pytest.fixture
def demo(app):
    """The demo festival, loaded through the services (no video clips).

    No app context stays pushed: a request made inside one would share its `g` (and so its
    signed-in user) with every other request. Tests that call services also take `ctx`.
    """
    from showcase.demo.loader import load_demo
    from showcase.extensions import db

    with app.app_context():
        load_demo(make_clips=False)
        db.session.commit()
    return app


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextlib.contextmanager
def serving(application):
    """`application` served over real HTTP on a free loopback port, in a background thread."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, application, threaded=True)
    # Request threads are waited for when the server stops: a response still streaming (the control room's
    # events, a kiosk's long poll) must end before the test's app and database go away under it.
    server.daemon_threads = False  # socketserver then keeps them in server._threads
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)
        deadline = time.monotonic() + 30  # the longest a test lets a stream run, and some
        for request_thread in list(server._threads or ()):
            request_thread.join(timeout=max(0.0, deadline - time.monotonic()))
        socketserver.TCPServer.server_close(server)  # the socket only: the threads were waited for above


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free loopback port, in a background thread."""
    with serving(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and a page in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def browser_login(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/staff/**")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of the suite's own on a free loopback port (`make test` installs redis-server)."""
    import subprocess
    import time

    import redis

    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is missing: `make test` installs the Debian package redis-server")
    port = postgres.free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            executable,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the suite's redis-server did not start")
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def x_display() -> Iterator[Callable[..., str]]:
    """Start real X displays (Xvfb, no window manager): factory(width, height) → display name like ":7"."""
    with xvfb_factory() as start:
        yield start
