"""A form the server sends back with its errors holds what was not saved: leaving it asks first, in Debian's
Chromium; a refused sign-in does not count as unsaved work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login, login, post_form
from tests.showcase.schedule.conftest import SLUG, session_id_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

MARKED = 'data-unsaved="changed"'


def _edit(session_id: int) -> str:
    return f"/staff/festivals/{SLUG}/sessions/{session_id}/edit"


def test_a_form_shown_again_with_errors_is_marked_unsaved_and_a_fresh_one_is_not(app, client, demo, login_as):
    login_as("editor")
    edit = _edit(session_id_of(app, "panel"))
    assert MARKED not in client.get(edit).get_data(as_text=True)
    refused = post_form(client, edit, {"title": "", "kind": "panel"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert html.count(MARKED) == 1 and 'class="form" novalidate data-unsaved="changed">' in html


def test_a_refused_sign_in_is_not_unsaved_work(app, client, make_user):
    refused = login(client, make_user("viewer"), password="not the password")
    assert refused.status_code == 401
    assert "data-unsaved" not in refused.get_data(as_text=True)


@pytest.mark.browser
def test_leaving_a_form_the_server_refused_asks_first(app, live_server, page, demo, make_user):
    edit = live_server.url + _edit(session_id_of(app, "panel"))
    browser_login(page, live_server.url, make_user("editor"))
    page.goto(edit)
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("form.form")).to_have_attribute("data-unsaved", "changed")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(f"{live_server.url}/staff/festivals/{SLUG}")
    assert asked == ["beforeunload"]  # nothing was typed after the refusal: the refused values count
