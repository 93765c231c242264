"""A guest's phone in Debian's Chromium: the film page opens, favourites survive a reload."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}
SLUG = "ai-shorts-2026"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_film_page_on_a_phone_and_favourites_survive_a_reload(live_server, guest, phone):
    code = guest.codes["fireworks"]
    errors: list[str] = []
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone.goto(f"{live_server.url}/f/{code.upper()}")
    assert phone.locator("h1").inner_text() == "Under the Fireworks Lies My Home"
    assert phone.get_by_role("heading", name="Screenings").is_visible()
    # Mobile first: nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    star = phone.locator('button[data-fav-kind="film"]')
    assert star.is_visible() and star.get_attribute("aria-pressed") == "false"
    star.click()
    assert star.get_attribute("aria-pressed") == "true"
    assert "Saved in my favourites" in star.inner_text()

    phone.reload()
    star = phone.locator('button[data-fav-kind="film"]')
    assert star.get_attribute("aria-pressed") == "true"
    assert "Saved in my favourites" in star.inner_text()

    phone.get_by_role("link", name="My favourites").click()
    phone.wait_for_url(f"**/festivals/{SLUG}/favourites?**")
    films = phone.get_by_role("region", name="Films")
    assert films.get_by_role("link", name="Under the Fireworks Lies My Home").is_visible()
    assert phone.get_by_text("Awards Ceremony").first.is_visible()
    subscribe = phone.get_by_role("link", name="Subscribe to my favourites (.ics)")
    assert f"films={code}" in subscribe.get_attribute("href")
    assert errors == []


@pytest.mark.browser
def test_starred_sessions_on_the_schedule_survive_a_reload(live_server, guest, phone):
    gala = guest.sessions["gala"]
    phone.goto(f"{live_server.url}/festivals/{SLUG}/schedule")
    star = phone.locator(f'#session-{gala} button[data-fav-kind="session"]')
    star.click()
    phone.reload()
    assert phone.locator(f'#session-{gala} button[data-fav-kind="session"]').get_attribute("aria-pressed") == "true"
    href = phone.get_by_role("link", name="My favourites").get_attribute("href")
    assert f"sessions={gala}" in href
    response = phone.request.get(f"{live_server.url}/festivals/{SLUG}/calendar.ics?sessions={gala}")
    assert f"UID:session-{gala}@{SLUG}.showcase" in response.text()


@pytest.mark.browser
def test_the_film_page_works_without_javascript(browser, live_server, guest):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/f/{guest.codes['tree']}")
        assert page.locator("h1").inner_text() == "一棵“树”的幻想"
        assert page.get_by_role("heading", name="放映场次").is_visible()
        assert not page.locator('button[data-fav-kind="film"]').is_visible()  # no dead controls
        page.get_by_role("link", name="English").click()
        assert page.locator("h1").inner_text() == "The Fantasy of a ‘Tree’"
    finally:
        context.close()
