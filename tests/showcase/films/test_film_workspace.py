"""The films list (search, filters, pages, query count), credits, status and the film's video file."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from tests.conftest import post_form
from tests.showcase.films.support import SLUG, counts

FILMS = f"/staff/festivals/{SLUG}/films/"
ROW = re.compile(r'<tr>\s*<td><a href="/staff/festivals/[^/]+/films/(\d+)"')


@contextmanager
def statements(app):
    """Count the SQL statements run inside the block."""
    from showcase.extensions import db

    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args, **kwargs: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return [int(x) for x in ROW.findall(response.get_data(as_text=True))]


def _film(app, **where):
    from showcase.extensions import db
    from showcase.films.models import Film

    with app.app_context():
        query = select(Film)
        for key, value in where.items():
            query = query.where(getattr(Film, key) == value)
        film = db.session.scalars(query).first()
        return film.id if film else None


def test_search_finds_titles_submission_ids_directors_and_codes(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film

    login_as("viewer")
    fireworks = _film(app, slug="fireworks")
    with app.app_context():
        code = db.session.get(Film, fireworks).code
    for query in ("烟花", "under the FIREWORKS", "DEMO-FIREWORKS", "Chen Youxue", code):
        assert _ids(client.get(FILMS, query_string={"q": query})) == [fireworks], query
    assert _ids(client.get(FILMS, query_string={"q": "%"})) == []  # LIKE wildcards are literal
    assert len(_ids(client.get(FILMS))) == 7


def test_filters_status_award_language_and_media(app, client, demo, login_as):
    from showcase.awards.models import AwardCategory
    from showcase.extensions import db
    from showcase.films.models import Film, MediaAsset
    from showcase.films.services import create_film
    from tests.showcase.films.support import festival

    with app.app_context():
        extra = create_film(festival(), title="无奖", runtime_seconds=60, status="submitted", language="Klingon")
        asset = MediaAsset(path="x.mp4", byte_size=1, sha256="0" * 64, video_codec="h264")
        db.session.add(asset)
        db.session.flush()
        extra.media_asset_id = asset.id
        category = db.session.scalars(select(AwardCategory).order_by(AwardCategory.display_order)).first()
        in_category = {a.film_id for a in category.awards}
        winners = set(db.session.scalars(select(Film.id).where(Film.status == "winner")))
        db.session.commit()
        extra_id, category_id = extra.id, category.id
    login_as("viewer")
    assert set(_ids(client.get(FILMS, query_string={"status": "winner"}))) == winners
    assert _ids(client.get(FILMS, query_string={"status": "submitted"})) == [extra_id]
    assert set(_ids(client.get(FILMS, query_string={"award": "any"}))) == winners
    assert _ids(client.get(FILMS, query_string={"award": "none"})) == [extra_id]
    assert set(_ids(client.get(FILMS, query_string={"award": str(category_id)}))) == in_category
    assert _ids(client.get(FILMS, query_string={"language": "Klingon"})) == [extra_id]
    assert _ids(client.get(FILMS, query_string={"media": "yes"})) == [extra_id]
    assert extra_id not in _ids(client.get(FILMS, query_string={"media": "no"}))
    # Nonsense in the query string is ignored, never a 500.
    assert len(_ids(client.get(FILMS, query_string={"status": "famous", "page": "-3", "award": "x"}))) == 8


def test_a_language_spelled_several_ways_is_one_filter_entry_and_matches_every_spelling(app, client, demo, login_as):
    from sqlalchemy import update

    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.services import create_film
    from tests.showcase.films.support import festival

    with app.app_context():
        typed = create_film(festival(), title="新片", runtime_seconds=60, language="Mandarin")  # the film form's way
        assert typed.language == "普通话 Mandarin"
        old = [create_film(festival(), title=f"旧片{n}", runtime_seconds=60).id for n in range(2)]
        # Films stored before languages were normalised keep what they were typed as.
        db.session.execute(update(Film).where(Film.id == old[0]).values(language="普通话"))
        db.session.execute(update(Film).where(Film.id == old[1]).values(language="Mandarin Chinese"))
        db.session.commit()
        typed_id = typed.id
    login_as("viewer")
    page = client.get(FILMS).get_data(as_text=True)
    menu = re.search(r'<select name="language">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*普通话[^<]*)</option>", menu) == ["普通话 Mandarin"]
    mandarin = set(_ids(client.get(FILMS, query_string={"language": "普通话 Mandarin"})))
    assert {typed_id, *old} <= mandarin


def test_2300_films_are_paged_and_a_page_takes_a_fixed_number_of_queries(app, client, demo, login_as, big_csv):
    from showcase.extensions import db
    from showcase.films.importing import import_submissions
    from tests.showcase.films.support import festival

    with app.app_context():
        import_submissions(festival(), big_csv)
        db.session.commit()
    login_as("viewer")
    client.get(FILMS)  # warm-up: login, session and first-request work are not the page's queries
    with statements(app) as seen:
        first = client.get(FILMS)
    page = first.get_data(as_text=True)
    assert len(_ids(first)) == 100 and "page 1 of 24" in page
    assert len(seen) <= 12, seen  # no query per film: films, credits, people, awards, count, menus
    second = _ids(client.get(FILMS, query_string={"page": "2"}))
    assert len(second) == 100 and not set(second) & set(_ids(first))
    last = client.get(FILMS, query_string={"page": "999"})  # past the end: the last page
    assert len(_ids(last)) == 2307 - 23 * 100
    assert 'rel="next"' in client.get(FILMS, query_string={"q": "Film", "page": "1"}).get_data(as_text=True)


def test_every_film_page_renders_for_viewers(app, client, demo, login_as):
    login_as("viewer")
    film_id = _film(app, slug="fireworks")
    html = client.get(f"{FILMS}{film_id}").get_data(as_text=True)
    assert "烟花之下是我家" in html and "Chen Youxue" in html and "embargoed" in html
    assert "Edit film" not in html and "Set status" not in html
    assert client.get(f"{FILMS}{film_id}/edit").status_code == 403


def _edit(film_id: int) -> str:
    return f"{FILMS}{film_id}/edit"


def test_credits_are_added_reordered_and_removed(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film

    login_as("editor")
    film_id = _film(app, slug="fireworks")
    for name, role in (("李编剧", "writer"), ("王作曲", "composer")):
        response = post_form(
            client, f"{FILMS}{film_id}/credits", {"name": name, "role": role}, token_from=_edit(film_id)
        )
        assert response.status_code == 303

    def order():
        with app.app_context():
            film = db.session.get(Film, film_id)
            return [(c.person.name, c.role) for c in film.credits], [c.id for c in film.credits]

    names, ids = order()
    assert names == [("Chen Youxue", "director"), ("李编剧", "writer"), ("王作曲", "composer")]
    post_form(client, f"{FILMS}{film_id}/credits/{ids[2]}/move", {"direction": "up"}, token_from=_edit(film_id))
    assert [n for n, _r in order()[0]] == ["Chen Youxue", "王作曲", "李编剧"]
    post_form(client, f"{FILMS}{film_id}/credits/{ids[0]}/move", {"direction": "down"}, token_from=_edit(film_id))
    assert [n for n, _r in order()[0]] == ["王作曲", "Chen Youxue", "李编剧"]
    post_form(client, f"{FILMS}{film_id}/credits/{ids[1]}/delete", {"confirm": "1"}, token_from=_edit(film_id))
    assert order()[0] == [("王作曲", "composer"), ("Chen Youxue", "director")]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "   ", "role": "writer"}, "Person&#39;s name is required"),
        ({"name": "张三", "role": "tea boy"}, "Not a valid choice"),
        ({"name": "Chen Youxue", "role": "director"}, "already credited as director"),
        ({"name": "长" * 201, "role": "writer"}, "201 characters long; the limit is 200"),
    ],
)
def test_bad_credits_are_refused_and_nothing_is_written(app, client, demo, login_as, data, message):
    login_as("editor")
    film_id = _film(app, slug="fireworks")
    with app.app_context():
        before = counts()
    response = post_form(client, f"{FILMS}{film_id}/credits", data, token_from=_edit(film_id))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


def test_a_credit_of_another_film_is_not_found(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film

    login_as("editor")
    film_id, other_id = _film(app, slug="fireworks"), _film(app, slug="tree")
    with app.app_context():
        credit_id = db.session.get(Film, other_id).credits[0].id
    response = post_form(client, f"{FILMS}{film_id}/credits/{credit_id}/delete", {}, token_from=_edit(film_id))
    assert response.status_code == 404
    with app.app_context():
        assert len(db.session.get(Film, other_id).credits) == 1


def test_status_changes_including_winner_and_bad_values(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film

    film_id = _film(app, slug="fireworks")
    login_as("editor")
    path = f"{FILMS}{film_id}/status"
    assert post_form(client, path, {"status": "withdrawn"}, token_from=f"{FILMS}{film_id}").status_code == 303
    bad = post_form(client, path, {"status": "famous"}, token_from=f"{FILMS}{film_id}")
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    assert post_form(client, path, {"status": "winner"}, token_from=f"{FILMS}{film_id}").status_code == 303
    with app.app_context():
        assert db.session.get(Film, film_id).status == "winner"


def test_choosing_the_video_file(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.models import Film, MediaAsset

    with app.app_context():
        asset = MediaAsset(
            path="demo/fireworks.mp4", byte_size=10, sha256="a" * 64, duration_seconds=4.0, video_codec="h264"
        )
        db.session.add(asset)
        db.session.commit()
        asset_id = asset.id
    film_id = _film(app, slug="fireworks")
    login_as("editor")
    path = f"{FILMS}{film_id}/media"
    assert "demo/fireworks.mp4" in client.get(_edit(film_id)).get_data(as_text=True)
    assert post_form(client, path, {"media_asset_id": str(asset_id)}, token_from=_edit(film_id)).status_code == 303
    bad = post_form(client, path, {"media_asset_id": "99999"}, token_from=_edit(film_id))
    assert bad.status_code == 400 and "No such media file" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Film, film_id).media_asset_id == asset_id
    assert post_form(client, path, {"media_asset_id": ""}, token_from=_edit(film_id)).status_code == 303
    with app.app_context():
        assert db.session.get(Film, film_id).media_asset_id is None
