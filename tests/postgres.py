"""PostgreSQL for the suite and the benchmarks: a server named by SHOWCASE_TEST_DATABASE_URL, or one of
our own when it says `start` (Debian's `postgresql` package: initdb into a temporary folder, trust
auth on a free loopback port, stopped and deleted at the end), and scratch databases on it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

ENV = "SHOWCASE_TEST_DATABASE_URL"
START = "start"


def configured() -> str:
    """SHOWCASE_TEST_DATABASE_URL: a server's URL, `start`, or "" for no PostgreSQL."""
    return os.environ.get(ENV, "")


def server_engine(server_url: str) -> tuple[Engine, URL]:
    url = make_url(server_url).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT"), url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgresql_bin() -> Path:
    """The folder of Debian's newest PostgreSQL server programs (initdb, pg_ctl)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise RuntimeError(f"initdb is missing: `{ENV}={START} make test` installs the Debian package postgresql")
    return versions[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL's programs refuse to run as root: as root, run them as the `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def own_postgresql(folder: Path) -> Iterator[str]:
    """A PostgreSQL server of our own in `folder`, trust auth on a free loopback port; yields its URL."""
    bin_dir = postgresql_bin()
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )
    port = free_port()
    # The socket folder is the data folder: Debian's /run/postgresql may be missing or not ours.
    options = f"-h 127.0.0.1 -p {port} -k {data} -F -c fsync=off -c full_page_writes=off"
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        engine, _ = server_engine(url)
        deadline = time.monotonic() + 30
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        engine.dispose()
        yield url
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def server(setting: str | None = None) -> Iterator[str | None]:
    """The server's URL for a setting (default: SHOWCASE_TEST_DATABASE_URL): None when there is none,
    a server of our own for the length of the block when it says `start`."""
    setting = configured() if setting is None else setting
    if setting != START:
        yield setting or None
        return
    with own_postgresql(Path(tempfile.mkdtemp(prefix="showcase-pg-"))) as url:
        yield url


@contextlib.contextmanager
def scratch_database(server_url: str, *, prefix: str = "showcase_scratch") -> Iterator[str]:
    """A new, empty database on the server for the length of the block; its URL."""
    engine, url = server_engine(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
