"""Absolute URLs on guest pages and feeds come from the configured base URL, never from the request.

A shared cache keeps a guest page for everyone: a Host or X-Forwarded-Host header sent by someone
must not end up in it (canonical, og:url, og:image, calendar links, sitemap).
"""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import update

from showcase.extensions import db
from showcase.festivals.models import Festival
from tests.conftest import app_config

SLUG = "ai-shorts-2026"
EVIL = "evil.example"
DEMO_BASE = "http://127.0.0.1:5000"  # the demo festival's public base URL


def every_response(client, guest, **headers):
    urls = [
        *guest.public_urls(),
        f"/f/{guest.codes['tides']}",
        "/f/zzzzzzzz",
        "/nope",
        f"/festivals/{SLUG}/favourites?sessions=x",
        f"/festivals/{SLUG}/screens/999/calendar.ics",
    ]
    for url in urls:
        for lang in ("zh", "en"):
            yield url, client.get(url, headers={"Accept-Language": lang, **headers})


def assert_no_evil(client, guest, **headers) -> int:
    seen = 0
    for url, response in every_response(client, guest, **headers):
        assert response.status_code < 500, url
        assert EVIL.encode() not in response.get_data(), url
        assert not [v for v in response.headers.values() if EVIL in v], url
        seen += DEMO_BASE.encode() in response.get_data()
    return seen


@pytest.fixture
def proxied(app, guest, tmp_path):
    """The same database served behind one reverse proxy hop (PROXY_FIX=1)."""
    from showcase.app import create_app

    behind = create_app(
        app_config(tmp_path / "behind", app.config["DATABASE_URL"], PROXY_FIX=1, SECRET_KEY=secrets.token_urlsafe(40))
    )
    yield behind
    with behind.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_forged_host_appears_in_no_guest_response(client, guest):
    guest.withdraw("tides")  # its friendly 410 page too
    guest.reveal_awards()  # everything shows: awards, now playing, running orders
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["fireworks"]})
    absolute = assert_no_evil(client, guest, Host=EVIL)
    assert absolute > 20  # film pages, og:url, feeds, sitemap carry the festival's base URL instead


def test_a_forwarded_host_behind_a_proxy_appears_in_no_guest_response(proxied, guest):
    client = proxied.test_client()
    forwarded = {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    assert client.get(f"/f/{guest.codes['fireworks']}", headers=forwarded).status_code == 200
    assert assert_no_evil(client, guest, **forwarded) > 20
    assert assert_no_evil(client, guest, Host=EVIL, **forwarded) > 20


def test_without_a_festival_base_the_configured_one_is_used(app, client, guest):
    guest._change(update(Festival).values(public_base_url=""))
    code = guest.codes["fireworks"]
    app.config["PUBLIC_BASE_URL"] = "https://guests.example.org/"
    page = client.get(f"/f/{code}", headers={"Host": EVIL}).get_data(as_text=True)
    assert f'<link rel="canonical" href="https://guests.example.org/f/{code}?lang=zh">' in page
    assert f"https://guests.example.org/f/{code}</loc>" in client.get("/sitemap.xml").get_data(as_text=True)
    del app.config["PUBLIC_BASE_URL"]
    app.config.update(SERVER_NAME="showcase.example.net", PREFERRED_URL_SCHEME="https")
    page = client.get(f"/f/{code}").get_data(as_text=True)
    assert f'<meta property="og:url" content="https://showcase.example.net/f/{code}?lang=zh">' in page


def test_with_no_base_url_configured_links_stay_relative(client, guest):
    guest._change(update(Festival).values(public_base_url=""))
    code = guest.codes["fireworks"]
    page = client.get(f"/f/{code}", headers={"Host": EVIL}).get_data(as_text=True)
    assert f'<link rel="canonical" href="/f/{code}?lang=zh">' in page and EVIL not in page
    sitemap = client.get("/sitemap.xml", headers={"Host": EVIL}).get_data(as_text=True)
    assert "<loc>" not in sitemap  # a sitemap holds absolute URLs only
