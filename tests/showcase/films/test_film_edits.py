"""Saving films: optimistic locking, stable guest codes, clear errors for bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from showcase.errors import StaleEdit, ValidationFailed
from tests.builders import make_festival, make_film
from tests.conftest import csrf_token, login, post_form

FILM_FORM = {"title": "新片", "title_en": "A New Film", "runtime_seconds": "300", "status": "submitted"}


def _count(model) -> int:
    from showcase.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def test_second_save_from_the_same_version_is_a_conflict_and_the_first_is_kept(ctx):
    from showcase.extensions import db
    from showcase.films.services import update_film

    film = make_film(make_festival())
    db.session.commit()
    version = film.version
    update_film(film, expected_version=version, title_en="First editor's title")
    db.session.commit()
    with pytest.raises(StaleEdit) as caught:
        update_film(film, expected_version=version, title_en="Second editor's title")
    db.session.rollback()
    assert "Someone else saved this film" in caught.value.message
    db.session.expire_all()
    assert db.session.get(type(film), film.id).title_en == "First editor's title"


def test_two_browsers_editing_one_film(app, client, demo, login_as, make_user):
    from showcase.extensions import db
    from showcase.films.models import Film

    login_as("editor")
    other = app.test_client()
    assert login(other, make_user("editor")).status_code == 302
    with app.app_context():
        film_id = db.session.scalars(select(Film.id)).first()
        version = str(db.session.get(Film, film_id).version)
    path = f"/staff/festivals/ai-shorts-2026/films/{film_id}/edit"
    token_a, token_b = csrf_token(client, path), csrf_token(other, path)
    base = {"title": "烟花", "runtime_seconds": "412", "status": "winner", "version": version}
    first = client.post(path, data={**base, "csrf_token": token_a, "title_en": "Kept title"})
    assert first.status_code == 302
    second = other.post(path, data={**base, "csrf_token": token_b, "title_en": "Late title"})
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Someone else saved this film" in html
    assert "Late title" in html  # the late editor's own edit is still in the form
    with app.app_context():
        assert db.session.get(Film, film_id).title_en == "Kept title"


def test_the_guest_code_survives_title_and_slug_changes(ctx):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.services import update_film

    film = make_film(make_festival(), title="烟花", title_en="Fireworks")
    db.session.commit()
    code, slug = film.code, film.slug
    update_film(film, expected_version=film.version, title="全新片名", title_en="Brand new", slug="brand-new")
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(Film, film.id)
    assert (slug, saved.slug, saved.title_en) == ("fireworks", "brand-new", "Brand new")
    assert saved.code == code


def test_codes_are_unique_and_never_reissued(ctx):
    from showcase.extensions import db
    from showcase.films.models import Film, ShortCode
    from showcase.films.services import create_film

    festival = make_festival()
    film = create_film(festival, title="临时", runtime_seconds=60)
    code = film.code
    db.session.delete(film)
    db.session.commit()
    assert db.session.get(ShortCode, code) is not None  # the code stays issued
    codes = {create_film(festival, title=f"片 {n}", runtime_seconds=60).code for n in range(50)}
    assert len(codes) == 50 and code not in codes
    assert all(len(c) == 8 for c in codes)
    assert _count(Film) == 50


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"runtime_seconds": "0"}, "runtime_seconds", "above zero"),
        ({"runtime_seconds": "-5"}, "runtime_seconds", "above zero"),
        ({"title": "   "}, "title", "Original title is required"),
        ({"slug": "fireworks"}, "slug", "already used"),
        ({"slug": "Not A Slug!"}, "slug", "lower-case letters"),
        ({"year": "1700"}, "year", "between 1888"),
        ({"contact_email": "not-an-email"}, "contact_email", "valid e-mail"),
    ],
)
def test_bad_film_input_is_refused_and_nothing_is_written(app, client, demo, login_as, changes, field, message):
    from showcase.films.models import Film

    login_as("editor")
    with app.app_context():
        before = _count(Film)
    response = post_form(client, "/staff/festivals/ai-shorts-2026/films/new", {**FILM_FORM, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _count(Film) == before


def test_a_good_film_is_created(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film

    login_as("editor")
    response = post_form(client, "/staff/festivals/ai-shorts-2026/films/new", FILM_FORM)
    assert response.status_code == 302
    with app.app_context():
        film = db.session.scalar(select(Film).where(Film.title_en == "A New Film"))
        assert film.slug == "a-new-film" and film.runtime_seconds == 300


def test_service_validation_lists_every_bad_field(ctx):
    from showcase.films.services import create_film

    with pytest.raises(ValidationFailed) as caught:
        create_film(make_festival(), title="", runtime_seconds=0, status="famous")
    assert set(caught.value.errors) == {"title", "runtime_seconds", "status"}
