"""Films of a festival (the full workspace builds on these pages)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from showcase.auth.access import requires
from showcase.festivals.services import get_festival
from showcase.films import services
from showcase.films.forms import FilmForm
from showcase.forms import form_status, save_with

bp = Blueprint("films", __name__, url_prefix="/staff/festivals/<slug>/films")


@bp.get("/")
@requires("viewer")
def list_films(slug: str):
    festival = get_festival(slug)
    return render_template("films/list_films.html", festival=festival, films=services.list_films(festival))


@bp.route("/new", methods=["GET", "POST"])
@requires("editor")
def create_film(slug: str):
    festival = get_festival(slug)
    form = FilmForm()
    if form.validate_on_submit():
        film = save_with(form, lambda: services.create_film(festival, actor=current_user, **form.values()))
        if film:
            flash(f"Film {film.display_title} created.", "success")
            return redirect(url_for("films.list_films", slug=slug))
    return render_template("films/create_film.html", form=form, festival=festival), form_status(form)


@bp.route("/<int:film_id>/edit", methods=["GET", "POST"])
@requires("editor")
def edit_film(slug: str, film_id: int):
    festival = get_festival(slug)
    film = services.get_film(festival, film_id)
    form = FilmForm(obj=film)
    if not form.is_submitted():
        form.version.data = str(film.version)
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else -1
        saved = save_with(form, lambda: services.update_film(
            film, expected_version=version, actor=current_user, **form.values()))
        if saved:
            flash("Film saved.", "success")
            return redirect(url_for("films.list_films", slug=slug))
        form.version.data = str(film.version)  # saving again now overwrites knowingly
    return render_template("films/edit_film.html", form=form, festival=festival, film=film), form_status(form)
