"""The running-order builder in Debian's Chromium: drag, keyboard, live clock times, save, stale save."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.showcase.schedule.conftest import SLUG, session_id_of

pytestmark = pytest.mark.browser


def _builder(base: str, session_id: int, slug: str = SLUG) -> str:
    return f"{base}/staff/festivals/{slug}/sessions/{session_id}/running-order"


def _rows(page) -> list[dict]:
    """What the page shows for each item, read from the DOM."""
    return page.eval_on_selector_all(
        ".ro-item",
        """items => items.map(li => ({
        title: li.querySelector('input[name=item_title]').value,
        duration: li.querySelector('input[name=item_duration]').value,
        cue: li.querySelector('.ro-cue').textContent,
        clock: li.querySelector('.ro-clock').textContent,
        offset: li.querySelector('.ro-offset').textContent}))""",
    )


def _server_timing(app, session_id: int, rows: list[dict]) -> list[tuple[str, str, str]]:
    """(cue, clock, offset) as timing.py computes them for the order and durations the page shows."""
    from showcase.extensions import db
    from showcase.festivals.models import Festival
    from showcase.schedule.forms import parse_duration
    from showcase.schedule.models import ScheduleSession
    from showcase.schedule.timing import PlannedItem, time_running_order

    with app.app_context():
        session = db.session.get(ScheduleSession, session_id)
        zone = db.session.get(Festival, session.festival_id).zone
        planned = [PlannedItem(n, "x", parse_duration(r["duration"])) for n, r in enumerate(rows)]
        timing = time_running_order(planned, start=session.starts_at, end=session.ends_at, tz=zone)
        return [(str(t.cue), t.start_label, t.offset_label) for t in timing.items]


def _shown_timing(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["cue"], r["clock"], r["offset"]) for r in rows]


def _stored_titles(app, session_id: int) -> list[str]:
    from tests.showcase.schedule.conftest import item_titles

    with app.app_context():
        return item_titles(session_id)


def test_build_a_running_order_by_drag_and_keyboard_with_live_times_then_save(app, live_server, page, demo, make_user):
    ceremony = session_id_of(app, "ceremony")
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, ceremony))
    items = page.locator(".ro-item")
    before = _rows(page)
    assert _shown_timing(before) == _server_timing(app, ceremony, before)
    assert [r["clock"] for r in before[:3]] == ["14:00", "14:01", "14:06"]

    # Drag the third item (an award, 2:00) by its handle to the top.
    items.nth(2).locator(".ro-handle").drag_to(items.nth(0), target_position={"x": 40, "y": 4})
    expect(items.nth(0).locator("input[name=item_title]")).to_have_value(before[2]["title"])
    dragged = _rows(page)
    assert [r["title"] for r in dragged[:3]] == [before[2]["title"], before[0]["title"], before[1]["title"]]
    assert [r["clock"] for r in dragged[:3]] == ["14:00", "14:02", "14:03"]
    assert _shown_timing(dragged) == _server_timing(app, ceremony, dragged)
    expect(page.locator("#ro-dirty")).to_contain_text("Unsaved changes")

    # Keyboard: Alt+ArrowDown in the first item's title box moves it down and keeps the focus there.
    first_title = items.nth(0).locator("input[name=item_title]")
    first_title.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(items.nth(1).locator("input[name=item_title]")).to_have_value(before[2]["title"])
    expect(items.nth(1).locator("input[name=item_title]")).to_be_focused()
    expect(page.locator("#ro-live")).to_contain_text("to place 2")
    # The move-up button, pressed with the keyboard, moves it back.
    up = items.nth(1).locator(".ro-up")
    up.focus()
    page.keyboard.press("Enter")
    expect(items.nth(0).locator("input[name=item_title]")).to_have_value(before[2]["title"])
    expect(items.nth(0).locator(".ro-up")).to_be_focused()

    # A longer duration moves every later clock at once, and the total against the slot.
    items.nth(0).locator("input[name=item_duration]").fill("30:00")
    expect(items.nth(1).locator(".ro-clock")).to_have_text("14:30")
    expect(page.locator("#ro-fit")).to_have_text("Overrun: 4 min")
    edited = _rows(page)
    assert _shown_timing(edited) == _server_timing(app, ceremony, edited)

    page.get_by_role("button", name="Save running order").click()
    expect(page.get_by_text("Running order saved.")).to_be_visible()
    saved = _rows(page)
    assert _shown_timing(saved) == _shown_timing(edited)  # what the server renders = what the browser showed
    assert _stored_titles(app, ceremony) == [r["title"] for r in edited]
    expect(page.locator("#ro-fit")).to_have_text("Overrun: 4 min")


def test_a_stale_save_from_a_second_browser_shows_the_conflict_and_keeps_the_edit(
    app, live_server, browser, page, demo, make_user
):
    ceremony = session_id_of(app, "ceremony")
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, ceremony))
    other = browser.new_context(viewport={"width": 820, "height": 1180})  # a tablet
    try:
        late = other.new_page()
        late.set_default_timeout(10_000)
        browser_login(late, live_server.url, make_user("editor"))
        late.goto(_builder(live_server.url, ceremony))

        # The first editor drags the first film (Echo Factory) to the top and saves.
        page.locator(".ro-item").nth(3).locator(".ro-handle").drag_to(
            page.locator(".ro-item").first, target_position={"x": 40, "y": 4}
        )
        page.get_by_role("button", name="Save running order").click()
        expect(page.get_by_text("Running order saved.")).to_be_visible()

        # The second, still on the old version, retitles the welcome address, moves it, and saves.
        late_items = late.locator(".ro-item")
        late_items.nth(1).locator("input[name=item_title]").fill("欢迎辞（修改）")
        late_items.nth(1).locator(".ro-down").click()
        mine = [r["title"] for r in _rows(late)]
        late.get_by_role("button", name="Save running order").click()
        message = late.locator("#ro-message")
        expect(message).to_contain_text("Someone else saved this running order since you opened it")
        expect(message).to_contain_text("What your colleague changed")
        expect(message).to_contain_text("«回声工厂» (film) now at place 1")
        assert [r["title"] for r in _rows(late)] == mine  # the edit is still there
        assert "欢迎辞（修改）" not in _stored_titles(app, ceremony)
        kept = _rows(late)
        assert _shown_timing(kept) == _server_timing(app, ceremony, kept)
    finally:
        other.close()


def test_browser_clock_times_match_the_server_across_midnight_and_a_clock_change(
    app, live_server, page, demo, make_user
):
    """London leaves summer time at 02:00 on 25 October 2026: 01:00 and 01:30 come twice."""
    from showcase.extensions import db
    from showcase.festivals.services import add_screen, add_venue, create_festival
    from showcase.schedule.running_order import ItemDraft, save_running_order
    from showcase.schedule.services import create_session

    with app.app_context():
        festival = create_festival(
            name="Night of shorts",
            slug="night-of-shorts",
            start_date=date(2026, 10, 24),
            end_date=date(2026, 10, 25),
            timezone="Europe/London",
        )
        screen = add_screen(add_venue(festival, name="Cinema"), name="One")
        session = create_session(
            festival,
            title="All-nighter",
            kind="screening",
            screen_id=screen.id,
            starts_at=datetime(2026, 10, 24, 22, 30, tzinfo=UTC),
            ends_at=datetime(2026, 10, 25, 2, 0, tzinfo=UTC),
        )
        save_running_order(
            session,
            [ItemDraft(kind="other", planned_seconds=1800, title=f"Part {n}") for n in range(1, 8)],
            expected_version=1,
        )
        db.session.commit()
        session_id = session.id
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(_builder(live_server.url, session_id, "night-of-shorts"))
    page.locator(".ro-item").last.locator(".ro-up").click()
    rows = _rows(page)
    assert [r["clock"] for r in rows] == [
        "23:30",
        "00:00 +1",
        "00:30 +1",
        "01:00 +1",
        "01:30 +1",
        "01:00 +1",
        "01:30 +1",
    ]
    assert _shown_timing(rows) == _server_timing(app, session_id, rows)
    assert [r["title"] for r in rows][-2:] == ["Part 7", "Part 6"]
