"""The words the live pages' scripts write, in Chinese, in real Chromium.

The control room, the show caller's page and the presenter view are rendered on the server and then kept up
to date by their scripts (control-room.js, show_caller.js, show_stage.js), which take their words from the
JSON block the page renders (words.js). A staff member who chose Chinese sees Chinese in what the scripts
write after the page loaded: a kiosk's new state, heartbeat and warnings; the show's state, the GO's
holder, the answer to a GO, the timer's word.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import browser_login

pytestmark = pytest.mark.browser

# What the browser shows is looked at here, not the database: SQLite only, as the other live-page browser tests.
SCREEN_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SLUG = "ai-shorts-2026"
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _in_chinese(page) -> None:
    """Choose Chinese with the switch in the top bar (stored with the account)."""
    page.get_by_role("button", name="中文").click()
    page.wait_for_selector('html[lang="zh-Hans"]')


def _watch_errors(page, errors: list[str]) -> None:
    """Console errors and CSP violations (the JSON block must not count as an inline script)."""

    def console(message) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith(("/favicon.ico", "/show/go")):
            errors.append(f"{message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


def _kiosk_token(app) -> str:
    from showcase.extensions import db
    from showcase.kiosks.services import find_kiosk, new_token

    with app.app_context():
        token = new_token(find_kiosk("hall-1"))
        db.session.commit()
        return token


def _field(page, name: str) -> str:
    return page.locator(f'[data-field="{name}"]').first.text_content() or ""


def _wait_text(page, name: str, text: str, timeout: float = 10_000) -> None:
    """Until the script has written `text` into the first [data-field=name]."""
    page.wait_for_function(
        '([name, text]) => document.querySelector(`[data-field="${name}"]`).textContent === text',
        arg=[name, text],
        polling=50,
        timeout=timeout,
    )


@SCREEN_ONLY
@pytest.mark.parametrize("app", [{"CONTROL_EVENTS_MS": 20_000}], indirect=True)
def test_the_control_room_script_writes_a_kiosks_news_in_chinese(demo, live_server, page, make_user):
    token = _kiosk_token(demo)
    kiosk = demo.test_client()
    errors: list[str] = []
    _watch_errors(page, errors)
    browser_login(page, live_server.url, make_user("viewer"))
    _in_chinese(page)
    page.goto(f"{live_server.url}/staff/kiosks/")
    page.wait_for_selector("#kiosks[data-updated]", state="attached")  # the stream is up
    assert _field(page, "heartbeat") == "尚无心跳"

    beat = {"state": "paused", "last_error": "disk full"}
    answer = kiosk.post("/api/kiosk/heartbeat", json=beat, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.json
    _wait_text(page, "state", "已暂停")
    assert re.fullmatch(r"心跳 \d+ 秒前", _field(page, "heartbeat"))
    page.locator('[data-field="warnings"] li', has_text="最近错误：disk full").wait_for()

    # silent for more than 4 s: the script says so, in Chinese, with the warning's figure filled in
    _wait_text(page, "state", "无信号")
    warnings = page.locator('[data-field="warnings"] li').all_text_contents()
    assert any(re.match(r"\d+ 秒无信号：放映机已关闭", w) for w in warnings), warnings
    live = [_field(page, name) for name in ("state", "heartbeat", "playlist")] + warnings
    assert not [text for text in live if ENGLISH_WORD.search(text.replace("disk full", ""))], live
    assert errors == []


def _ceremony_show(app) -> str:
    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        session = db.session.scalar(select(ScheduleSession).where(ScheduleSession.kind == "ceremony"))
        return f"/staff/festivals/{SLUG}/sessions/{session.id}/show"


@SCREEN_ONLY
@pytest.mark.parametrize("app", [{"SHOW_EVENTS_MS": 15_000}], indirect=True)
def test_the_caller_and_presenter_scripts_write_the_show_in_chinese(browser, demo, live_server, make_user):
    base = f"{live_server.url}{_ceremony_show(demo)}"
    errors: list[str] = []
    contexts = []

    def open_page(role: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _watch_errors(page, errors)
        browser_login(page, live_server.url, make_user(role))
        _in_chinese(page)
        return page

    try:
        caller = open_page("editor")
        caller.goto(f"{base}/")
        stage = open_page("viewer")
        stage.goto(f"{base}/stage")
        assert _field(stage, "state") == "待命" and stage.locator(".stage-next-label").inner_text() == "下一项"
        assert _field(caller, "holder") == "还没有人掌握 GO：第一个按 GO 的人获得它。"

        caller.keyboard.press("Space")  # GO: the show starts; show_caller.js writes its answer and the new state
        caller.locator("#show-notice.ok").wait_for()
        notice = caller.locator("#show-notice").inner_text()
        assert notice.startswith("GO：第 1 项 · "), notice
        _wait_text(caller, "state", "进行中")
        assert re.fullmatch(r"GO 由 .+ 掌握（你）", _field(caller, "holder"))
        assert _field(caller, "timer-label") in ("剩余", "超出")
        _wait_text(stage, "state", "进行中")

        caller.keyboard.press("Space")  # two presses at once: the second changes nothing, and says so in Chinese
        caller.keyboard.press("Space")
        caller.locator("#show-notice.refused").wait_for()
        refused = caller.locator("#show-notice").inner_text()  # the server's reason, worded in the reader's language
        assert refused.startswith("未作改动：") and not ENGLISH_WORD.search(refused.replace("GO", "")), refused

        live = [_field(caller, n) for n in ("state", "timer-label")] + [_field(stage, "state")]
        assert not [text for text in live if ENGLISH_WORD.search(text)], live
        assert errors == []
    finally:
        for context in contexts:
            context.close()
