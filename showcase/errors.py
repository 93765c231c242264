"""Errors a user can cause, and how the edge shows them."""

from __future__ import annotations

from flask import Flask, current_app, make_response, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

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
    if _wants_json():
        return {"error": title, "message": message}, status
    return render_template("errors/error.html", status=status, title=title, message=message), status


TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Busy, try again",
}


def _busy(exc: DBAPIError):
    """A database timeout or lock: 503 with Retry-After, as page or JSON (the app rolled back first)."""
    current_app.logger.warning("database busy on %s %s: %s", request.method, request.path, exc.orig)
    response = make_response(_render(503, TITLES[503], "The server is busy right now. Please try again in a moment."))
    response.headers["Retry-After"] = str(int(current_app.config["BUSY_RETRY_AFTER_SECONDS"]))
    response.headers["Cache-Control"] = "no-store"  # a cache must not keep "busy" in place of the page
    return response


def register_error_handlers(app: Flask) -> None:
    """Every error becomes a clear page (or JSON for the API), never a traceback."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return _render(status, TITLES.get(status, exc.name), exc.description or "")

    @app.errorhandler(ShowcaseError)
    def domain_error(exc: ShowcaseError):
        return _render(exc.status, TITLES.get(exc.status, "Error"), exc.message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _render(500, TITLES[500], "The error was logged. Please try again or tell the festival staff.")

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        return _busy(exc) if is_busy(exc) else unexpected(exc)
