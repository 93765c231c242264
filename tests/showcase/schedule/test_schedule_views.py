"""The schedule pages: list and grid with conflicts and overruns, the session form refusing conflicts."""

from __future__ import annotations

import re

import pytest

from tests.conftest import post_form
from tests.showcase.schedule.conftest import SLUG, audit_count, session_id_of

BASE = f"/staff/festivals/{SLUG}/sessions"
NEW = {
    "title": "加映",
    "title_en": "Extra screening",
    "kind": "screening",
    "starts_at": "2026-12-12T14:30",
    "ends_at": "2026-12-12T15:15",
}


def _screen_id(app, index: int = 0) -> str:
    with app.app_context():
        from showcase.festivals.services import get_festival

        return str(get_festival(SLUG).screens[index].id)


def _session_titled(title: str) -> int:
    from sqlalchemy import select

    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    return db.session.scalar(select(ScheduleSession.id).where(ScheduleSession.title == title))


def _sessions(app) -> int:
    from sqlalchemy import func, select

    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ScheduleSession))


def test_a_clashing_session_is_refused_with_the_list_and_the_override_box(app, editor_client):
    count = _sessions(app)
    response = post_form(editor_client, f"{BASE}/new", {**NEW, "screen_id": _screen_id(app)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "clashes with other sessions" in html
    assert "Overlaps «颁奖典礼» (Sat 12 Dec 14:00–15:30) on 一号厅 (Hall 1)." in html
    assert 'name="override_conflicts"' in html
    assert _sessions(app) == count


def test_the_override_box_is_not_offered_before_a_conflict(editor_client):
    assert 'name="override_conflicts"' not in editor_client.get(f"{BASE}/new").get_data(as_text=True)


def test_overriding_knowingly_saves_and_then_the_grid_and_list_show_the_conflict(app, editor_client):
    response = post_form(
        editor_client,
        f"{BASE}/new",
        {**NEW, "screen_id": _screen_id(app), "override_conflicts": "y"},
        token_from=f"{BASE}/new",
    )
    assert response.status_code == 302
    with app.app_context():
        assert audit_count("override_conflicts") == 1
    grid = editor_client.get(f"{BASE}/grid?day=2026-12-12").get_data(as_text=True)
    with app.app_context():
        clashing = [session_id_of(app, "ceremony"), _session_titled("加映")]
    for session_id in clashing:
        assert re.search(rf'has-conflict" id="grid-session-{session_id}"', grid)
    assert "Overlaps «加映»" in grid
    css = editor_client.get(f"{BASE}/grid.css?day=2026-12-12").get_data(as_text=True)
    side_by_side = [
        f"#grid-session-{clashing[0]} {{ top: calc(var(--grid-minute) * 240); height: calc(var(--grid-minute) * 90); "
        "left: 0%; width: 50%; }",
        f"#grid-session-{clashing[1]} {{ top: calc(var(--grid-minute) * 270); height: calc(var(--grid-minute) * 45); "
        "left: 50%; width: 50%; }",
    ]
    assert all(rule in css for rule in side_by_side)
    listing = editor_client.get(f"{BASE}/").get_data(as_text=True)
    assert listing.count('class="has-conflict"') == 2


def test_ending_before_starting_is_a_clear_error_and_nothing_is_written(app, editor_client):
    count = _sessions(app)
    response = post_form(editor_client, f"{BASE}/new", {**NEW, "ends_at": "2026-12-12T13:00"})
    assert response.status_code == 400
    assert "The session must end after it starts." in response.get_data(as_text=True)
    assert _sessions(app) == count


def test_moving_a_session_onto_another_screen_slot_is_refused(app, editor_client):
    panel = session_id_of(app, "panel")
    path = f"{BASE}/{panel}/edit"
    html = editor_client.get(path).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    response = post_form(
        editor_client,
        path,
        {
            "title": "Panel",
            "kind": "panel",
            "screen_id": _screen_id(app),
            "starts_at": "2026-12-12T15:00",
            "ends_at": "2026-12-12T16:00",
            "version": version,
        },
    )
    assert response.status_code == 409
    assert "Overlaps «获奖影片展映»" in response.get_data(as_text=True)


def test_an_overrunning_running_order_shows_in_minutes(app, editor_client):
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    screening = session_id_of(app, "screening")
    with app.app_context():
        session = db.session.get(ScheduleSession, screening)
        session.items[0].planned_seconds += 20 * 60  # 2,565 s of films + 20 min in a 60 min slot
        db.session.commit()
    listing = editor_client.get(f"{BASE}/").get_data(as_text=True)
    assert "running order 3 min over the slot" in listing
    grid = editor_client.get(f"{BASE}/grid").get_data(as_text=True)
    assert "Overrun</span> 3 min over the slot" in grid


def test_grid_has_screen_columns_and_festival_times(editor_client):
    html = editor_client.get(f"{BASE}/grid").get_data(as_text=True)
    assert "times in Asia/Shanghai" in html
    assert '<h2 class="grid-head" id="grid-col-0">一号厅 · Hall 1</h2>' in html
    assert '<h2 class="grid-head" id="grid-col-1">宴会厅 · Banquet Hall</h2>' in html
    hours = re.search(r'<ol class="grid-times" aria-hidden="true">(.*?)</ol>', html).group(1)
    # The day starts with its first session (the 10:00 rehearsal), not at midnight, and ends after the gala.
    assert re.findall(r"<li>([^<]+)</li>", hours) == [f"{h}:00" for h in range(10, 22)]
    assert "/sessions/grid.css?day=2026-12-12" in html and "js/grid-now.js" in html
    assert "No sessions on" in editor_client.get(f"{BASE}/grid?day=2027-01-01").get_data(as_text=True)


def test_the_grid_stylesheet_makes_blocks_as_tall_as_their_sessions(app, editor_client):
    response = editor_client.get(f"{BASE}/grid.css?day=2026-12-12")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    heights = {
        kind: float(
            re.search(
                rf"#grid-session-{session_id_of(app, kind)} {{[^}}]*height: calc\(var\(--grid-minute\) \* ([\d.]+)\)",
                css,
            ).group(1)
        )
        for kind in ("other", "ceremony", "screening", "gala")
    }
    assert heights == {"other": 120, "ceremony": 90, "screening": 60, "gala": 150}  # minutes, to one scale
    again = editor_client.get(f"{BASE}/grid.css?day=2026-12-12", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert editor_client.get(f"{BASE}/grid.css?day=2027-01-01").get_data(as_text=True) == ""


def test_the_now_line_is_drawn_when_now_is_inside_the_grid(app, editor_client, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from showcase.schedule import views

    monkeypatch.setattr(views, "utcnow", lambda: datetime(2026, 12, 12, 14, 45, tzinfo=ZoneInfo("Asia/Shanghai")))
    html = editor_client.get(f"{BASE}/grid").get_data(as_text=True)
    line = re.search(r'<p class="now-line" id="grid-now"[^>]*>', html).group(0)
    assert "hidden" not in line and "<time>14:45</time>" in html
    css = editor_client.get(f"{BASE}/grid.css").get_data(as_text=True)
    assert "#grid-now { top: calc(var(--grid-minute) * 285); }" in css  # 4 h 45 min after 10:00
    monkeypatch.setattr(views, "utcnow", lambda: datetime(2026, 12, 13, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    html = editor_client.get(f"{BASE}/grid").get_data(as_text=True)
    assert re.search(r'<p class="now-line" id="grid-now"[^>]*hidden>', html)
    assert "#grid-now" not in editor_client.get(f"{BASE}/grid.css").get_data(as_text=True)


@pytest.mark.parametrize("day", ["%zz", "%ff", "0001-01-01", "9999-12-31", "2026-02-30", "x" * 3000, "20261212"])
def test_any_day_in_the_query_gets_a_grid_and_a_stylesheet(editor_client, day):
    assert editor_client.get(f"{BASE}/grid?day={day}").status_code == 200
    assert editor_client.get(f"{BASE}/grid.css?day={day}").status_code == 200


def test_the_grid_stylesheet_needs_a_signed_in_viewer(client, demo):
    response = client.get(f"{BASE}/grid.css")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_viewers_see_the_grid_and_cue_sheet_but_not_the_builder(app, client, demo, login_as):
    login_as("viewer")
    ceremony = session_id_of(app, "ceremony")
    assert client.get(f"{BASE}/grid").status_code == 200
    assert client.get(f"{BASE}/{ceremony}/cue-sheet").status_code == 200
    assert client.get(f"{BASE}/{ceremony}/running-order").status_code == 403


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.I)


def test_schedule_pages_have_no_inline_script_style_or_handlers(app, editor_client):
    ceremony = session_id_of(app, "ceremony")
    for path in (
        "/",
        "/grid",
        "/grid.css",
        "/new",
        f"/{ceremony}/edit",
        f"/{ceremony}/running-order",
        f"/{ceremony}/cue-sheet",
    ):
        html = editor_client.get(BASE + path).get_data(as_text=True)
        assert not INLINE.search(html), (path, INLINE.search(html))
