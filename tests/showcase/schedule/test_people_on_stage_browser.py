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
    page.locator("#sp-add-role").select_option("moderator")
    box = page.get_by_role("combobox", name="Find a person")
    box.press_sequentially("xiaoh")
    expect(page.get_by_role("option", name="骆小航 · Luo Xiaohang")).to_be_visible()
    box.press("Enter")  # picks, and the picker presses Add
    expect(page.get_by_text("People on stage saved.")).to_be_visible()
    assert ("骆小航", "moderator") in _people(app, ceremony)
    expect(page.locator("#sp-people")).to_contain_text("骆小航 · Luo Xiaohang")


def _builder(base: str, session_id: int) -> str:
    return f"{base}/staff/festivals/{SLUG}/sessions/{session_id}/running-order"


def _item_people(app, session_id: int) -> list[list[tuple[str, str]]]:
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        return [[(p.person.name, p.role) for p in i.people] for i in db.session.get(ScheduleSession, session_id).items]


def test_someone_taken_off_an_item_in_the_page_survives_a_reload_in_the_draft(app, live_server, page, demo, make_user):
    ceremony = session_id_of(app, "ceremony")
    stored = _item_people(app, ceremony)
    first = next(n for n, people in enumerate(stored) if people)  # the opening titles, with the host
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, ceremony))
    item = page.locator(".ro-item").nth(first)
    person = item.locator(".ro-person").first
    expect(person).to_contain_text(stored[first][0][0])
    person.locator("[data-remove-person]").click()
    expect(item.locator(".ro-person")).to_have_count(0)
    assert item.locator("input[name=item_people]").input_value() == ""
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.locator(".ro-item").nth(first).locator(".ro-person")).to_have_count(1)  # saved still shows
    page.locator("#ro-draft").get_by_role("button", name="Restore").click()
    expect(page.locator("#ro-notice")).to_be_visible()
    expect(page.locator(".ro-item").nth(first).locator(".ro-person")).to_have_count(0)
    assert _item_people(app, ceremony) == stored
    page.get_by_role("button", name="Save running order").click()
    expect(page.get_by_text("Running order saved.")).to_be_visible()
    assert _item_people(app, ceremony)[first] == []


def test_a_presenter_is_added_to_the_item_chosen_after_the_list_was_reordered(app, live_server, page, demo, make_user):
    ceremony = session_id_of(app, "ceremony")
    _add_person(app, "颁奖人乙", "Presenter B")
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, ceremony))
    items = page.locator(".ro-item")
    second_title = items.nth(1).locator("input[name=item_title]").input_value()
    items.nth(1).locator(".ro-up").click()  # the second item is now the first
    page.locator("#ro-person-item").select_option(label=f"1. {second_title}")
    page.locator("#ro-person-role").select_option("presenter")
    box = page.get_by_role("combobox", name="Find a person")
    box.press_sequentially("Presenter B")
    expect(page.get_by_role("option", name="颁奖人乙 · Presenter B")).to_be_visible()
    box.press("Enter")
    expect(page.locator("#ro-notice")).to_contain_text("Added 颁奖人乙 · Presenter B as Presenter")
    first = page.locator(".ro-item").first
    assert first.locator("input[name=item_title]").input_value() == second_title
    expect(first.locator(".ro-person")).to_contain_text("颁奖人乙 · Presenter B")
    page.get_by_role("button", name="Save running order").click()
    expect(page.get_by_text("Running order saved.")).to_be_visible()
    assert ("颁奖人乙", "presenter") in _item_people(app, ceremony)[0]
