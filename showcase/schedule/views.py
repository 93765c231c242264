"""Sessions of a festival (the grid and running-order builder build on these pages)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from showcase.auth.access import requires
from showcase.errors import ValidationFailed
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.forms import form_status, save_with
from showcase.schedule import services
from showcase.schedule.forms import SessionForm

bp = Blueprint("schedule", __name__, url_prefix="/staff/festivals/<slug>/sessions")


def _form(festival: Festival, obj=None) -> SessionForm:
    form = SessionForm(obj=obj)
    form.screen_id.choices = [(None, "— no screen —")] + [
        (s.id, f"{s.venue.name} · {s.name}") for s in festival.screens]
    if obj is not None and not form.is_submitted():
        zone = festival.zone
        form.starts_at.data = obj.starts_at.astimezone(zone).replace(tzinfo=None)
        form.ends_at.data = obj.ends_at.astimezone(zone).replace(tzinfo=None)
        form.version.data = str(obj.version)
    return form


def _values(festival: Festival, form: SessionForm) -> dict:
    """The form's values with times converted from the festival's wall clock to UTC."""
    values = {name: field.data for name, field in form._fields.items()
              if name not in ("csrf_token", "version")}
    errors = {}
    for name in ("starts_at", "ends_at"):
        if values[name] is not None:
            try:
                values[name] = services.local_to_utc(festival, values[name])
            except ValueError as exc:
                errors[name] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return values


@bp.get("/")
@requires("viewer")
def list_sessions(slug: str):
    festival = get_festival(slug)
    return render_template("schedule/list_sessions.html", festival=festival,
                           sessions=services.list_sessions(festival))


@bp.route("/new", methods=["GET", "POST"])
@requires("editor")
def create_session(slug: str):
    festival = get_festival(slug)
    form = _form(festival)
    if form.validate_on_submit():
        saved = save_with(form, lambda: services.create_session(
            festival, actor=current_user, **_values(festival, form)))
        if saved:
            flash("Session added.", "success")
            return redirect(url_for("schedule.list_sessions", slug=slug))
    return render_template("schedule/create_session.html", form=form, festival=festival), form_status(form)


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@requires("editor")
def edit_session(slug: str, session_id: int):
    festival = get_festival(slug)
    session = services.get_session(festival, session_id)
    form = _form(festival, obj=session)
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else -1
        saved = save_with(form, lambda: services.update_session(
            session, expected_version=version, actor=current_user, **_values(festival, form)))
        if saved:
            flash("Session saved.", "success")
            return redirect(url_for("schedule.list_sessions", slug=slug))
        form.version.data = str(session.version)
    return render_template("schedule/edit_session.html", form=form, festival=festival,
                           session=session), form_status(form)
