"""No request waits forever: PostgreSQL lock, statement and idle-in-transaction limits per kind of request.

Guest pages get short limits, every other request (staff pages, sign-in, the kiosk API) longer
ones, and work outside a request (CLI commands, migrations, the demo loader) the server's own.

The limits are session settings, applied in one place: when a pooled connection is checked out.
The kind they were set for is remembered on the connection, so a connection that served a guest
page is set back before it serves a staff request and the other way round: one SET per change of
kind, none while the kind stays the same. Session-level SET, not SET LOCAL, because the guest film
page reads on an autocommit connection, where there is no transaction for SET LOCAL to live in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

# PostgreSQL parameter → the suffix of its setting (DB_GUEST_… and DB_STAFF_…; 0 means no limit).
PARAMETERS = {
    "lock_timeout": "LOCK_TIMEOUT_MS",
    "statement_timeout": "STATEMENT_TIMEOUT_MS",
    "idle_in_transaction_session_timeout": "IDLE_IN_TRANSACTION_TIMEOUT_MS",
}
KINDS = ("guest", "staff")
APPLIED = "showcase_timeouts"  # key in the pool's per-connection info: the kind whose limits are set

# Errors that mean "busy, try again": a lock not granted in time (55P03), a statement cancelled by
# its timeout (57014), a session ended for idling in a transaction (25P03), a deadlock victim (40P01).
BUSY_SQLSTATES = frozenset({"55P03", "57014", "25P03", "40P01"})
SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def request_kind(access_of: Callable[[str], str | None]) -> str | None:
    """'guest' for public pages, 'staff' for every other request, None outside a request.

    `access_of` gives an endpoint's declared access (showcase.auth.access; passed in by the app
    factory, so that this infrastructure module imports no domain package)."""
    if not has_request_context():
        return None
    if request.endpoint is None:
        return "guest"  # an unknown URL: anonymous traffic
    # Sign-in is public, but it is the staff's door, not a guest page.
    if access_of(request.endpoint) == "public" and request.blueprint != "auth":
        return "guest"
    return "staff"


def settings_sql(config: dict[str, Any]) -> dict[str | None, str]:
    """The SQL that sets the three limits for each kind of request (None: back to the server's own)."""
    statements: dict[str | None, str] = {None: "; ".join(f"RESET {name}" for name in PARAMETERS)}
    for kind in KINDS:
        statements[kind] = "; ".join(
            f"SET {name} = {int(config[f'DB_{kind.upper()}_{suffix}'])}"  # checked by config.load
            for name, suffix in PARAMETERS.items()
        )
    return statements


def install(app: Flask, engine: Engine, *, access_of: Callable[[str], str | None]) -> None:
    """Apply the request's limits to every PostgreSQL connection it checks out."""
    statements = settings_sql(app.config)

    def on_checkout(dbapi_connection, record, _proxy) -> None:
        kind = request_kind(access_of)
        if record.info.get(APPLIED) == kind:  # a new connection has the server's own (None)
            return
        with dbapi_connection.cursor() as cursor:
            cursor.execute(statements[kind])
        # Committed at once: a SET in a transaction that is rolled back later would be undone
        # while the connection still claimed to carry it.
        dbapi_connection.commit()
        record.info[APPLIED] = kind

    event.listen(engine, "checkout", on_checkout)


def is_busy(exc: DBAPIError) -> bool:
    """Whether a database error means the database was busy (a timeout or a lock), not a fault."""
    original = exc.orig
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    code = getattr(original, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in SQLITE_BUSY_CODES  # extended codes keep the primary in the low byte
