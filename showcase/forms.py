"""Form helpers shared by every blueprint."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain

from flask import abort, request
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from showcase.errors import ShowcaseError, ValidationFailed
from showcase.i18n import translate
from showcase.messages import N_
from showcase.unit_of_work import attempt

NUL_MESSAGE = N_(
    "The request holds a NUL character (U+0000), which no text here can contain "
    "(the database refuses it): remove it and try again."
)


def refuse_nul() -> None:
    """before_request: 400 with a clear message when the path, the query, a form field or a file name
    holds a NUL character, before it can reach a query (PostgreSQL refuses NUL in text). JSON bodies
    are the kiosk API's own: its payload rules decide what a field may hold."""
    texts = chain((request.path,), chain.from_iterable(request.args.items(multi=True)))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts = chain(
            texts,
            chain.from_iterable(request.form.items(multi=True)),
            (upload.filename or "" for upload in request.files.values()),
        )
    if any("\x00" in text for text in texts):
        abort(400, NUL_MESSAGE)


def attach_errors(form: FlaskForm, exc: ValidationFailed) -> None:
    """Show a service's field errors on the form fields (or as form-level errors), in the reader's language."""
    for field_name, english in exc.errors.items():
        message = translate(english)
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            form.form_errors.append(message)


def save_with(form: FlaskForm, action: Callable[[], object]) -> object | None:
    """Run a service call; on a domain error (rolled back) show it on the form and return None.

    Returns what `action` returned. The request's unit of work commits after the view (unit_of_work).
    """
    try:
        return attempt(action)
    except ValidationFailed as exc:
        attach_errors(form, exc)
    except ShowcaseError as exc:
        form.form_errors.append(translate(exc.message))
        form.error_status = exc.status
    return None


def form_status(form: FlaskForm) -> int:
    """The status of a form shown again: 409 after a conflict, 400 with errors, else 200."""
    if form.errors or form.form_errors:
        return getattr(form, "error_status", 400)
    return 200


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice list WTForms wants (tuples are deprecated there)."""
    return [SelectChoice(value, label) for value, label in pairs]
