"""The staff workspace: the dashboard, a festival's overview, the film list (search and filters) and a
film's page with its awards and status. These pages read several domains (festivals, films, awards,
schedule), so they live above all of them; the domains' own pages edit one thing each."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from showcase.auth.access import requires
from showcase.awards.picking import film_label, film_matches, query_problem
from showcase.awards.services import list_categories_plain
from showcase.extensions import db
from showcase.festivals.services import get_festival, list_festivals
from showcase.films.forms import STATUS_CHOICES, StatusForm
from showcase.films.media import runtime_warning
from showcase.films.models import Film
from showcase.films.services import get_film, set_status
from showcase.forms import save_with
from showcase.schedule.models import ScheduleSession
from showcase.schedule.services import list_sessions
from showcase.templating import duration
from showcase.workspace.search import FilmFilters, awards_by_film, film_page, languages

OVERVIEW_FILMS = 50


def _counts(model) -> dict[int, int]:
    rows = db.session.execute(select(model.festival_id, func.count()).group_by(model.festival_id))
    return dict(rows.all())


@requires("juror")
def dashboard():
    """The home of every signed-in account: staff see the festivals; a juror, who may open no staff page,
    is sent to the films they judge."""
    if not current_user.has_role("viewer"):
        return redirect(url_for("jury.home"))
    return render_template(
        "workspace/dashboard.html",
        festivals=list_festivals(),
        film_counts=_counts(Film),
        session_counts=_counts(ScheduleSession),
    )


@requires("viewer")
def show_festival(slug: str):
    festival = get_festival(slug)
    # Thousands of submissions belong on the paged films list; the overview shows the winners.
    winners = film_page(festival, FilmFilters(status="winner"), per_page=OVERVIEW_FILMS)
    return render_template(
        "workspace/show_festival.html",
        festival=festival,
        sessions=list_sessions(festival),
        films=winners.films,
        winner_count=winners.total,
        film_count=_counts(Film).get(festival.id, 0),
    )


@requires("viewer")
def list_films(slug: str):
    festival = get_festival(slug)
    filters = FilmFilters.from_args(request.args)
    return render_template(
        "workspace/list_films.html",
        festival=festival,
        filters=filters,
        page=film_page(festival, filters),
        languages=languages(festival),
        categories=list_categories_plain(festival.id),
        statuses=STATUS_CHOICES,
    )


@requires("viewer")
def show_film(slug: str, film_id: int):
    festival = get_festival(slug)
    film = get_film(festival, film_id)
    form = StatusForm(obj=film)
    return render_template(
        "workspace/show_film.html",
        festival=festival,
        film=film,
        status_form=form,
        awards=awards_by_film([film.id]).get(film.id, []),
        runtime_warning=runtime_warning(film),
    )


@requires("editor")
def change_status(slug: str, film_id: int):
    festival = get_festival(slug)
    film = get_film(festival, film_id)
    form = StatusForm()
    if form.validate_on_submit() and save_with(form, lambda: set_status(film, form.status.data, actor=current_user)):
        flash(_("Status set to %(status)s.", status=film.status), "success")
        return redirect(url_for("workspace.show_film", slug=slug, film_id=film.id), code=303)
    return render_template(
        "workspace/show_film.html",
        festival=festival,
        film=film,
        status_form=form,
        awards=awards_by_film([film.id]).get(film.id, []),
        runtime_warning=runtime_warning(film),
    ), 400


@requires("viewer")
def search_films(slug: str):
    """The film picker's JSON: the best few films whose title (either language), submission id or guest
    code matches `q`; 400 with a message for an empty or overlong query."""
    festival = get_festival(slug)
    q = request.args.get("q", "").strip()
    problem = query_problem(q)
    if problem:
        return jsonify(error="Bad request", message=problem), 400
    films, more = film_matches(festival, q)
    results = [
        {
            "id": film.id,
            "label": film_label(film),
            "detail": " · ".join(
                part
                for part in (film.external_id or "", film.code, film.status, duration(film.runtime_seconds))
                if part
            ),
        }
        for film in films
    ]
    response = jsonify(query=q, results=results, more=more)
    response.headers["Cache-Control"] = "private, no-store"
    return response
