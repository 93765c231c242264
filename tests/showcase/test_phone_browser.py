"""Backstage on a phone, in Debian's Chromium: every staff page at 390 px wide without sideways scrolling,
and the show's primary actions big enough for a thumb and within its reach.

The pages come from the app's URL map (as the access matrix does), so a new staff page is measured too:
every GET route a signed-in role may open that answers an HTML page, filled in from the demo festival.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import browser_login, login
from tests.showcase.auth.test_access_matrix import BEARER, _demo_values, _routes, _url
from tests.showcase.schedule.conftest import SLUG, session_id_of

# What the browser shows does not depend on the database: the view tests run on both.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

WIDTH = 390
PHONE = {
    "viewport": {"width": WIDTH, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
# Shown in English on purpose in a Chinese page: the name of the other language on the switch, the brand.
UNTRANSLATED_ON_PURPOSE = {"English", "showcase"}
# A thumb's target (WCAG 2.5.5, Apple's and Material's guidance agree on about 44 CSS px).
TOUCH = 44

# Elements whose right edge passes the viewport, leaving out those kept inside a box of their own that
# scrolls or clips (overflow-x other than visible): that box is measured itself.
STICKING_OUT = """width => {
  const boxed = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') { return true; }
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  return [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 && !boxed(el);
  }).map(el => name(el) + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


def _phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    return context


def _staff_pages(app, values: dict) -> list[str]:
    """Every staff GET route that answers an HTML page to an admin, as a path filled from the demo."""
    client = app.test_client()
    email = values["email"]
    assert login(client, email).status_code == 302
    pages = []
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access
        if access == "public" or access in BEARER or "GET" not in rule.methods:
            continue  # guest pages and the sign-in page have their own layout; the APIs are not pages
        if "." in rule.rule.rsplit("/", 1)[-1]:
            continue  # a file: a PDF, a picture, JSON, a stylesheet, an export
        path = _url(rule, values)
        response = client.get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.append(path)
        response.close()  # an event stream is not read to its end
    return pages


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# Controls smaller than a thumb on the show's pages and the control room (hidden ones and those kept from
# assistive technology, like the running order's Enter-to-save button, aside).
CONTROLS = (
    "button, .button, select, input:not([type=hidden]):not([type=checkbox]), summary,"
    " nav a, .row-actions a, .cue-links a, .show-links a"
)
TOO_SMALL = """([size, controls]) => [...document.querySelectorAll(controls)].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && !el.closest('[aria-hidden=true]') && (box.height < size || box.width < size);
  }).map(el => el.tagName.toLowerCase() + ' ' + (el.textContent || el.name).trim().slice(0, 30) + ' '
    + Math.round(el.getBoundingClientRect().width) + 'x' + Math.round(el.getBoundingClientRect().height))"""


def _in_reach(page, locator) -> None:
    """At least a thumb high and wide, and in the lower half of the screen as the page opens."""
    locator.wait_for()
    box = locator.bounding_box()
    assert box["height"] >= TOUCH and box["width"] >= TOUCH, box
    height = PHONE["viewport"]["height"]
    assert box["y"] >= height / 2 and box["y"] + box["height"] <= height, box


def test_go_and_save_sit_at_the_bottom_of_a_phone_and_every_control_is_thumb_sized(
    app, live_server, browser, demo, make_user
):
    ceremony = session_id_of(app, "ceremony")
    session = f"{live_server.url}/staff/festivals/{SLUG}/sessions/{ceremony}"
    context = _phone(browser)
    try:
        page = context.new_page()
        browser_login(page, live_server.url, make_user("editor"))
        page.goto(f"{session}/show/")
        _in_reach(page, page.get_by_role("button", name="GO", exact=True))
        small = {"caller": page.evaluate(TOO_SMALL, [TOUCH, CONTROLS])}
        page.goto(f"{session}/running-order")
        _in_reach(page, page.get_by_role("button", name="Save running order"))
        small["running order"] = page.evaluate(TOO_SMALL, [TOUCH, CONTROLS])
        page.goto(f"{session}/cue-sheet")
        small["cue sheet"] = page.evaluate(TOO_SMALL, [TOUCH, CONTROLS])
        page.goto(f"{live_server.url}/staff/kiosks/")
        small["control room"] = page.evaluate(TOO_SMALL, [TOUCH, CONTROLS])
    finally:
        context.close()
    assert small == {"caller": [], "running order": [], "cue sheet": [], "control room": []}


# Where the walk's screenshots go: kept with the test run (CI keeps the folder as the run's artefacts).
ARTIFACTS = Path(os.environ.get("SHOWCASE_TEST_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts")
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
# The visible words of a page: text nodes and the attributes a reader sees or hears.
VISIBLE_WORDS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, [hidden], template')) { continue; }
    const text = node.textContent.trim();
    if (text) { words.push(text); }
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], input[type=submit]')) {
    for (const name of ['placeholder', 'title', 'aria-label', 'value']) {
      if (el.hasAttribute(name) && (name !== 'value' || el.type === 'submit')) {
        words.push(el.getAttribute(name).trim());
      }
    }
  }
  return words;
}"""


def _english_messages() -> set[str]:
    """The catalogue's English messages that have a different Chinese translation (and no placeholder)."""
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[2] / "showcase" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    with open(po, "rb") as fh:
        catalogue = read_po(fh)
    return {
        m.id for m in catalogue if isinstance(m.id, str) and m.id and "%(" not in m.id and m.string and m.string != m.id
    }


