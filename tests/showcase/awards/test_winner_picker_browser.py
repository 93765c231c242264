"""Picking a winner in Debian's Chromium: type part of a Chinese title, choose with the keyboard, Enter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import browser_login

# What the browser shows does not depend on the database: the view tests run on both.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

SLUG = "ai-shorts-2026"
AWARDS = f"/staff/festivals/{SLUG}/awards/"


def test_a_winner_is_picked_by_part_of_its_chinese_title_and_enter(app, live_server, page, demo, make_user):
    from showcase.awards.models import Award
    from showcase.awards.services import create_category
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.films.models import Film

    with app.app_context():
        category_id = create_category(get_festival(SLUG), name="最佳剧本", name_en="Best Script").id
        db.session.commit()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(live_server.url + AWARDS)
    section = page.locator("section.category").filter(has=page.locator(f"#category-{category_id}"))
    section.get_by_text("Add a winner").click()
    box = section.get_by_role("combobox", name="Film")
    box.press_sequentially("黎明")
    options = section.get_by_role("option")
    expect(options).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.first).to_contain_text("第七个黎明 · The Seventh Dawn")

    box.fill("")
    box.press_sequentially("烟")  # 烟花之下是我家 only
    expect(options.first).to_contain_text("烟花之下是我家")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")  # opens the list again on its first option
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Enter")  # picks
    expect(box).to_have_value("烟花之下是我家 · Under the Fireworks Lies My Home")
    expect(box).to_have_attribute("aria-expanded", "false")
    hidden = section.locator("input[name=film_id]")
    with app.app_context():
        fireworks = db.session.scalar(select(Film.id).where(Film.slug == "fireworks"))
    expect(hidden).to_have_value(str(fireworks))
    box.press("Enter")  # picked: Enter sends the form
    expect(page.get_by_text("Winner added to 最佳剧本.")).to_be_visible()
    with app.app_context():
        assert db.session.scalars(select(Award.film_id).where(Award.category_id == category_id)).all() == [fireworks]
    assert errors == []


def test_typing_again_forgets_the_pick_and_up_down_move_through_the_matches(app, live_server, page, demo, make_user):
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(live_server.url + AWARDS)
    section = page.locator("section.category").first
    section.get_by_text("Add a winner").click()
    box = section.get_by_role("combobox", name="Film")
    box.press_sequentially("the")
    options = section.get_by_role("option")
    expect(options.first).to_be_visible()
    count = options.count()
    assert count >= 3
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    box.press("ArrowUp")  # wraps to the last
    expect(options.nth(count - 1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    label = options.nth(count - 1).evaluate("o => o.firstChild.textContent.trim()")
    options.nth(count - 1).click()
    expect(box).to_have_value(label)
    assert section.locator("input[name=film_id]").input_value() != ""
    box.press("Backspace")
    expect(section.locator("input[name=film_id]")).to_have_value("")
