"""One unit of work per request and per CLI command: the edge commits once, services only flush.

A request: the view runs; when it returns normally with a status below 400 the session is committed,
once, after it (`finish`, called by the app's `dispatch_request`). An exception rolls everything back
(`abandon`, called by the app's exception handling before any error page reads the database), and so
does an error response (a form shown again with its errors, a refused kiosk call). A CLI command wraps
its writes in `command()`, which does the same and prints a domain error instead of a traceback.

A concurrent save that wins the race between a version check and the UPDATE surfaces from SQLAlchemy as
StaleDataError; `stale_is_edit` turns it into the StaleEdit users see (409), in one place. `attempt` is
for an edge that shows a domain error on the page it renders next: it rolls back first, so that page
reads the database as it is, not a failed transaction.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy.orm.exc import StaleDataError

from showcase.errors import ShowcaseError, StaleEdit, ValidationFailed
from showcase.extensions import db

T = TypeVar("T")


@contextmanager
def stale_is_edit(what: str = "this") -> Iterator[None]:
    """StaleDataError (someone saved the same row between our read and our write) → StaleEdit."""
    try:
        yield
    except StaleDataError as exc:
        raise StaleEdit(f"Someone else saved {what} at the same moment. Reload and try again.") from exc


def flush(what: str = "this") -> None:
    """Flush pending changes (services call this, never commit); a lost race becomes StaleEdit."""
    with stale_is_edit(what):
        db.session.flush()


def attempt(action: Callable[[], T]) -> T:
    """Run a service call at the edge; on a domain error roll back at once, then re-raise it."""
    try:
        with stale_is_edit():
            return action()
    except ShowcaseError:
        db.session.rollback()
        raise


def commit() -> None:
    """Commit the unit of work; on failure roll back and raise (StaleEdit for a lost race)."""
    try:
        with stale_is_edit():
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def finish(response) -> None:
    """End a request's unit of work: commit after a response below 400, roll back after an error one."""
    if response.status_code < 400:
        commit()
    else:
        db.session.rollback()


def end_read() -> None:
    """End a transaction that only read, so the next query sees what others committed since (for a response
    that streams for a while, like the control room's events); nothing was written, so nothing is lost."""
    db.session.rollback()


def abandon() -> None:
    """End a request's unit of work after an exception: nothing of it is written."""
    db.session.rollback()


def print_field_errors(exc: ValidationFailed) -> None:
    """Every field error of a refused command on its own line of standard error."""
    for field, message in exc.errors.items():
        click.echo(f"error: {field}: {message}", err=True)


@contextmanager
def command() -> Iterator[None]:
    """A CLI command's unit of work: commit when the block ends normally; on a domain error roll back
    and exit 1 having written nothing (field errors one per line, any other as click's "Error: …");
    any other exception rolls back too and propagates."""
    try:
        with stale_is_edit():
            yield
        commit()
    except ValidationFailed as exc:
        db.session.rollback()
        print_field_errors(exc)
        sys.exit(1)
    except ShowcaseError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    except BaseException:
        db.session.rollback()
        raise
