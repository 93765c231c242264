"""Adding a film to a running order by searching for it, without JavaScript: the one film it names is
added to the list as posted (unsaved), several are shown to choose from, and nothing is lost meanwhile."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token
from tests.showcase.schedule.conftest import SLUG, builder_form, item_titles, session_id_of

BASE = f"/staff/festivals/{SLUG}/sessions"


def _path(session_id: int) -> str:
    return f"{BASE}/{session_id}/running-order"


def _add(app, client, session_id: int, *extra, fields=None):
    fields = builder_form(app, session_id) if fields is None else fields
    data = MultiDict([("csrf_token", csrf_token(client, _path(session_id))), *fields, *extra, ("op", "add-film")])
    return client.post(_path(session_id), data=data)


def _titles(html: str) -> list[str]:
    return re.findall(r'name="item_title" value="([^"]*)"', html)


def test_the_builder_offers_the_film_search(app, editor_client):
    html = editor_client.get(_path(session_id_of(app, "panel"))).get_data(as_text=True)
    assert f'data-search-url="/staff/festivals/{SLUG}/films/search"' in html
    assert 'data-picker-submit="ro-add-film"' in html and 'name="add_film_id"' in html


def test_part_of_a_title_adds_that_film_to_the_posted_list_unsaved(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    stored = item_titles_of(app, ceremony)
    fields = [
        (k, "欢迎辞（改）" if k == "item_title" and v == stored[1] else v) for k, v in builder_form(app, ceremony)
    ]
    response = _add(app, editor_client, ceremony, ("add_film", "回声"), fields=fields)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _titles(html) == [stored[0], "欢迎辞（改）", *stored[2:], "回声工厂"]
    assert "Added the film «回声工厂»" in html and "Not saved yet" in html
    assert re.search(r'id="ro-add-film-text" name="add_film" value=""', html)  # empty for the next one
    assert item_titles_of(app, ceremony) == stored


def test_the_picked_id_is_added(app, editor_client):
    panel = session_id_of(app, "panel")
    with app.app_context():
        from sqlalchemy import select

        from showcase.extensions import db
        from showcase.films.models import Film

        tides = db.session.scalar(select(Film.id).where(Film.slug == "tides"))
    html = _add(app, editor_client, panel, ("add_film", "潮汐记忆 · Tidal Memory"), ("add_film_id", str(tides)))
    assert _titles(html.get_data(as_text=True)) == ["潮汐记忆"]


def test_several_matches_are_listed_to_choose_from_and_the_list_is_kept(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    stored = item_titles_of(app, ceremony)
    response = _add(app, editor_client, ceremony, ("add_film", "the"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was added:" in html and "films match “the”: choose one below." in html
    choices = dict(
        (label, value)
        for value, label in re.findall(r'<input type="radio" name="add_film_id" value="(\d+)"> ([^<]+)</label>', html)
    )
    assert "第七个黎明 · The Seventh Dawn" in choices
    assert _titles(html) == stored and 'value="the"' in html
    added = _add(
        app,
        editor_client,
        ceremony,
        ("add_film", "the"),
        ("add_film_id", ""),
        ("add_film_id", choices["第七个黎明 · The Seventh Dawn"]),
    )
    assert _titles(added.get_data(as_text=True)) == [*stored, "第七个黎明"]


def test_nothing_typed_or_nothing_found_is_a_clear_message(app, editor_client):
    panel = session_id_of(app, "panel")
    for typed, message in (("", "Choose a film of this festival."), ("没有这部片", "none matches “没有这部片”")):
        response = _add(app, editor_client, panel, ("add_film", typed))
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert item_titles_of(app, panel) == []


def item_titles_of(app, session_id: int) -> list[str]:
    with app.app_context():
        return item_titles(session_id)
