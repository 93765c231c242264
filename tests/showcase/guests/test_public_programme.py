"""Only the public programme is public: a film has a page and a sitemap entry when it is selected (or a
winner), holds a revealed award or is screened in a public session; any other entry is the very 404 of
an unknown code."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from showcase.awards.services import create_category, give_award, reveal_award
from showcase.extensions import db
from showcase.festivals.services import get_festival
from showcase.films.csvio import export_films
from showcase.films.fields import FILM_STATUSES
from showcase.films.importing import import_submissions
from showcase.films.models import Film
from showcase.films.services import create_film
from showcase.schedule.models import ScheduleSession
from showcase.schedule.services import append_item
from tests.samples import submission_rows

SLUG = "ai-shorts-2026"
EN = {"Accept-Language": "en"}
UNKNOWN = "zzzzzzzz"  # as long as an issued code, so the two 404 pages can be compared byte for byte
HIDDEN = ("submitted", "shortlisted")
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def status_of(number: int) -> str:
    """A plausible mix for 2,300 submissions: a tenth selected, a fifth shortlisted, a few of each other."""
    return {0: "selected", 1: "shortlisted", 2: "shortlisted", 3: "winner", 4: "withdrawn"}.get(
        number % 10, "submitted"
    )


def film_codes(app) -> dict[str, set[str]]:
    with app.app_context():
        films = db.session.execute(select(Film.code, Film.status)).all()
    return {status: {code for code, s in films if s == status} for status in FILM_STATUSES}


def sitemap_codes(client) -> set[str]:
    root = ElementTree.fromstring(client.get("/sitemap.xml").get_data())  # noqa: S314 - our own output
    return {loc.text.rsplit("/f/", 1)[1] for loc in root.findall("s:url/s:loc", SITEMAP) if "/f/" in loc.text}


def assert_unknown(client, code: str) -> None:
    """The film's page is the unknown code's 404, byte for byte once the code in its own URL is swapped."""
    for headers in ({}, EN):
        page, unknown = client.get(f"/f/{code}", headers=headers), client.get(f"/f/{UNKNOWN}", headers=headers)
        assert (page.status_code, unknown.status_code) == (404, 404), code
        assert page.get_data().replace(code.encode(), UNKNOWN.encode()) == unknown.get_data()
        assert page.headers["Content-Type"] == unknown.headers["Content-Type"]


@pytest.fixture
def imported(app, guest):
    """The demo festival (awards embargoed) after a 2,300-row import with every status."""
    rows = [replace(row, status=status_of(n)) for n, row in enumerate(submission_rows(2300))]
    with app.app_context():
        summary = import_submissions(get_festival(SLUG), export_films(rows))
        db.session.commit()
    assert summary.created == 2300
    return film_codes(app)


def test_after_a_2300_row_import_only_public_films_have_pages_and_sitemap_entries(app, client, guest, imported):
    demo = set(guest.codes.values())  # all seven are in the public showcase screening
    selected = imported["selected"] | imported["winner"]
    assert len(selected - demo) == 460
    assert sitemap_codes(client) == demo | selected
    festival_page = html.unescape(client.get(f"/festivals/{SLUG}", headers=EN).get_data(as_text=True))
    listed = set(re.findall(r'<li><a href="/f/([0-9a-z]+)\?lang=en">', festival_page.split('id="films-h"')[1]))
    assert listed == demo | selected
    for status in HIDDEN:
        hidden = sorted(imported[status] - demo)
        assert len(hidden) >= 230, status
        for code in hidden[:3]:
            assert_unknown(client, code)
        favourites = client.get(f"/festivals/{SLUG}/favourites?films={','.join(hidden[:100])}", headers=EN)
        assert favourites.status_code == 200 and "/f/" not in favourites.get_data(as_text=True)
        feed = client.get(f"/festivals/{SLUG}/calendar.ics?films={','.join(hidden[:100])}").get_data()
        assert b"BEGIN:VEVENT" not in feed
    assert client.get(f"/f/{sorted(selected)[0]}").status_code == 200
    assert client.get(f"/f/{sorted(imported['withdrawn'])[0]}").status_code == 410
    guest.reveal_awards()  # the results change nothing here: no imported film holds an award
    assert sitemap_codes(client) == demo | selected


def test_a_public_session_or_a_revealed_award_makes_any_entry_public(app, client, guest):
    with app.app_context():
        festival = get_festival(SLUG)
        screened, awarded = (
            create_film(festival, title=t, runtime_seconds=60, status="submitted") for t in ("放映", "获奖")
        )
        award = give_award(create_category(festival, name="评委会特别提及"), awarded)
        showcase = db.session.get(ScheduleSession, guest.sessions["panel"])
        append_item(showcase, kind="film", film_id=screened.id, planned_seconds=60)
        rehearsal = db.session.get(ScheduleSession, guest.sessions["other"])  # private
        append_item(rehearsal, kind="film", film_id=awarded.id, planned_seconds=60)
        db.session.commit()
        codes = screened.code, awarded.code
    assert client.get(f"/f/{codes[0]}").status_code == 200 and codes[0] in sitemap_codes(client)
    assert_unknown(client, codes[1])  # a private session and an embargoed award make nothing public
    with app.app_context():
        reveal_award(db.session.merge(award))
        db.session.commit()
    assert client.get(f"/f/{codes[1]}").status_code == 200 and codes[1] in sitemap_codes(client)


def test_every_status_is_public_only_by_the_rule(app, client, guest):
    with app.app_context():
        festival = get_festival(SLUG)
        made = {
            status: create_film(festival, title=status, runtime_seconds=60, status=status).code
            for status in FILM_STATUSES
        }
        db.session.commit()
    expected = {"selected": 200, "winner": 200, "withdrawn": 410}
    for status, code in made.items():
        if status in expected:
            assert client.get(f"/f/{code}").status_code == expected[status], status
        else:
            assert_unknown(client, code)
    assert sitemap_codes(client) & set(made.values()) == {made["selected"], made["winner"]}
