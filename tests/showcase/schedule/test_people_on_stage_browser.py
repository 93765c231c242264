"""People on stage in Debian's Chromium: a session's moderator found by part of a name and picked with
the keyboard; in the running order, someone taken off an item in the page, kept by the draft across a
reload, and added to an item by the picker after the list was reordered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.showcase.schedule.conftest import SLUG, session_id_of

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def _people(app, session_id: int) -> list[tuple[str, str]]:
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        return [(p.person.name, p.role) for p in db.session.get(ScheduleSession, session_id).people]


def _add_person(app, name: str, name_en: str) -> int:
    from showcase.extensions import db
    from showcase.schedule.people import create_person

    with app.app_context():
        person = create_person(name=name, name_en=name_en)
        db.session.commit()
        return person.id


def test_a_moderator_is_found_by_part_of_the_english_name_and_picked(app, live_server, page, demo, make_user):
    ceremony = session_id_of(app, "ceremony")
    _add_person(app, "骆小航", "Luo Xiaohang")
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(f"{live_server.url}/staff/festivals/{SLUG}/sessions/{ceremony}/people")
    page.get_by_label("As").select_option("moderator")
    box = page.get_by_role("combobox", name="Find a person")
    box.press_sequentially("xiaoh")
    expect(page.get_by_role("option", name="骆小航 · Luo Xiaohang")).to_be_visible()
    box.press("Enter")  # picks, and the picker presses Add
    expect(page.get_by_text("People on stage saved.")).to_be_visible()
    assert ("骆小航", "moderator") in _people(app, ceremony)
    expect(page.locator("#sp-people")).to_contain_text("骆小航 · Luo Xiaohang")
