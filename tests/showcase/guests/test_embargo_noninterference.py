"""The embargo hides rank as well as names: no embargoed result changes a single public byte.

Non-interference: every guest response (each film page in both languages, the festival, schedule
and favourites pages, every calendar feed, the sitemap) is recorded with every award under
embargo; then the secrets change (two winners swap placements, a citation is rewritten, a reveal
time moves, a film is marked winner, both sessions are filled again from the winners in other
orders, a kiosk plays another winner) and
every response must be the same, byte for byte and ETag for ETag (only DTSTAMP lines may differ).
The default printed programme is held to the same rule, and so is a festival with one result out.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select, update

from showcase.awards.models import Award
from showcase.awards.services import list_categories, reveal_category, update_award
from showcase.db import utcnow
from showcase.extensions import db
from showcase.festivals.services import get_festival
from showcase.films.models import Film
from showcase.films.services import set_status
from showcase.programmes.data import Programme, ProgrammeOptions
from showcase.programmes.loading import load_programme
from showcase.schedule.models import ScheduleSession
from showcase.schedule.running_order import save_running_order
from showcase.schedule.winners import winner_drafts

SLUG = "ai-shorts-2026"
LANGUAGES = ({"Accept-Language": "zh"}, {"Accept-Language": "en"})
DTSTAMP = re.compile(rb"^DTSTAMP[;:].*\r\n", re.MULTILINE)


def snapshot(client, urls: list[str]) -> dict[tuple[str, str], tuple]:
    """(url, language) → status, every header but Date (the clock's) and the body (DTSTAMP lines left out)."""
    seen = {}
    for url in urls:
        for headers in LANGUAGES:
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 404), (url, response.status_code)
            seen[url, headers["Accept-Language"]] = (
                response.status_code,
                sorted((k, v) for k, v in response.headers.items() if k != "Date"),
                DTSTAMP.sub(b"", response.get_data()),
            )
    return seen


def _award(slug: str) -> Award:
    film = db.session.scalar(select(Film).where(Film.slug == slug))
    return db.session.scalar(select(Award).where(Award.film_id == film.id))


def _refill(festival, kind: str, mode: str) -> None:
    """What the running-order builder's "Fill from winners" then "Save" does, on an emptied order."""
    session = db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == kind))
    save_running_order(session, winner_drafts(festival, mode=mode), expected_version=session.running_order_version)


def change_every_secret(app, guest, *, swap: tuple[str, str] = ("fireworks", "tree"), rewrite: str = "alaya") -> None:
    """Two winners swap placements, one citation is rewritten, sessions refilled, the kiosk moves on."""
    with app.app_context():
        first, second = (_award(slug) for slug in swap)
        placements = first.placement, second.placement
        update_award(first, placement=placements[1], citation=first.citation, citation_en=first.citation_en)
        update_award(second, placement=placements[0], citation=second.citation, citation_en=second.citation_en)
        other = _award(rewrite)
        update_award(other, placement=other.placement, citation="改写的评语。", citation_en="A rewritten citation.")
        _award("seventh-dawn").revealed_at = utcnow() + timedelta(days=3)  # still in the future
        for film in db.session.scalars(select(Film)):  # the demo's films all start as "winner"
            set_status(film, "selected" if film.slug == swap[0] else "winner")
        festival = get_festival(SLUG)
        _refill(festival, "screening", "highest_first")
        _refill(festival, "ceremony", "categories")
        db.session.commit()
    # The kiosk plays the winners' playlist: which film is on screen now follows the prize order.
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["tree"]})


@pytest.fixture
def embargoed(guest):
    """The demo with every award under embargo and a kiosk playing the first film of the showcase."""
    guest._change(update(Award).values(revealed_at=None))
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["fireworks"]})
    return guest


def printed(app) -> Programme:
    """The default printed programme (no proof), as the plain data the PDF is laid out from."""
    with app.app_context():
        return load_programme(get_festival(SLUG), options=ProgrammeOptions(), upload_root=None)


