"""One unit of work per request and per command (showcase/unit_of_work.py): a normal answer below 400
commits once; any exception or error answer writes nothing; a lost race is a 409, not a 500."""

from __future__ import annotations

import click
import pytest
from flask import abort
from sqlalchemy import func, select, text, update

from showcase.auth.access import requires
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.unit_of_work import command
from tests.builders import make_festival, make_film


def _write_then(outcome: str):
    """A view that writes a festival, then ends the way `outcome` says."""

    def view():
        make_festival(slug=f"uow-{outcome}")
        if outcome == "raises":
            raise RuntimeError("boom after a write")
        if outcome == "aborts":
            abort(404)
        if outcome == "refuses":
            raise ValidationFailed({"name": "not like that"})
        if outcome == "not-found":
            raise NotFound("gone")
        if outcome == "error-answer":
            return "shown again with its errors", 400
        if outcome == "redirect":
            return "", 303, {"Location": "/"}
        return "saved"

    view.__name__ = f"uow_{outcome.replace('-', '_')}"
    return requires("public")(view)


OUTCOMES = {
    "commits": (200, True),
    "redirect": (303, True),
    "raises": (500, False),
    "aborts": (404, False),
    "refuses": (400, False),
    "not-found": (404, False),
    "error-answer": (400, False),
}


@pytest.fixture
def uow_app(app):
    for outcome in OUTCOMES:
        app.add_url_rule(f"/_uow/{outcome}", view_func=_write_then(outcome), methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_request_commits_only_when_its_view_answers_normally(uow_app, outcome):
    status, kept = OUTCOMES[outcome]
    response = uow_app.test_client().post(f"/_uow/{outcome}")
    assert response.status_code == status
    assert b"Traceback" not in response.data
    with uow_app.app_context():
        saved = db.session.scalar(select(func.count()).select_from(Festival).where(Festival.slug == f"uow-{outcome}"))
    assert saved == (1 if kept else 0)


def test_a_concurrent_save_found_at_commit_is_a_409_and_writes_nothing(app):
    with app.app_context():
        festival = make_festival(slug="uow-race")
        film_id = make_film(festival, title="原片").id
        db.session.commit()

    @requires("public")
    def edit_after_someone_else():
        film = db.session.get(Film, film_id)
        film.title = "我的修改"  # pending: flushed by the commit after the view returns
        # someone else's save lands between our read and our write
        with db.engine.begin() as other:
            other.execute(update(Film).where(Film.id == film_id).values(title="别人的修改", version=Film.version + 1))
        return "saved"

    app.add_url_rule("/_uow/race", view_func=edit_after_someone_else, methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post("/_uow/race")
    assert response.status_code == 409
    assert "Someone else saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Film.title).where(Film.id == film_id)) == "别人的修改"


def test_an_error_page_after_a_failed_flush_still_renders(app):
    @requires("public")
    def broken_flush():
        db.session.execute(text("SELECT 1"))
        make_film(make_festival(slug="uow-flush"))
        db.session.add(Festival(name="Twin", slug="uow-flush"))  # the unique slug fails at flush
        db.session.flush()
        return "never"

    app.add_url_rule("/_uow/flush", view_func=broken_flush, methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post("/_uow/flush")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Film)) == 0


def test_a_command_commits_at_the_end_of_its_block(ctx):
    with command():
        make_festival(slug="uow-cli")
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 1


def test_a_command_refused_with_field_errors_writes_nothing_and_exits_1(ctx, capsys):
    with pytest.raises(SystemExit) as exit_info, command():
        make_festival(slug="uow-cli-refused")
        make_festival(slug="uow-cli-refused")  # the slug is taken by the first: ValidationFailed
    assert exit_info.value.code == 1
    assert "error: slug: The slug 'uow-cli-refused' is already used" in capsys.readouterr().err
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 0


def test_a_command_with_a_domain_error_says_it_like_click_and_writes_nothing(ctx):
    with pytest.raises(click.ClickException, match="No such thing"), command():
        make_festival(slug="uow-cli-missing")
        raise NotFound("No such thing.")
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 0


def test_any_other_exception_in_a_command_rolls_back_and_propagates(ctx):
    with pytest.raises(KeyError), command():
        make_festival(slug="uow-cli-crash")
        raise KeyError("crash")
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Festival)) == 0
