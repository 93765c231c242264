"""Signing in and out in a real browser."""

import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_staff_sign_in_and_out_in_chromium(live_server, page, demo, make_user):
    email = make_user("editor")
    page.goto(f"{live_server.url}/staff/")
    assert "/login?next=" in page.url
    browser_login(page, live_server.url, email)
    assert page.get_by_role("heading", name="Festivals").is_visible()
    assert page.get_by_text("AI 短片大赛 2026").first.is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/login")
    page.goto(f"{live_server.url}/staff/")
    assert "/login" in page.url