def test_no_embargoed_result_changes_any_public_response(app, client, embargoed):
    urls = embargoed.public_urls()
    before, programme = snapshot(client, urls), printed(app)
    change_every_secret(app, embargoed)
    after = snapshot(client, urls)
    assert printed(app) == programme
    assert len(before) == 2 * len(urls) == 48
    assert sorted(before) == sorted(after)
    changed = [key for key in before if before[key] != after[key]]
    assert changed == []
    # Once revealed the same facts do show: the comparison above can see a difference.
    embargoed.reveal_awards()
    revealed = snapshot(client, urls)
    film_page = f"/f/{embargoed.codes['alaya']}", "en"
    assert b"A rewritten citation." in revealed[film_page][2] and revealed[film_page] != after[film_page]
    assert revealed[f"/festivals/{SLUG}/schedule", "en"] != after[f"/festivals/{SLUG}/schedule", "en"]


def test_with_one_result_out_the_others_still_change_nothing(app, client, embargoed):
    """The second prize is revealed; the other, still embargoed second prize moves to third and back."""
    with app.app_context():
        _award("tree").revealed_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    urls = embargoed.public_urls()
    before, programme = snapshot(client, urls), printed(app)
    assert "Second prize" in str(programme.categories) and "(shared)" not in str(programme.categories)
    change_every_secret(app, embargoed, swap=("alaya", "tides"), rewrite="fireworks")
    assert printed(app) == programme
    after = snapshot(client, urls)
    assert [key for key in before if before[key] != after[key]] == []


def showcase_films(client, guest, *, schedule: bool = False) -> list[str]:
    """The films the public lists for the showcase screening: from its calendar feed or the schedule page."""
    session_id = guest.sessions["screening"]
    if schedule:
        page = client.get(f"/festivals/{SLUG}/schedule", headers=LANGUAGES[1]).get_data(as_text=True)
        item = page.split(f'id="session-{session_id}"', 1)[1].split("</li>\n</ul>", 1)[0]
        return re.findall(r'<li><a href="/f/[0-9a-z]+\?lang=en">([^<]+)</a></li>', item.replace("&#39;", "'"))
    feed = client.get(f"/festivals/{SLUG}/sessions/{session_id}/calendar.ics", headers=LANGUAGES[1])
    event = Calendar.from_ical(feed.get_data()).walk("VEVENT")[0]
    # "· title", and " — prize" after it once the film's award is revealed
    return [line[2:].split(" — ")[0] for line in str(event["DESCRIPTION"]).splitlines() if line.startswith("· ")]


def running_order(app, guest) -> list[str]:
    with app.app_context():
        session = db.session.get(ScheduleSession, guest.sessions["screening"])
        return [item.title_en for item in session.items if item.kind == "film"]


def test_the_showcase_lists_its_films_by_title_while_embargoed_and_in_running_order_after(app, client, embargoed):
    order = running_order(app, embargoed)
    by_title = sorted(order, key=str.casefold)
    assert order != by_title and len(order) == 7  # the demo's showcase runs in prize order
    assert showcase_films(client, embargoed) == by_title
    assert showcase_films(client, embargoed, schedule=True) == by_title
    with app.app_context():
        categories = list_categories(get_festival(SLUG))
        for category in categories[:-1]:  # one category still to come keeps the whole festival neutral
            reveal_category(category)
        db.session.commit()
    assert showcase_films(client, embargoed) == by_title
    with app.app_context():
        reveal_category(db.session.merge(categories[-1]))
        db.session.commit()
    assert showcase_films(client, embargoed) == order
    assert showcase_films(client, embargoed, schedule=True) == order


def test_now_playing_shows_only_once_the_results_are_out(app, client, embargoed):
    url = f"/f/{embargoed.codes['fireworks']}"
    assert "Now playing" not in client.get(url, headers=LANGUAGES[1]).get_data(as_text=True)
    embargoed.reveal_awards()
    assert "Now playing on Hall 1" in client.get(url, headers=LANGUAGES[1]).get_data(as_text=True)
