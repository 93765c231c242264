"""The demo ceremony called from the keyboard in real Chromium, watched on the presenter view and a guest's phone.

Three browser contexts: the caller (an editor; GO is the space bar), the presenter view (a viewer) and a
phone-sized guest on the first prize's film page. The first prize appears on the guest's page only once
its announcement cue has started, and a double press of the space bar advances one cue.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import select, update

from showcase.awards.models import Award
from showcase.extensions import db
from showcase.films.models import Film
from showcase.schedule.models import ScheduleSession
from showcase.shows.models import CueRun
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

SLUG = "ai-shorts-2026"
PRIZE = "Main Competition · First prize"  # the award line of the film page, in English
GUARD_S = 0.7  # show_caller.js counts presses within 0.6 s of a GO as the same press


def _ceremony(app) -> dict:
    with app.app_context():
        db.session.execute(update(Award).values(revealed_at=None))  # every result under embargo
        db.session.commit()
        session = db.session.scalar(select(ScheduleSession).where(ScheduleSession.title_en == "Awards Ceremony"))
        fireworks = db.session.scalar(select(Film).where(Film.slug == "fireworks"))
        award_id = db.session.scalar(select(Award.id).where(Award.film_id == fireworks.id))
        items = list(session.items)
        return {
            "base": f"/staff/festivals/{SLUG}/sessions/{session.id}/show",
            "cues": [(item.id, item.title, item.title_en) for item in items],
            "announcement": next(n for n, item in enumerate(items) if item.award_id == award_id),
            "code": fireworks.code,
        }


def _runs(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(CueRun.id)).all())


def _watch_errors(page, errors: list[str]) -> None:
    """Console errors and CSP violations (an inline script or style would be one); no favicon is fine, and so
    is the refused second GO (the browser logs every 4xx answer)."""

    def console(message) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith(("/favicon.ico", "/show/go")):
            errors.append(f"{message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


def _current(caller, cue_id: int) -> None:
    caller.locator(f'tr#cue-{cue_id}.current[aria-current="true"]').wait_for()


# What three browsers see is looked at here, not the database (the API's and the pages' tests run on both).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("app", [{"SHOW_EVENTS_MS": 15_000}], indirect=True)
def test_a_caller_runs_the_ceremony_from_the_keyboard(browser, live_server, demo, make_user):
    show = _ceremony(demo)
    cues, url = show["cues"], live_server.url
    errors: list[str] = []
    contexts = []

    def open_context(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _watch_errors(page, errors)
        return page

    try:
        caller = open_context(viewport={"width": 1280, "height": 900})
        browser_login(caller, url, make_user("editor"))
        caller.goto(f"{url}{show['base']}/")
        stage = open_context(viewport={"width": 1280, "height": 720})
        browser_login(stage, url, make_user("viewer"))
        stage.goto(f"{url}{show['base']}/stage")
        phone = open_context(viewport={"width": 393, "height": 852}, is_mobile=True, has_touch=True)
        phone.goto(f"{url}/f/{show['code']}?lang=en")
        assert phone.get_by_role("heading", level=1).inner_text() == "Under the Fireworks Lies My Home"
        assert phone.get_by_text(PRIZE).count() == 0

        caller.keyboard.press("Space")  # standby → the show starts live at its first cue
        _current(caller, cues[0][0])
        stage.locator('[data-field="cue-title"]', has_text=cues[0][1]).wait_for()
        assert re.fullmatch(r"[01]:\d\d", stage.locator('[data-field="timer"]').inner_text())

        caller.wait_for_timeout(GUARD_S * 1000)
        caller.keyboard.press("Space")  # a double press: the second names the same cue and changes nothing
        caller.keyboard.press("Space")
        # refused either way: it named a cue the show had left, or it lost the race with the first one. Losing
        # the race on SQLite means waiting for the winner's write lock: on a loaded machine the answer has
        # come after more than the default 10 s, so it is given longer (it must still come).
        caller.get_by_text("Nothing changed: ").wait_for(timeout=30_000)
        _current(caller, cues[1][0])
        assert caller.locator("tr.current").count() == 1 and _runs(demo) == 2
        stage.locator('[data-field="cue-title-en"]', has_text=cues[1][2]).wait_for()

        for n in range(2, len(cues)):
            caller.wait_for_timeout(GUARD_S * 1000)
            caller.keyboard.press("Space")
            _current(caller, cues[n][0])
            if n in (show["announcement"] - 1, show["announcement"]):
                phone.reload()
                assert phone.get_by_text(PRIZE).count() == (1 if n == show["announcement"] else 0), n
            if n == show["announcement"]:
                stage.locator('[data-field="cue-title"]', has_text="主竞赛单元 · 一等奖").wait_for()
                stage.locator('[data-field="next-title"]', has_text="烟花之下是我家").wait_for()
                assert phone.get_by_text(PRIZE).is_visible()
                break
        assert _runs(demo) == show["announcement"] + 1

        caller.get_by_label("Message to the stage").fill("Thirty seconds, please wrap up")
        caller.get_by_role("button", name="Send").click()
        stage.get_by_text("Thirty seconds, please wrap up").wait_for()
        assert caller.locator('[data-field="state"]').inner_text() == "Running"

        if os.environ.get("SHOWCASE_SCREENSHOTS"):  # for a person to look at: not part of the test
            folder = os.environ["SHOWCASE_SCREENSHOTS"]
            caller.screenshot(path=f"{folder}/show_caller.png", full_page=True)
            stage.screenshot(path=f"{folder}/show_stage.png")
            phone.screenshot(path=f"{folder}/show_guest_phone.png", full_page=True)
        assert errors == []
    finally:
        for context in contexts:
            context.close()
