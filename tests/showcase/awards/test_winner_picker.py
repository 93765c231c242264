"""Winners are picked, not typed: the form takes the picked id, or finds the film from part of its title;
when several match it shows them to choose from, and nothing is written until one film is named."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import post_form

SLUG = "ai-shorts-2026"
AWARDS = f"/staff/festivals/{SLUG}/awards/"


def _category(app) -> int:
    from showcase.awards.services import create_category
    from showcase.extensions import db
    from showcase.festivals.services import get_festival

    with app.app_context():
        category = create_category(get_festival(SLUG), name="最佳剧本", name_en="Best Script")
        db.session.commit()
        return category.id


def _winners(app, category_id: int) -> list[str]:
    from showcase.awards.models import Award
    from showcase.extensions import db
    from showcase.films.models import Film

    with app.app_context():
        return list(db.session.scalars(select(Film.title).join(Award).where(Award.category_id == category_id)))


def _film_id(app, slug: str) -> int:
    from showcase.extensions import db
    from showcase.films.models import Film

    with app.app_context():
        return db.session.scalar(select(Film.id).where(Film.slug == slug))


def _add(client, category_id: int, **data):
    return post_form(client, f"{AWARDS}categories/{category_id}/winners", {"placement": "1", **data}, token_from=AWARDS)


def test_the_awards_page_offers_a_search_box_for_the_film(client, demo, login_as):
    login_as("editor")
    html = client.get(AWARDS).get_data(as_text=True)
    assert f'data-search-url="/staff/festivals/{SLUG}/films/search"' in html
    assert 'name="film_id"' in html and "js/picker.js" in html


def test_the_picked_id_wins_over_the_text(app, client, demo, login_as):
    category_id = _category(app)
    login_as("editor")
    tides = str(_film_id(app, "tides"))
    response = _add(client, category_id, film="烟花之下是我家 · Under the Fireworks", film_id=tides)
    assert response.status_code == 303
    assert _winners(app, category_id) == ["潮汐记忆"]


def test_part_of_a_chinese_title_names_the_film_without_javascript(app, client, demo, login_as):
    category_id = _category(app)
    login_as("editor")
    assert _add(client, category_id, film="纸上").status_code == 303
    assert _add(client, category_id, film="dawn", film_id="").status_code == 303
    assert sorted(_winners(app, category_id)) == ["第七个黎明", "纸上城市"]


def test_several_matches_are_shown_to_choose_from_and_nothing_is_written(app, client, demo, login_as):
    from showcase.audit.models import AuditLog
    from showcase.extensions import db

    category_id = _category(app)
    login_as("editor")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditLog))
    response = _add(client, category_id, film="the", citation="保留这段评语")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "films match “the”: choose one below." in html
    choices = re.findall(r'<input type="radio" name="film_id" value="(\d+)"> ([^<]+)</label>', html)
    labels = [label for _, label in choices]
    assert "第七个黎明 · The Seventh Dawn" in labels and "烟花之下是我家 · Under the Fireworks Lies My Home" in labels
    assert "保留这段评语" in html and 'value="the"' in html  # what was typed is still there
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) == before
    assert _winners(app, category_id) == []

    chosen = dict((label, value) for value, label in choices)["第七个黎明 · The Seventh Dawn"]
    assert _add(client, category_id, film="the", film_id=["", chosen]).status_code == 303  # hidden box, then the radio
    assert _winners(app, category_id) == ["第七个黎明"]


def test_a_film_that_is_not_the_festivals_is_refused_clearly(app, client, demo, other_festival, login_as):
    category_id = _category(app)
    login_as("editor")
    for data in ({"film_id": str(other_festival["film_id"])}, {"film_id": "abc"}, {"film_id": "9" * 30}):
        response = _add(client, category_id, film="", **data)
        assert response.status_code == 400
        assert "That film is not one of this festival’s" in response.get_data(as_text=True).replace("&#39;", "’")
    response = _add(client, category_id, film="Elsewhere")
    assert response.status_code == 400 and "none matches “Elsewhere”" in response.get_data(as_text=True)
    assert _winners(app, category_id) == []