def _sticking_out(page, width: int) -> list[str]:
    """Why the page scrolls sideways at `width`: its own width, and the elements that pass the edge."""
    return ([f"{_width(page)}px wide"] if _width(page) > width else []) + page.evaluate(STICKING_OUT, width)[:5]


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"


def test_every_staff_page_in_chinese_at_phone_and_desktop_widths(app, live_server, browser, demo, make_user):
    """The walk a Chinese-speaking team makes: every staff page in the URL map (and the sign-in page) in zh at
    390 and 1366 px, a screenshot of each, no sideways scrolling (the page, or any element not kept in a box
    that scrolls by itself), and no message of the catalogue left in English on the page."""
    values = {**_demo_values(app), "session_id": session_id_of(app, "ceremony"), "email": make_user("admin")}
    pages = _staff_pages(app, values)
    assert len(pages) >= 20, pages  # the sweep found the staff pages, not a handful
    english = _english_messages()
    folder = ARTIFACTS / "staff-zh"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    found: dict[str, list] = {}
    for name, options in (("390", PHONE), ("1366", DESKTOP)):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            page.goto(live_server.url + "/login")
            if out := _sticking_out(page, options["viewport"]["width"]):
                found[f"{name} /login"] = out
            browser_login(page, live_server.url, values["email"])
            if name == "390":  # the choice is stored with the account: once is enough
                page.get_by_role("button", name="中文").click()
                page.wait_for_selector('html[lang="zh-Hans"]')
            width = options["viewport"]["width"]
            for path in pages:
                page.goto(live_server.url + path)
                assert page.get_attribute("html", "lang") == "zh-Hans", path
                page.screenshot(path=str(folder / f"{name}-{_slug(path)}.png"), full_page=True)
                left = sorted({w for w in page.evaluate(VISIBLE_WORDS) if w in english} - UNTRANSLATED_ON_PURPOSE)
                problems = _sticking_out(page, width) + left
                if problems:
                    found[f"{name} {path}"] = problems
        finally:
            context.close()
    (folder / "pages.txt").write_text("\n".join(pages) + "\n", encoding="utf-8")
    assert len(list(folder.glob("*.png"))) == 2 * len(pages)
    assert found == {}, "\n".join(f"{where}: {problems}" for where, problems in found.items())
