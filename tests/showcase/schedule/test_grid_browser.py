"""The schedule grid in Debian's Chromium: what staff see — heights, clashes side by side, the now line,
and a phone-wide screen that scrolls the grid inside its own box with the time column fixed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.showcase.schedule.conftest import SLUG, session_id_of

# What the browser shows does not depend on the database: the view tests run on both.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

GRID = f"/staff/festivals/{SLUG}/sessions/grid"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _clash(app) -> int:
    """A 45-minute extra screening on Hall 1 during the ceremony, saved knowingly."""
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.schedule.services import create_session

    with app.app_context():
        festival = get_festival(SLUG)
        session = create_session(
            festival,
            title="加映",
            kind="talk",
            screen_id=festival.screens[0].id,
            starts_at=datetime(2026, 12, 12, 14, 30, tzinfo=SHANGHAI),
            ends_at=datetime(2026, 12, 12, 15, 15, tzinfo=SHANGHAI),
            override_conflicts=True,
        )
        db.session.commit()
        return session.id


def _box(page, session_id: int) -> dict:
    return page.locator(f"#grid-session-{session_id}").bounding_box()


def test_blocks_are_as_tall_as_they_last_and_clashing_sessions_sit_side_by_side(
    app, live_server, page, demo, make_user
):
    rehearsal, screening, ceremony = (session_id_of(app, k) for k in ("other", "screening", "ceremony"))
    extra = _clash(app)
    page.clock.set_fixed_time(datetime(2026, 12, 12, 14, 40, tzinfo=SHANGHAI))
    browser_login(page, live_server.url, make_user("viewer"))
    page.goto(live_server.url + GRID)

    two_hours, one_hour = _box(page, rehearsal), _box(page, screening)
    assert two_hours["height"] == pytest.approx(2 * one_hour["height"], abs=1)
    assert one_hour["height"] > 60  # a readable scale, not the height of the text
    first, second = _box(page, ceremony), _box(page, extra)
    assert first["x"] + first["width"] <= second["x"] + 0.5  # side by side, not stacked
    assert first["width"] == pytest.approx(second["width"], abs=1)
    assert second["y"] > first["y"]  # 14:30 is lower than 14:00 …
    assert second["y"] - first["y"] == pytest.approx(one_hour["height"] / 2, abs=1)  # … by half an hour

    now = page.locator("#grid-now")
    expect(now).to_be_visible()
    expect(now).to_contain_text("14:40")
    line = now.bounding_box()["y"]
    assert line == pytest.approx(first["y"] + one_hour["height"] * 40 / 60, abs=2)


def test_on_a_phone_the_grid_scrolls_in_its_box_with_the_time_column_fixed(app, live_server, browser, demo, make_user):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _clash(app)  # three lanes of blocks do not fit 390 px
    try:
        browser_login(page, live_server.url, make_user("viewer"))
        page.goto(live_server.url + GRID)
        box = page.locator(".grid-scroll")
        sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
        assert sizes[0] > sizes[1]  # wider than the phone: it scrolls inside its own box …
        right = box.evaluate("b => b.getBoundingClientRect().right")
        assert right <= 390  # … and does not widen the page
        times = page.locator(".grid-times")
        before = times.bounding_box()["x"]
        box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        assert times.bounding_box()["x"] == pytest.approx(before, abs=1)  # the time column stays put
        gala = page.locator(f"#grid-session-{session_id_of(app, 'gala')}").bounding_box()
        edge = times.bounding_box()
        assert edge["x"] + edge["width"] <= gala["x"] and gala["x"] + gala["width"] <= 390  # scrolled into view
    finally:
        context.close()
