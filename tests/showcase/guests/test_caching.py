"""Built for the surge: shared-cache headers, ETags and 304s, no cookie, no session, no writes."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from showcase.extensions import db

SLUG = "ai-shorts-2026"
PAGES = [
    "/",
    "/f/{code}",
    f"/festivals/{SLUG}",
    f"/festivals/{SLUG}/schedule",
    f"/festivals/{SLUG}/favourites?films={{code}}",
    f"/festivals/{SLUG}/calendar.ics",
    f"/festivals/{SLUG}/sessions/{{session}}/calendar.ics",
    "/sitemap.xml",
]


def urls(guest) -> list[str]:
    return [p.format(code=guest.codes["fireworks"], session=guest.sessions["ceremony"]) for p in PAGES]


def varies_by_language_only(response) -> bool:
    """Vary names the language (and, for pages served gzipped too, the encoding), never the cookie."""
    named = {name.strip() for name in response.headers.get("Vary", "").split(",")}
    return "Accept-Language" in named and named <= {"Accept-Language", "Accept-Encoding"}


def test_guest_pages_are_cacheable_by_a_shared_cache(client, guest):
    for url in urls(guest):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response.cache_control
        assert cache_control.public and 0 < cache_control.max_age <= 300, url
        assert varies_by_language_only(response), url  # and never Cookie
        assert response.headers.get("ETag"), url
        assert response.headers.get("Set-Cookie") is None, url


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_a_matching_etag_gets_304_and_a_stale_one_the_page(client, guest, page):
    url = urls(guest)[page]
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304, url
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.cache_control.public
    assert again.headers.get("Set-Cookie") is None
    stale = client.get(url, headers={"If-None-Match": '"not-the-current-one"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()


def test_etag_differs_per_language_and_follows_the_content(client, guest):
    url = f"/f/{guest.codes['fireworks']}"
    zh, en = client.get(url), client.get(url, headers={"Accept-Language": "en"})
    assert zh.headers["ETag"] != en.headers["ETag"]
    assert client.get(url).headers["ETag"] == zh.headers["ETag"]  # stable while nothing changes
    guest.reveal_awards()
    revealed = client.get(url, headers={"If-None-Match": zh.headers["ETag"]})
    assert revealed.status_code == 200 and "一等奖" in revealed.get_data(as_text=True)


def test_a_staff_session_cookie_changes_nothing_on_a_guest_page(app, client, guest, login_as):
    urls_to_check = urls(guest)
    anonymous = {url: app.test_client().get(url) for url in urls_to_check}
    login_as("admin")
    assert any(cookie.key == "session" for cookie in client._cookies.values())
    for url in urls_to_check:
        staff = client.get(url)
        assert staff.headers.get("Set-Cookie") is None, url
        assert varies_by_language_only(staff), url
        assert staff.cache_control.public, url
        assert staff.get_data() == anonymous[url].get_data(), url
        assert staff.headers["ETag"] == anonymous[url].headers["ETag"], url
    # The staff session itself still works (it was neither dropped nor replaced).
    assert client.get("/staff/").status_code == 200


def test_guest_requests_write_nothing_to_the_database(app, client, guest):
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.lstrip().split()[0].upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        for url in urls(guest):
            client.get(url)
            client.get(url, headers={"Accept-Language": "en"})
        client.get("/f/zzzzzzzz")
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert statements, "the pages should have read something"
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), statements


def test_no_rate_limit_on_guest_pages_a_whole_venue_shares_one_address(client, guest):
    url = f"/f/{guest.codes['fireworks']}"
    statuses = {client.get(url, environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code for _ in range(300)}
    assert statuses == {200}


def test_friendly_404_and_400_pages_set_no_cookie_either(client, guest):
    for url, status in (
        ("/f/zzzzzzzz", 404),
        ("/festivals/nope", 404),
        (f"/festivals/{SLUG}/favourites?sessions=x", 400),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers.get("Set-Cookie") is None
        assert "Cookie" not in response.headers.get("Vary", "")
