"""A juror's pages: their rounds, the films assigned to them, and a scoring page that works on a phone.

A juror sees only what is theirs: rounds they sit on, films assigned to them (a film of another juror, one
they declared a conflict with, or one of another round answers 404, never a hint), and their own scores.
While a round is blind, the team (credits, submission contact) stays hidden until it closes.
"""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showcase.auth.access import requires
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.i18n import translate
from showcase.jury import services
from showcase.unit_of_work import attempt

PRIVATE = {"Cache-Control": "private, no-store"}


@requires("juror")
def home():
    rounds = services.juror_rounds(current_user)
    return render_template("jury/home.html", rounds=rounds), 200, PRIVATE


@requires("juror")
def show_round(round_id: int):
    jury_round = services.juror_round(round_id, current_user)
    films = services.juror_films(jury_round, current_user)
    return render_template("jury/show_round.html", round=jury_round, films=films), 200, PRIVATE


@requires("juror")
def score_film(round_id: int, film_id: int):
    """The scoring page (GET), and its no-JavaScript save (POST): the same values the script saves as you go."""
    jury_round = services.juror_round(round_id, current_user)
    film, score = services.juror_film(jury_round, current_user, film_id)
    values, comment, errors, status = (score.values if score else {}), (score.comment if score else ""), {}, 200
    if request.method == "POST":
        values = {c.name: request.form.get(c.name, "") for c in jury_round.criteria}
        comment = request.form.get("comment", "")
        try:
            attempt(lambda: services.save_score(jury_round, current_user, film.id, values, comment))
        except ValidationFailed as exc:
            errors, status = {k: translate(v) for k, v in exc.errors.items()}, 400
        else:
            flash(_("Your scores for «%(title)s» are saved.", title=film.title), "success")
            following = _next_unscored(jury_round, film.id)
            target = (
                url_for("jury.score_film", round_id=round_id, film_id=following)
                if following
                else url_for("jury.show_round", round_id=round_id)
            )
            return redirect(target, 303)
    festival = db.session.get(Festival, jury_round.festival_id)
    context = {
        "round": jury_round,
        "festival": festival,
        "film": film,
        "values": values,
        "comment": comment,
        "errors": errors,
        "saved_at": score.updated_at if score else None,
        "blind": jury_round.blind and not jury_round.closed,
        "window": services.scoring_window_problem(jury_round),
        "has_video": services.film_video(film, current_app.config["MEDIA_ROOT"]) is not None,
    }
    return render_template("jury/score_film.html", **context), status, PRIVATE


@requires("juror")
def save_score(round_id: int, film_id: int):
    """The scoring page's save as you go: JSON in, JSON out (the saved time, or why not)."""
    jury_round = services.juror_round(round_id, current_user)
    film, _score = services.juror_film(jury_round, current_user, film_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("values", {}), dict):
        return jsonify(error=_('Send the scores as JSON: {"values": {…}, "comment": "…"}.')), 400, PRIVATE
    try:
        saved = attempt(
            lambda: services.save_score(
                jury_round, current_user, film.id, data.get("values", {}), str(data.get("comment", ""))[:5000]
            )
        )
    except ValidationFailed as exc:
        return jsonify(error=" ".join(translate(v) for v in exc.errors.values())), 400, PRIVATE
    return jsonify(saved_at=saved.updated_at.isoformat()), 200, PRIVATE


@requires("juror")
def film_video(round_id: int, film_id: int):
    """The film's video for an assigned juror, with HTTP Range so a phone can seek and stream."""
    jury_round = services.juror_round(round_id, current_user)
    film, _score = services.juror_film(jury_round, current_user, film_id)
    path = services.film_video(film, current_app.config["MEDIA_ROOT"])
    if path is None:
        raise NotFound(_("This film has no video file yet."))
    response = send_file(path, conditional=True, max_age=0)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@requires("juror")
def declare_conflict(round_id: int, film_id: int):
    """A juror declares a conflict of interest with an assigned film: it is taken off them and reassigned."""
    jury_round = services.juror_round(round_id, current_user)
    film, _score = services.juror_film(jury_round, current_user, film_id)
    festival = db.session.get(Festival, jury_round.festival_id)
    reason = request.form.get("reason", "")
    attempt(lambda: services.declare_conflict(current_user, festival, film=film, reason=reason))
    with suppress(ValidationFailed):  # nobody else may judge it now: staff see the round short of jurors
        attempt(lambda: services.assign_round(jury_round, actor=current_user))
    flash(
        _("Thank you: «%(title)s» is no longer yours to judge, and goes to another juror.", title=film.title), "success"
    )
    return redirect(url_for("jury.show_round", round_id=round_id), 303)


def _next_unscored(jury_round, after_film_id: int) -> int | None:
    """The next assigned film (by title) the juror has not scored, after the one just saved."""
    films = services.juror_films(jury_round, current_user)
    ids = [film.id for film, score in films]
    start = ids.index(after_film_id) + 1 if after_film_id in ids else 0
    for film, score in films[start:] + films[:start]:
        if score is None and film.id != after_film_id:
            return film.id
    return None
