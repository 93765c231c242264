"""One prize vocabulary on every surface: guest film and festival pages, feeds, the schedule for apps and
staff pages all name the demo's prizes alike — a first prize, two shared second prizes, sole winners."""

from __future__ import annotations

import html
import time
from datetime import timedelta

from sqlalchemy import select

from showcase.awards.models import Award
from showcase.awards.services import reveal_award
from showcase.db import utcnow
from showcase.extensions import db
from showcase.films.models import Film
from tests.conftest import post_form
from tests.showcase.guests.conftest import SLUG


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _reveal(app, slugs: list[str] | None = None) -> None:
    """Reveal through the service, as staff do: the public version moves and ready pages are made again."""
    with app.app_context():
        films = select(Film.id) if slugs is None else select(Film.id).where(Film.slug.in_(slugs))
        for award in db.session.scalars(select(Award).where(Award.film_id.in_(films), Award.revealed_at.is_(None))):
            reveal_award(award, at=utcnow() - timedelta(minutes=1))
        db.session.commit()


def test_guest_pages_and_feeds_name_prizes_from_one_vocabulary(app, guest, client):
    guest.reveal_awards()
    tree, sound = guest.codes["tree"], guest.codes["echo-factory"]
    assert "Main Competition · Second prize (shared)" in _text(client, f"/f/{tree}?lang=en")
    assert "主竞赛单元 · 二等奖（并列）" in _text(client, f"/f/{tree}?lang=zh")
    assert "· Winner" in _text(client, f"/f/{sound}?lang=en")
    assert "· 获奖" in _text(client, f"/f/{sound}?lang=zh")

    festival = _text(client, f"/festivals/{SLUG}?lang=en")
    assert festival.count("Second prize (shared)") == 2 and "First prize" in festival
    for feed in (f"/festivals/{SLUG}/schedule.xml?lang=en", f"/festivals/{SLUG}/calendar.ics?lang=en"):
        text = _text(client, feed).replace("\r\n ", "")  # unfold iCalendar lines
        assert "Second prize (shared)" in text, feed
    for old in ("Place ", "place 1", "第 1 名", "第 2 名"):
        assert old not in festival


def test_a_tie_is_shared_only_once_both_are_revealed_and_no_winner_is_sole_while_results_are_secret(app, guest, client):
    _reveal(app, ["tree", "echo-factory"])  # one of the two second prizes, and a sole winner
    page = _text(client, f"/f/{guest.codes['tree']}?lang=en")
    assert "Main Competition · Second prize</strong>" in page  # its partner is secret: nothing says "shared"
    assert "· First prize</strong>" in _text(client, f"/f/{guest.codes['echo-factory']}?lang=en")
    _reveal(app)
    # Ready pages are re-checked against the public version at most every GUEST_VERSION_RECHECK_MS.
    time.sleep(app.config["GUEST_VERSION_RECHECK_MS"] / 1000 + 0.1)
    assert "Second prize (shared)" in _text(client, f"/f/{guest.codes['tree']}?lang=en")
    assert "· Winner</strong>" in _text(client, f"/f/{guest.codes['echo-factory']}?lang=en")


def test_staff_pages_use_the_same_names_in_the_readers_language(demo, client, login_as):
    login_as("viewer")
    awards = _text(client, f"/staff/festivals/{SLUG}/awards/")
    assert awards.count("Second prize (shared)") == 2 and "First prize" in awards and "Winner" in awards
    films = _text(client, f"/staff/festivals/{SLUG}/films/")
    assert "主竞赛单元 · Second prize (shared)" in films
    post_form(client, "/account/language", {"language": "zh", "next": "/staff/"}, token_from="/staff/")
    assert "二等奖（并列）" in _text(client, f"/staff/festivals/{SLUG}/awards/")
