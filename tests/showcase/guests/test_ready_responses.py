"""ReadyResponses: a guest request Flask has answered from the ready pages is answered again without Flask.

A replay is the very answer Flask gave the same request (status, headers, bytes), given only while the
public content is as it was; any other request, any change, any staff page goes through Flask and its hooks.
"""

from __future__ import annotations

import pytest

from showcase.guests.render_cache import ReadyResponses

ENGLISH = {"Accept-Language": "en", "Accept-Encoding": "gzip"}


@pytest.fixture
def through_flask(app):
    """How many requests Flask itself handled (its before_request hooks ran) while the test looks."""
    seen: list[str] = []

    def count() -> None:
        from flask import request

        seen.append(request.full_path)

    app.before_request_funcs.setdefault(None, []).insert(0, count)
    yield seen
    app.before_request_funcs[None].remove(count)


def _same(first, again) -> None:
    assert again.status_code == first.status_code
    assert again.get_data() == first.get_data()
    assert sorted(again.headers.items()) == sorted(first.headers.items())


def test_it_sits_inside_the_app_next_to_flask(app):
    layers, wsgi = [], app.wsgi_app
    while wsgi is not None:
        layers.append(type(wsgi).__name__)
        wsgi = getattr(wsgi, "wsgi_app", None) if not isinstance(wsgi, ReadyResponses) else None
    assert layers[-1] == "ReadyResponses"  # innermost: HTTPS and proxy handling still wrap every replay


def test_a_repeated_guest_request_is_answered_as_flask_answered_it_without_flask(client, guest, through_flask):
    urls = [f"/f/{guest.codes['tides']}", "/festivals/ai-shorts-2026", "/festivals/ai-shorts-2026/schedule", "/"]
    urls.append("/f/zzzzzzzz")  # an unknown code's 404 is the same for everyone too
    first = {url: client.get(url, headers=ENGLISH) for url in urls}
    assert len(through_flask) == len(urls)
    for url in urls:
        _same(first[url], client.get(url, headers=ENGLISH))
        _same(first[url], client.get(url, headers=ENGLISH))
    assert len(through_flask) == len(urls)  # every repeat was a replay


def test_a_304_is_replayed_too_and_the_etag_held_is_part_of_the_request(client, guest, through_flask):
    url = f"/f/{guest.codes['tides']}"
    page = client.get(url, headers=ENGLISH)
    held = {**ENGLISH, "If-None-Match": page.headers["ETag"]}
    first = client.get(url, headers=held)
    assert first.status_code == 304 and len(through_flask) == 2
    _same(first, client.get(url, headers=held))
    assert len(through_flask) == 2
    stale = client.get(url, headers={**ENGLISH, "If-None-Match": '"an-old-etag"'})
    assert stale.status_code == 200 and len(through_flask) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"headers": {"Accept-Language": "zh-CN", "Accept-Encoding": "gzip"}},
        {"headers": {"Accept-Language": "en"}},  # no gzip asked for
        {"headers": ENGLISH, "query_string": "lang=zh"},
        {"headers": ENGLISH, "base_url": "https://guests.example.org"},
    ],
    ids=["language", "encoding", "query", "host-and-scheme"],
)
def test_anything_else_in_the_request_goes_to_flask(client, guest, through_flask, change):
    url = f"/f/{guest.codes['tides']}"
    client.get(url, headers=ENGLISH)
    client.get(url, **change)
    assert len(through_flask) == 2
    client.get(url, **change)  # then it is replayed in its turn
    assert len(through_flask) == 2


def test_a_public_change_is_seen_by_the_next_request(client, guest, through_flask):
    url = f"/f/{guest.codes['tides']}"
    before = client.get(url, headers={"Accept-Language": "en"})
    assert "Third prize" not in before.get_data(as_text=True)
    guest.reveal_awards()
    after = client.get(url, headers={"Accept-Language": "en"})
    assert "Third prize" in after.get_data(as_text=True) and len(through_flask) == 2
    guest.withdraw("tides")
    assert client.get(url, headers={"Accept-Language": "en"}).status_code == 410


def test_staff_pages_heads_and_posts_always_go_to_flask(client, guest, through_flask):
    url = f"/f/{guest.codes['tides']}"
    client.get(url, headers=ENGLISH)
    client.head(url, headers=ENGLISH)
    client.get("/login")
    client.get("/login")
    assert len(through_flask) == 4


def test_nothing_is_replayed_while_guest_pages_are_not_kept(app, client, guest, through_flask):
    app.config["GUEST_PAGE_CACHE_SIZE"] = 0
    url = f"/f/{guest.codes['tides']}"
    client.get(url, headers=ENGLISH)
    client.get(url, headers=ENGLISH)
    assert len(through_flask) == 2


def test_the_replays_are_bounded(app, client, guest, through_flask):
    app.config["GUEST_PAGE_CACHE_SIZE"] = 1  # two answers: a page with and without its ETag
    urls = [f"/f/{guest.codes['tides']}", "/", "/festivals/ai-shorts-2026"]
    for url in urls:
        client.get(url, headers=ENGLISH)
    client.get(urls[0], headers=ENGLISH)  # pushed out by the two after it
    assert len(through_flask) == 4
    client.get(urls[2], headers=ENGLISH)
    assert len(through_flask) == 4
