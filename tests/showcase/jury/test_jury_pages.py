"""A juror's pages: only their films, only their scores, blind until the round closes, saved as they go,
video streamed with HTTP Range; every staff page refused. Staff see progress and the ranking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from tests.conftest import login, post_form

SLUG = "ai-shorts-2026"


@pytest.fixture
def judged(app, demo, make_user):
    """A round of the demo's seven films, two jurors with every film assigned to both."""
    from showcase.auth.models import User
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.jury import services

    emails = [make_user("juror"), make_user("juror")]
    with app.app_context():
        festival = get_festival(SLUG)
        jury_round = services.create_round(festival, name="初审", criteria=[("story", 2), ("craft", 1)], per_film=2)
        services.add_jurors(jury_round, emails)
        services.assign_round(jury_round)
        db.session.commit()
        by_email = {u.email: u.id for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
        ids = [by_email[e] for e in emails]
        return {"round": jury_round.id, "emails": emails, "user_ids": ids}


def _film_ids(app, round_id: int) -> list[int]:
    from showcase.extensions import db
    from showcase.jury.models import RoundFilm

    with app.app_context():
        return list(db.session.scalars(select(RoundFilm.film_id).where(RoundFilm.round_id == round_id)))


def test_a_juror_signs_in_to_their_films_and_every_staff_page_is_refused(app, client, judged):
    login(client, judged["emails"][0])
    home = client.get("/staff/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/jury/")
    page = client.get("/jury/").get_data(as_text=True)
    assert "初审" in page and "0 of 7 films scored" in page
    for url in (
        f"/staff/festivals/{SLUG}",
        f"/staff/festivals/{SLUG}/films/",
        "/staff/kiosks/",
        f"/staff/festivals/{SLUG}/jury/",
        f"/staff/festivals/{SLUG}/awards/",
    ):
        assert client.get(url).status_code == 403, url
    round_page = client.get(f"/jury/rounds/{judged['round']}/").get_data(as_text=True)
    assert len(re.findall(r'href="/jury/rounds/\d+/films/\d+"', round_page)) == 7


def test_only_assigned_films_and_only_your_own_scores(app, client, judged, make_user):
    from showcase.extensions import db
    from showcase.jury import services
    from showcase.jury.models import Assignment

    round_id, (first, second) = judged["round"], judged["user_ids"]
    film = _film_ids(app, round_id)[0]
    with app.app_context():  # the second juror scores the film with an unmistakable comment
        jury_round = services.get_round(round_id)
        other = db.session.get(services.User, second)
        services.save_score(jury_round, other, film, {"story": 9, "craft": 3}, "SECRET-NOTE-OF-ANOTHER")
        db.session.execute(Assignment.__table__.delete().where(Assignment.user_id == first, Assignment.film_id == film))
        db.session.commit()
    login(client, judged["emails"][0])
    assert client.get(f"/jury/rounds/{round_id}/films/{film}").status_code == 404  # not assigned to me
    assert client.get(f"/jury/rounds/{round_id}/films/{film}/video").status_code == 404
    mine = _film_ids(app, round_id)[1]
    page = client.get(f"/jury/rounds/{round_id}/films/{mine}").get_data(as_text=True)
    assert "SECRET-NOTE-OF-ANOTHER" not in page and 'value="9"' not in page
    # Someone who sits on no round learns nothing of this one.
    stranger = app.test_client()
    login(stranger, make_user("juror"))
    assert stranger.get(f"/jury/rounds/{round_id}/").status_code == 404


def test_blind_until_the_round_closes(app, client, judged):
    from showcase.extensions import db
    from showcase.films.models import Credit, Person
    from showcase.jury import services

    round_id, film = judged["round"], _film_ids(app, judged["round"])[0]
    with app.app_context():
        name = db.session.scalar(
            select(Person.name).join(Credit, Credit.person_id == Person.id).where(Credit.film_id == film)
        )
    login(client, judged["emails"][0])
    page = client.get(f"/jury/rounds/{round_id}/films/{film}").get_data(as_text=True)
    assert name not in page and "Judged blind" in page
    with app.app_context():
        services.close_round(services.get_round(round_id))
        db.session.commit()
    page = client.get(f"/jury/rounds/{round_id}/films/{film}").get_data(as_text=True)
    assert name in page and "closed: the scores are final" not in page  # the film page itself
    assert "disabled" in page


def test_scores_save_with_the_form_and_as_you_go_and_bad_values_are_refused(app, client, judged):
    from showcase.extensions import db
    from showcase.jury.models import Score

    round_id, films = judged["round"], sorted(_film_ids(app, judged["round"]))
    login(client, judged["emails"][0])
    url = f"/jury/rounds/{round_id}/films/{films[0]}"
    response = post_form(client, url, {"story": "8", "craft": "6", "comment": "好"}, token_from=url)
    assert response.status_code == 303 and "/jury/rounds/" in response.headers["Location"]
    response = post_form(client, url, {"story": "11", "craft": "6"}, token_from=url)
    assert response.status_code == 400 and "outside the scale 1–10" in response.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    ok = client.post(f"{url}/score", json={"values": {"story": 7, "craft": 7}}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and "saved_at" in ok.get_json()
    bad = client.post(f"{url}/score", json={"values": {"story": "x"}}, headers={"X-CSRFToken": token})
    assert bad.status_code == 400 and "not a number" in bad.get_json()["error"]
    assert (
        client.post(
            f"{url}/score", data="[]", headers={"X-CSRFToken": token, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert client.post(f"{url}/score", json={"values": {"story": 7, "craft": 7}}).status_code == 400  # no CSRF token
    with app.app_context():
        score = db.session.scalar(
            select(Score).where(Score.film_id == films[0], Score.user_id == judged["user_ids"][0])
        )
        assert score.values == {"story": 7.0, "craft": 7.0}


def test_declaring_a_conflict_gives_the_film_to_another_juror(app, client, judged, make_user):
    from showcase.extensions import db
    from showcase.jury import services

    third = make_user("juror")
    with app.app_context():
        services.add_jurors(services.get_round(judged["round"]), [third])
        db.session.commit()
    round_id, film = judged["round"], _film_ids(app, judged["round"])[0]
    login(client, judged["emails"][0])
    url = f"/jury/rounds/{round_id}/films/{film}"
    response = post_form(client, f"{url}/conflict", {"reason": "我表弟的片子"}, token_from=url)
    assert response.status_code == 303
    assert client.get(url).status_code == 404
    with app.app_context():
        plan = services.assign_round(services.get_round(round_id))
        db.session.commit()
        assert judged["user_ids"][0] not in plan.jurors_of[film] and len(plan.jurors_of[film]) == 2


def test_the_video_streams_with_range_requests(app, client, judged):
    from showcase.extensions import db
    from showcase.films.models import Film, MediaAsset

    round_id, film_id = judged["round"], _film_ids(app, judged["round"])[0]
    root = Path(app.config["MEDIA_ROOT"])
    root.mkdir(parents=True, exist_ok=True)
    (root / "clip.mp4").write_bytes(bytes(range(256)) * 40)
    with app.app_context():
        asset = MediaAsset(path="clip.mp4", byte_size=10240, sha256="a" * 64)
        db.session.add(asset)
        db.session.flush()
        db.session.get(Film, film_id).media_asset_id = asset.id
        db.session.commit()
    login(client, judged["emails"][0])
    url = f"/jury/rounds/{round_id}/films/{film_id}"
    assert "<video" in client.get(url).get_data(as_text=True)
    part = client.get(f"{url}/video", headers={"Range": "bytes=256-511"})
    assert part.status_code == 206 and part.data == bytes(range(256))
    assert part.headers["Content-Range"] == "bytes 256-511/10240" and "no-store" in part.headers["Cache-Control"]


def test_the_scoring_page_takes_at_most_ten_queries(app, client, judged):
    from showcase.extensions import db

    round_id, film = judged["round"], _film_ids(app, judged["round"])[0]
    login(client, judged["emails"][0])
    url = f"/jury/rounds/{round_id}/films/{film}"
    client.get(url)
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args, **kwargs: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(seen) <= 10, seen


def test_staff_see_progress_and_the_ranking_beside_the_raw_mean(app, client, judged, login_as):
    from showcase.extensions import db
    from showcase.jury import services

    round_id = judged["round"]
    with app.app_context():
        jury_round = services.get_round(round_id)
        for n, user_id in enumerate(judged["user_ids"]):
            juror = db.session.get(services.User, user_id)
            for k, film in enumerate(sorted(_film_ids(app, round_id))):
                services.save_score(jury_round, juror, film, {"story": 1 + k + 2 * n, "craft": 5})
        db.session.commit()
    login_as("viewer")
    listing = client.get(f"/staff/festivals/{SLUG}/jury/").get_data(as_text=True)
    assert "初审" in listing and "7 / 7" in listing
    page = client.get(f"/staff/festivals/{SLUG}/jury/rounds/{round_id}").get_data(as_text=True)
    assert page.count("<tr>") == 8 and "Raw mean" in page and "Rank by raw mean" in page
    assert client.get(f"/staff/festivals/{SLUG}/jury/rounds/{round_id}?method=median").status_code == 200
    assert client.get(f"/staff/festivals/{SLUG}/jury/rounds/999999").status_code == 404


def test_an_editor_proposes_winners_from_a_closed_round_and_confirms_them_under_embargo(app, client, judged, login_as):
    from showcase.awards.models import Award
    from showcase.awards.services import create_category
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.jury import services

    round_id = judged["round"]
    with app.app_context():
        jury_round = services.get_round(round_id)
        for user_id in judged["user_ids"]:
            juror = db.session.get(services.User, user_id)
            for k, film in enumerate(sorted(_film_ids(app, round_id))):
                services.save_score(jury_round, juror, film, {"story": 10 - k, "craft": 10 - k})
        services.close_round(jury_round)
        category = create_category(get_festival(SLUG), name="评审团特别奖", name_en="Special Jury Award")
        db.session.commit()
        category_id = category.id
    results = f"/staff/festivals/{SLUG}/jury/rounds/{round_id}"
    login_as("editor")
    assert "Propose winners from this ranking" in client.get(results).get_data(as_text=True)
    form = {"category_id": str(category_id), "places": "2"}
    page = post_form(client, f"{results}/winners", form, token_from=results)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "First prize" in text and "Second prize" in text
    with app.app_context():
        assert db.session.scalar(select(Award).where(Award.category_id == category_id)) is None  # nothing yet
    done = post_form(client, f"{results}/winners", {**form, "confirm": "1"}, token_from=results)
    assert done.status_code == 303 and done.headers["Location"].endswith("/awards/")
    with app.app_context():
        awards = db.session.scalars(select(Award).where(Award.category_id == category_id)).all()
        assert sorted(a.placement for a in awards) == [1, 2] and all(a.revealed_at is None for a in awards)
    bad = post_form(client, f"{results}/winners", {"category_id": "999999", "places": "2"}, token_from=results)
    assert bad.status_code == 303 and bad.headers["Location"].endswith(results)


def test_a_viewer_may_not_give_awards_from_the_ranking(app, client, judged, login_as):
    results = f"/staff/festivals/{SLUG}/jury/rounds/{judged['round']}"
    login_as("viewer")
    response = post_form(client, f"{results}/winners", {"category_id": "1", "places": "1"}, token_from=results)
    assert response.status_code == 403


def test_staff_run_a_round_from_the_web_create_add_jurors_assign_close(app, client, demo, make_user, login_as):
    from showcase.extensions import db
    from showcase.jury.models import Assignment, JuryRound, RoundFilm

    jurors = [make_user("juror"), make_user("juror")]
    login_as("editor")
    rounds = f"/staff/festivals/{SLUG}/jury/"
    bad = post_form(
        client, f"/staff/festivals/{SLUG}/jury/rounds", {"name": "", "criteria": "Story!"}, token_from=rounds
    )
    assert bad.status_code == 303 and bad.headers["Location"].endswith("/jury/")
    assert "lower-case word" in client.get(rounds).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(JuryRound.id)) is None  # nothing half-made
    form = {
        "name": "初审",
        "criteria": "story/故事/Story:2,craft:1",
        "scale": "1-10",
        "per_film": "2",
        "from_round_id": "",
        "method": "mean",
        "opens": "",
        "closes": "2027-01-10T18:00",
    }
    made = post_form(client, f"/staff/festivals/{SLUG}/jury/rounds", form, token_from=rounds)
    assert made.status_code == 303
    page_url = made.headers["Location"]
    round_id = int(page_url.rstrip("/").rsplit("/", 1)[1])
    manage = f"{page_url}/manage"
    post_form(client, manage, {"action": "jurors", "emails": "\n".join(jurors)}, token_from=page_url)
    refused = post_form(client, manage, {"action": "jurors", "emails": "nobody@example.org"}, token_from=page_url)
    assert refused.status_code == 303 and "No juror account" in client.get(page_url).get_data(as_text=True)
    post_form(client, manage, {"action": "assign"}, token_from=page_url)
    assert "Films assigned: 7–7 per juror." in client.get(page_url).get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(Assignment).where(Assignment.round_id == round_id)) == 14
        )
        assert db.session.get(JuryRound, round_id).closes_at.isoformat() == "2027-01-10T10:00:00+00:00"
    post_form(client, manage, {"action": "close", "advance": "x"}, token_from=page_url)
    with app.app_context():
        assert db.session.get(JuryRound, round_id).closed_at is None
    post_form(client, manage, {"action": "close", "advance": "0"}, token_from=page_url)
    with app.app_context():
        assert db.session.get(JuryRound, round_id).closed_at is not None
        assert db.session.scalar(select(func.count()).select_from(RoundFilm).where(RoundFilm.advances.is_(True))) == 0
    viewer = app.test_client()
    login(viewer, make_user("viewer"))
    assert post_form(viewer, manage, {"action": "assign"}, token_from=page_url).status_code == 403
