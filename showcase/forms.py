"""Form helpers shared by every blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm

from showcase.errors import ValidationFailed


def attach_errors(form: FlaskForm, exc: ValidationFailed) -> None:
    """Show a service's field errors on the form fields (or as form-level errors)."""
    for field_name, message in exc.errors.items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            form.form_errors.append(message)


def save_with(form: FlaskForm, action) -> object | None:
    """Run a service call and commit once; on a user error roll back and show it on the form.

    Returns what `action` returned, or None when nothing was saved.
    """
    from showcase.errors import ShowcaseError
    from showcase.extensions import db

    try:
        result = action()
    except ValidationFailed as exc:
        db.session.rollback()
        attach_errors(form, exc)
        return None
    except ShowcaseError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        form.error_status = exc.status
        return None
    db.session.commit()
    return result


def form_status(form: FlaskForm) -> int:
    """The status of a form shown again: 409 after a conflict, 400 with errors, else 200."""
    if form.errors or form.form_errors:
        return getattr(form, "error_status", 400)
    return 200
