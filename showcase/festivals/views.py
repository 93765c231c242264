"""The staff dashboard and festival editions."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from showcase.auth.access import requires
from showcase.extensions import db
from showcase.festivals import services
from showcase.festivals.forms import FestivalForm
from showcase.films.models import Film
from showcase.films.search import FilmFilters, film_page
from showcase.forms import form_status, save_with
from showcase.schedule.models import ScheduleSession
from showcase.schedule.services import list_sessions

OVERVIEW_FILMS = 50


def _counts(model) -> dict[int, int]:
    rows = db.session.execute(select(model.festival_id, func.count()).group_by(model.festival_id))
    return dict(rows.all())


@requires("viewer")
def dashboard():
    return render_template(
        "festivals/dashboard.html",
        festivals=services.list_festivals(),
        film_counts=_counts(Film),
        session_counts=_counts(ScheduleSession),
    )


@requires("editor")
def create_festival():
    form = FestivalForm()
    if form.validate_on_submit():
        festival = save_with(form, lambda: services.create_festival(actor=current_user, **form.values()))
        if festival:
            flash(f"Festival {festival.name} created.", "success")
            return redirect(url_for("festivals.show_festival", slug=festival.slug))
    return render_template("festivals/create_festival.html", form=form), form_status(form)


@requires("viewer")
def show_festival(slug: str):
    festival = services.get_festival(slug)
    # Thousands of submissions belong on the paged films list; the overview shows the winners.
    winners = film_page(festival, FilmFilters(status="winner"), per_page=OVERVIEW_FILMS)
    return render_template(
        "festivals/show_festival.html",
        festival=festival,
        sessions=list_sessions(festival),
        films=winners.films,
        winner_count=winners.total,
        film_count=_counts(Film).get(festival.id, 0),
    )


@requires("editor")
def edit_festival(slug: str):
    festival = services.get_festival(slug)
    form = FestivalForm(obj=festival)
    if form.validate_on_submit():
        saved = save_with(form, lambda: services.update_festival(festival, actor=current_user, **form.values()))
        if saved:
            flash("Festival saved.", "success")
            return redirect(url_for("festivals.show_festival", slug=saved.slug))
    return render_template("festivals/edit_festival.html", form=form, festival=festival), form_status(form)
