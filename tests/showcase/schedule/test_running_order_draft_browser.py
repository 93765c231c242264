"""No lost edits, in Debian's Chromium: leaving the running order with an unsaved change asks first, a
reload offers the draft kept in this browser, and a save clears it; a film is added by searching for it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.showcase.schedule.conftest import SLUG, item_titles, session_id_of

# What the browser shows does not depend on the database: the view tests run on both.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def _builder(base: str, session_id: int) -> str:
    return f"{base}/staff/festivals/{SLUG}/sessions/{session_id}/running-order"


def _titles(page) -> list[str]:
    return page.eval_on_selector_all(".ro-item input[name=item_title]", "inputs => inputs.map(i => i.value)")


def _stored(app, session_id: int) -> list[str]:
    with app.app_context():
        return item_titles(session_id)


def test_leaving_asks_first_and_a_reload_offers_the_draft(app, live_server, page, demo, make_user):
    ceremony = session_id_of(app, "ceremony")
    stored = _stored(app, ceremony)
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, ceremony))
    expect(page.locator("#ro-draft")).to_be_hidden()

    items = page.locator(".ro-item")
    items.nth(1).locator("input[name=item_title]").fill("欢迎辞（草稿）")
    expect(page.locator("#ro-form")).to_have_attribute("data-dirty", "true")
    items.nth(3).locator(".ro-up").click()  # a move changes no field's value, only the order
    edited = _titles(page)

    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.reload()
    assert asked == ["beforeunload"]
    banner = page.locator("#ro-draft")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("You have unsaved changes from")
    assert _titles(page) == stored  # the page itself shows what is saved …
    banner.get_by_role("button", name="Restore").click()
    expect(page.locator("#ro-notice")).to_contain_text("back from this browser's draft")
    assert _titles(page) == edited  # … and Restore brings the draft back, order and all
    assert _stored(app, ceremony) == stored

    page.get_by_role("button", name="Save running order").click()
    expect(page.get_by_text("Running order saved.")).to_be_visible()
    assert _stored(app, ceremony) == edited
    asked.clear()
    page.reload()  # saved: nothing to ask, nothing to offer
    assert asked == []
    expect(page.locator("#ro-draft")).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('showcase.running-order.'))") == []


def test_discard_forgets_the_draft_and_an_unchanged_page_leaves_without_asking(app, live_server, page, demo, make_user):
    ceremony = session_id_of(app, "ceremony")
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, ceremony))
    page.locator(".ro-item").nth(0).locator("input[name=item_duration]").fill("2:00")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.locator("#ro-draft").get_by_role("button", name="Discard").click()
    expect(page.locator("#ro-draft")).to_be_hidden()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.reload()
    assert asked == []
    expect(page.locator("#ro-draft")).to_be_hidden()


def test_a_film_is_added_by_typing_part_of_its_title_and_picking_it(app, live_server, page, demo, make_user):
    panel = session_id_of(app, "panel")
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, panel))
    box = page.get_by_role("combobox", name="Find a film")
    box.press_sequentially("工厂")
    expect(page.get_by_role("option", name="回声工厂 · Echo Factory")).to_be_visible()
    box.press("Enter")
    expect(page.locator("#ro-notice")).to_contain_text("Added the film «回声工厂»")
    assert _titles(page) == ["回声工厂"]
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.goto(f"{live_server.url}/staff/")  # the added film is not saved yet: leaving asks
    assert asked == ["beforeunload"]


def test_any_staff_form_with_a_change_asks_before_leaving_but_not_when_it_is_sent(
    app, live_server, page, demo, make_user
):
    panel = session_id_of(app, "panel")
    edit = f"{live_server.url}/staff/festivals/{SLUG}/sessions/{panel}/edit"
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(edit)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    title = page.get_by_label("English title")
    title.fill("Tool, partner, or new director? (revised)")
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(f"{live_server.url}/staff/festivals/{SLUG}")
    assert asked == ["beforeunload"]
    page.goto(edit)
    page.get_by_label("English title").fill("Tool, partner, or new director? (revised)")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    assert asked == ["beforeunload"]  # sending the form did not ask
