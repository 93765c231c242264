"""Errors a user can cause, and how the edge shows them."""

from __future__ import annotations

from flask import Flask, current_app, make_response, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from showcase.i18n import N_, translate
from showcase.timeouts import is_busy


class ShowcaseError(Exception):
    """Base of the domain errors: each carries a message fit for the person who caused it."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(ShowcaseError):
    """Input that cannot be saved; `errors` maps a field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))
        self.errors = errors


class StaleEdit(ShowcaseError):
    """Someone else saved first; nothing of this edit was written."""

    status = 409

    def __init__(self, message: str, *, current: object = None, changes: dict | None = None) -> None:
        super().__init__(message)
        self.current = current
        self.changes = changes or {}


class NotFound(ShowcaseError):
    status = 404


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(status: int, title: str, message: str):
    """The error as JSON (English, for programs) or as a page in the reader's language."""
    if _wants_json():
        return {"error": str(title), "message": str(message)}, status
    page = render_template("errors/error.html", status=status, title=translate(title), message=translate(message))
    return page, status


TITLES = {
    400: N_("Bad request"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    503: N_("Busy, try again"),
}

# What a status means for the person who met it, where the code that refused said nothing more.
DESCRIPTIONS = {
    400: N_("The request could not be understood. Reload the page and try again."),
    403: N_("You are not allowed to open this page."),
    404: N_("There is nothing at this address. Check the link, or start again from the dashboard."),
    405: N_("This address does not take that kind of request."),
    413: N_("What you sent is too large."),
    429: N_("Too many attempts. Wait a moment, then try again."),
}


def _busy(exc: DBAPIError):
    """A database timeout or lock: 503 with Retry-After, as page or JSON (the app rolled back first)."""
    current_app.logger.warning("database busy on %s %s: %s", request.method, request.path, exc.orig)
    response = make_response(
        _render(503, TITLES[503], N_("The server is busy right now. Please try again in a moment."))
    )
    response.headers["Retry-After"] = str(int(current_app.config["BUSY_RETRY_AFTER_SECONDS"]))
    response.headers["Cache-Control"] = "no-store"  # a cache must not keep "busy" in place of the page
    return response


def register_error_handlers(app: Flask) -> None:
    """Every error becomes a clear page (or JSON for the API), never a traceback."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = exc.description or ""
        if message == type(exc).description:  # Werkzeug's own English words: ours, in the reader's language
            message = DESCRIPTIONS.get(status, message)
        return _render(status, TITLES.get(status, exc.name), message)

    @app.errorhandler(ShowcaseError)
    def domain_error(exc: ShowcaseError):
        return _render(exc.status, TITLES.get(exc.status, N_("Error")), exc.message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _render(500, TITLES[500], N_("The error was logged. Please try again or tell the festival staff."))

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        return _busy(exc) if is_busy(exc) else unexpected(exc)
