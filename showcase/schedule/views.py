"""Sessions of a festival: the list, the day grid, and the session form with conflict checks."""

from __future__ import annotations

from datetime import date

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from showcase.auth.access import requires
from showcase.db import utcnow
from showcase.errors import ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.festivals.services import get_festival
from showcase.forms import choices, form_status, save_with
from showcase.schedule import services
from showcase.schedule.clashes import ClashRefused, festival_clashes
from showcase.schedule.forms import SessionForm, worded_clashes
from showcase.schedule.grid import GridEntry, entries_on, layout_css, layout_day
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.schedule.timing import overrun_minutes
from showcase.validation import MAX_ID, whole_number


def _form(festival: Festival, obj=None) -> SessionForm:
    form = SessionForm(obj=obj)
    form.days = (festival.start_date, festival.end_date)
    form.screen_id.choices = choices(
        [(None, _("— no screen —"))] + [(s.id, f"{s.venue.name} · {s.name}") for s in festival.screens]
    )
    if obj is not None and not form.is_submitted():
        zone = festival.zone
        form.starts_at.data = obj.starts_at.astimezone(zone).replace(tzinfo=None)
        form.ends_at.data = obj.ends_at.astimezone(zone).replace(tzinfo=None)
        form.version.data = str(obj.version)
    return form


def _values(festival: Festival, form: SessionForm) -> dict:
    """The form's values with times converted from the festival's wall clock to UTC."""
    values = form.values()
    errors = {}
    for name in ("starts_at", "ends_at"):
        if values[name] is not None:
            try:
                values[name] = services.local_to_utc(festival, values[name])
            except ValueError as exc:
                errors[name] = exc.args[0] if exc.args else str(exc)  # a Message, worded on the form
    if errors:
        raise ValidationFailed(errors)
    return values


def save_refusing_clashes(form, action):
    """save_with, keeping the clashes of a refused save on the form for the page to list."""
    form.clashes = []

    def run():
        try:
            return action()
        except ClashRefused as exc:
            form.clashes = worded_clashes(exc.clashes)
            raise

    return save_with(form, run)


def _hide_override(form: SessionForm) -> SessionForm:
    """The override box appears once conflicts have been shown (or was ticked), never by default."""
    if not getattr(form, "clashes", None) and not form.override_conflicts.data:
        del form.override_conflicts
    return form


def schedule_overview(festival: Festival) -> dict:
    """Sessions with their clashes in words and their running-order overruns in minutes."""
    sessions = services.list_sessions(festival)
    totals = dict(
        db.session.execute(
            select(RunningOrderItem.session_id, func.sum(RunningOrderItem.planned_seconds))
            .join(ScheduleSession)
            .where(ScheduleSession.festival_id == festival.id)
            .group_by(RunningOrderItem.session_id)
        ).all()
    )
    overruns = {
        s.id: overrun_minutes(int((s.ends_at - s.starts_at).total_seconds()), int(totals.get(s.id) or 0))
        for s in sessions
    }
    clashes = {session_id: worded_clashes(found) for session_id, found in festival_clashes(festival).items()}
    return {"festival": festival, "sessions": sessions, "clashes": clashes, "overruns": overruns}


@requires("viewer")
def list_sessions(slug: str):
    festival = get_festival(slug)
    return render_template("schedule/list_sessions.html", **schedule_overview(festival))


def _days(festival: Festival, sessions: list[ScheduleSession]) -> list[date]:
    zone = festival.zone
    days = sorted({s.starts_at.astimezone(zone).date() for s in sessions})
    return days or [festival.start_date]


def _day_grid(festival: Festival, sessions: list[ScheduleSession]) -> dict:
    """The day asked for (`?day=`, else the first with sessions), its screen columns and its layout."""
    days = _days(festival, sessions)
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = days[0]
    screens = festival.screens
    columns: list = [s.id for s in screens]
    if any(s.screen_id is None for s in sessions):
        columns.append(None)
    entries = [GridEntry(s.id, s.screen_id, s.starts_at, s.ends_at) for s in sessions]
    on_day = entries_on(entries, day, tz=festival.zone)
    names = {s.id: s.name + (f" · {s.name_en}" if s.name_en else "") for s in screens} | {None: _("No screen")}
    now = utcnow()
    return {
        "days": days,
        "day": day,
        "now": now,
        "layout": layout_day(on_day, columns, tz=festival.zone, now=now),
        "columns": [names[c] for c in columns],
        "shown": {e.id for e in on_day},
    }


@requires("viewer")
def show_grid(slug: str):
    festival = get_festival(slug)
    overview = schedule_overview(festival)
    sessions = overview["sessions"]
    grid = _day_grid(festival, sessions)
    by_column: dict[int, list] = {}
    by_id = {s.id: s for s in sessions}
    if grid["layout"] is not None:
        for block in grid["layout"].blocks:
            by_column.setdefault(block.column, []).append(by_id[block.id])
    return render_template(
        "schedule/show_grid.html",
        **overview,
        **grid,
        by_column=by_column,
        day_sessions=[s for s in sessions if s.id in grid["shown"]],
    )


@requires("viewer")
def show_grid_css(slug: str):
    """The day grid's geometry as a stylesheet (the CSP allows no inline style)."""
    festival = get_festival(slug)
    layout = _day_grid(festival, services.list_sessions(festival))["layout"]
    response = make_response(layout_css(layout) if layout is not None else "")
    response.mimetype = "text/css"
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)


@requires("editor")
def create_session(slug: str):
    festival = get_festival(slug)
    form = _form(festival)
    if form.validate_on_submit():
        saved = save_refusing_clashes(
            form,
            lambda: services.create_session(
                festival, actor=current_user, override_conflicts=form.override_conflicts.data, **_values(festival, form)
            ),
        )
        if saved:
            flash(_("Session added."), "success")
            return redirect(url_for("schedule.list_sessions", slug=slug))
    status = form_status(form)
    return render_template("schedule/create_session.html", form=_hide_override(form), festival=festival), status


@requires("editor")
def edit_session(slug: str, session_id: int):
    festival = get_festival(slug)
    session = services.get_session(festival, session_id)
    form = _form(festival, obj=session)
    if form.validate_on_submit():
        version = whole_number(form.version.data, maximum=MAX_ID) or -1
        saved = save_refusing_clashes(
            form,
            lambda: services.update_session(
                session,
                expected_version=version,
                actor=current_user,
                override_conflicts=form.override_conflicts.data,
                **_values(festival, form),
            ),
        )
        if saved:
            flash(_("Session saved."), "success")
            return redirect(url_for("schedule.list_sessions", slug=slug))
        form.version.data = str(session.version)
    status = form_status(form)
    return render_template(
        "schedule/edit_session.html", form=_hide_override(form), festival=festival, session=session
    ), status
