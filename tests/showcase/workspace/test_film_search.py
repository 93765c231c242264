"""The film picker's search endpoint: staff only, both languages, a submission id or a guest code, a few
results best first, and a clear 400 for a query it cannot search for."""

from __future__ import annotations

import pytest

from tests.conftest import login

SLUG = "ai-shorts-2026"
SEARCH = f"/staff/festivals/{SLUG}/films/search"


@pytest.fixture
def viewer(client, demo, make_user):
    assert login(client, make_user("viewer")).status_code == 302
    return client


def _labels(client, q: str) -> list[str]:
    response = client.get(SEARCH, query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    return [r["label"] for r in response.get_json()["results"]]


def test_anonymous_callers_get_no_films(client, demo):
    response = client.get(SEARCH, query_string={"q": "烟花"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "烟花" not in response.get_data(as_text=True)


def test_part_of_a_chinese_or_an_english_title_finds_the_film(viewer):
    assert _labels(viewer, "烟花") == ["烟花之下是我家 · Under the Fireworks Lies My Home"]
    assert _labels(viewer, "  fireWORKS ") == ["烟花之下是我家 · Under the Fireworks Lies My Home"]
    assert _labels(viewer, "工厂") == _labels(viewer, "echo") == ["回声工厂 · Echo Factory"]
    assert _labels(viewer, "没有这部片") == []


def test_a_submission_id_or_guest_code_finds_the_film_first(app, viewer):
    from showcase.extensions import db
    from showcase.films.models import Film

    with app.app_context():
        code = db.session.query(Film.code).filter(Film.slug == "tides").scalar()
    assert _labels(viewer, "DEMO-TIDES") == ["潮汐记忆 · Tidal Memory"]
    assert _labels(viewer, code.upper()) == ["潮汐记忆 · Tidal Memory"]
    answer = viewer.get(SEARCH, query_string={"q": "DEMO-"}).get_json()
    assert len(answer["results"]) == 7 and answer["more"] is False
    first = answer["results"][0]
    assert set(first) == {"id", "label", "detail"} and "DEMO-" in first["detail"]


def test_results_are_limited_and_titles_that_start_with_the_text_come_first(app, viewer):
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.films.services import create_film

    with app.app_context():
        festival = get_festival(SLUG)
        for n in range(14):
            create_film(festival, title=f"夜航 {n:02d}", title_en=f"Night flight {n:02d}", runtime_seconds=300)
        create_film(festival, title="星", title_en="A Night", runtime_seconds=300, status="winner")
        db.session.commit()
    answer = viewer.get(SEARCH, query_string={"q": "night"}).get_json()
    assert len(answer["results"]) == 10 and answer["more"] is True
    assert answer["results"][0]["label"] == "夜航 00 · Night flight 00"  # starts with it, before a winner
    assert "星 · A Night" not in [r["label"] for r in answer["results"]]
    assert _labels(viewer, "a night") == ["星 · A Night"]


def test_like_wildcards_are_only_characters(viewer):
    assert _labels(viewer, "%") == []
    assert _labels(viewer, "_") == []
    assert _labels(viewer, "“树”") == ["一棵“树”的幻想 · The Fantasy of a ‘Tree’"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({}, "Type part of a title"),
        ({"q": "   "}, "Type part of a title"),
        ({"q": "x" * 101}, "Type at most 100 characters"),
    ],
)
def test_a_query_it_cannot_search_for_is_a_clear_400(viewer, query, message):
    response = viewer.get(SEARCH, query_string=query)
    assert response.status_code == 400
    assert message in response.get_json()["message"]


def test_a_nul_in_the_query_is_refused_before_any_search(viewer):
    response = viewer.get(f"{SEARCH}?q=%00", headers={"Accept": "application/json"})
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)


def test_only_the_festivals_own_films_are_found(viewer, other_festival):
    assert _labels(viewer, "Elsewhere") == _labels(viewer, "OT-1") == []
    assert viewer.get("/staff/festivals/no-such-festival/films/search?q=a").status_code == 404


@pytest.mark.parametrize("raw", ["%zz", "%", "%e4%b8", "%ff", "9" * 30, "%EF%BC%85", "NaN", "x" * 3000])
def test_hostile_queries_get_an_answer_never_a_500(viewer, raw):
    response = viewer.get(f"{SEARCH}?q={raw}")
    assert response.status_code in (200, 400)
    assert response.is_json
