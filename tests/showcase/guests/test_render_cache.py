"""The per-process render cache: keyed by what the page shows, so it can never serve stale content."""

from __future__ import annotations

from showcase.guests.render_cache import PageCache


def test_page_cache_keeps_the_most_recent_pages():
    pages = PageCache(2)
    pages.put("a", "A")
    pages.put("b", "B")
    assert pages.get("a") == "A"  # a is now the most recent
    pages.put("c", "C")
    assert pages.get("b") is None and pages.get("a") == "A" and pages.get("c") == "C"


def test_a_zero_sized_cache_keeps_nothing():
    pages = PageCache(0)
    pages.put("a", "A")
    assert pages.get("a") is None


def test_cached_pages_follow_every_change_of_the_data(client, guest):
    url = f"/f/{guest.codes['tides']}"
    english = {"Accept-Language": "en"}
    first = client.get(url, headers=english).get_data(as_text=True)
    assert client.get(url, headers=english).get_data(as_text=True) == first
    guest.reveal_awards()
    assert "Third prize" in client.get(url, headers=english).get_data(as_text=True)
    guest.withdraw("tides")
    assert client.get(url, headers=english).status_code == 410


def test_the_language_is_part_of_the_key_and_the_host_is_not(client, guest):
    url = f"/f/{guest.codes['tides']}"
    here = client.get(url, base_url="https://guests.example.org")
    there = client.get(url, base_url="https://other.example.net")
    assert here.get_data() == there.get_data() and here.headers["ETag"] == there.headers["ETag"]
    assert f'content="http://127.0.0.1:5000/f/{guest.codes["tides"]}?lang=zh"' in here.get_data(as_text=True)
    assert client.get(url + "?lang=en").get_data() != client.get(url + "?lang=zh").get_data()


def test_cache_can_be_switched_off(app, client, guest):
    app.config["GUEST_PAGE_CACHE_SIZE"] = 0
    app.extensions.pop("guest_pages", None)
    url = f"/f/{guest.codes['tides']}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(app.extensions["guest_pages"]._pages) == 0
