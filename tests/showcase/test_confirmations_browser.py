"""Confirmation steps in real Chromium: the plain page without JavaScript, the dialog with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import browser_login

pytestmark = pytest.mark.browser

AWARDS = "/staff/festivals/ai-shorts-2026/awards/"
FIREWORKS = "烟花之下是我家"
QUESTION = f"Remove the winner {FIREWORKS} from 主竞赛单元 (Main Competition)?"


def _main_award(app):
    """(category id, award id of the fireworks film in the Main Competition, or None once removed)."""
    from showcase.awards.models import AwardCategory
    from showcase.extensions import db

    with app.app_context():
        category = db.session.scalar(select(AwardCategory).where(AwardCategory.name_en == "Main Competition"))
        award = next((a for a in category.awards if a.film.slug == "fireworks"), None)
        return category.id, award.id if award else None


def _commands(app) -> list[str]:
    from showcase.extensions import db
    from showcase.kiosks.models import KioskCommand

    with app.app_context():
        return list(db.session.scalars(select(KioskCommand.command).order_by(KioskCommand.id)))


def _remove_button(page, category_id: int):
    section = page.locator("section.category").filter(has=page.locator(f"#category-{category_id}"))
    return section.get_by_role("button", name=f"Remove winner {FIREWORKS}", exact=True)


def test_remove_winner_without_javascript(browser, live_server, demo, make_user):
    category_id, award_id = _main_award(demo)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        browser_login(page, live_server.url, make_user("editor"))
        page.goto(f"{live_server.url}{AWARDS}")
        _remove_button(page, category_id).click()
        page.wait_for_url(f"**/winners/{award_id}/delete")
        assert page.get_by_role("heading", level=1).inner_text() == QUESTION
        assert page.get_by_text("This cannot be undone.").is_visible()
        page.get_by_role("link", name="Cancel").click()
        page.wait_for_url(f"{live_server.url}{AWARDS}#category-{category_id}")
        assert _main_award(demo) == (category_id, award_id)

        _remove_button(page, category_id).click()
        page.wait_for_url(f"**/winners/{award_id}/delete")
        page.get_by_role("button", name="Remove winner", exact=True).click()
        page.wait_for_url(f"{live_server.url}{AWARDS}")
        assert page.get_by_text("Winner removed.").is_visible()
        assert _main_award(demo) == (category_id, None)
        assert _remove_button(page, category_id).count() == 0
    finally:
        context.close()


def _watch_errors(page) -> list[str]:
    """Console errors and CSP violations of the page (an inline script would be one); no favicon is fine."""
    errors: list[str] = []

    def console(message) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_remove_winner_in_a_dialog_with_javascript(live_server, page, demo, make_user):
    category_id, award_id = _main_award(demo)
    errors = _watch_errors(page)
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(f"{live_server.url}{AWARDS}")
    remove = _remove_button(page, category_id)
    look = remove.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).borderTopColor]")
    primary = page.get_by_role("button", name="Add category").evaluate("b => getComputedStyle(b).backgroundColor")
    assert look == ["rgb(255, 255, 255)", "rgb(161, 29, 29)"] and primary == "rgb(138, 28, 43)"

    remove.click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("heading").inner_text() == QUESTION
    assert page.evaluate("document.activeElement.textContent") == "Cancel"  # the safe choice has the focus
    dialog.get_by_role("link", name="Cancel").click()
    assert page.get_by_role("dialog").count() == 0
    assert page.url == f"{live_server.url}{AWARDS}" and _main_award(demo) == (category_id, award_id)

    remove.click()
    page.get_by_role("dialog").get_by_role("button", name="Remove winner", exact=True).click()
    page.wait_for_url(f"{live_server.url}{AWARDS}")
    assert page.get_by_text("Winner removed.").is_visible()
    assert _main_award(demo) == (category_id, None)
    assert errors == []


def test_stop_asks_and_pause_stays_one_click(live_server, page, demo, make_user):
    errors = _watch_errors(page)
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(f"{live_server.url}/staff/kiosks/")
    page.get_by_role("button", name="Pause on hall-1", exact=True).click()
    page.wait_for_url(f"{live_server.url}/staff/kiosks/")
    assert page.get_by_text("“pause” sent to hall-1.").is_visible()
    assert page.get_by_role("dialog").count() == 0 and _commands(demo) == ["pause"]

    page.get_by_role("button", name="Stop on hall-1", exact=True).click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("heading").inner_text() == "Stop the screen of hall-1?"
    assert _commands(demo) == ["pause"]
    dialog.get_by_role("button", name="Stop the screen").click()
    page.wait_for_url(f"{live_server.url}/staff/kiosks/")
    assert page.get_by_text("“stop” sent to hall-1.").is_visible()
    assert _commands(demo) == ["pause", "stop"] and errors == []
