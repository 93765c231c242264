"""The film page a QR code opens: content, codes in any case, withdrawn and unknown codes, now playing."""

from __future__ import annotations

import html
import re

import pytest

EN = {"Accept-Language": "en"}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_film_page_shows_the_film_in_english(client, guest):
    response = client.get(f"/f/{guest.codes['fireworks']}", headers=EN)
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="en">' in page
    assert "<h1>Under the Fireworks Lies My Home</h1>" in page
    assert "烟花之下是我家" in page  # the original title too
    assert "7 min" in page  # 412 s
    assert "Director" in page and "Chen Youxue" in page
    assert "On New Year's Eve" in page
    assert "Awards Ceremony" in page and "Showcase Screening of the Winning Films" in page
    assert "14:00–15:30" in page  # on the festival's wall clock (Asia/Shanghai)
    assert "Hall 1 · Pujiang Film Centre" in page
    assert f'href="/festivals/{"ai-shorts-2026"}/schedule?lang=en"' in page
    assert "<script>" not in page and "style=" not in page  # CSP: no inline script or style


def test_film_page_carries_opengraph_tags(client, guest):
    page = text_of(client.get(f"/f/{guest.codes['alaya']}", headers=EN))
    assert '<meta property="og:title" content="ALAYA">' in page
    assert '<meta property="og:type" content="video.movie">' in page
    # From the festival's public base URL, not from the Host the request named.
    assert f'<meta property="og:url" content="http://127.0.0.1:5000/f/{guest.codes["alaya"]}?lang=en">' in page
    assert 'property="og:description" content="In a future where memories' in page


def test_codes_are_case_insensitive_and_rendered_directly(client, guest):
    code = guest.codes["tree"]
    response = client.get(f"/f/{code.upper()}", headers=EN)
    assert response.status_code == 200  # no redirect chain
    assert "The Fantasy of a ‘Tree’" in text_of(response)


def test_unknown_and_malformed_codes_get_a_friendly_404(client, guest):
    for code in ("zzzzzzzz", "abc-def", "x" * 40, "%E4%B8%AD"):
        response = client.get(f"/f/{code}", headers=EN)
        assert response.status_code == 404, code
        page = text_of(response)
        assert "We could not find that page" in page
        assert "Check the code printed under the QR code" in page
        assert response.headers.get("Set-Cookie") is None


def test_withdrawn_film_shows_a_friendly_page_that_names_nothing(client, guest):
    guest.withdraw("alaya")
    response = client.get(f"/f/{guest.codes['alaya']}", headers=EN)
    assert response.status_code == 410
    page = text_of(response)
    assert "This film is no longer in the programme" in page
    assert "ALAYA" not in page and "阿赖耶" not in page and "og:" not in page
    assert "/festivals/ai-shorts-2026/schedule" in page


def test_no_now_playing_badge_until_a_kiosk_reports_it(client, guest):
    guest.reveal_awards()  # while results are embargoed no badge shows at all (test_embargo_noninterference)
    code = guest.codes["fireworks"]
    assert "Now playing" not in text_of(client.get(f"/f/{code}", headers=EN))
    guest.kiosk(state={"state": "playing", "film_code": code}, screen=0)
    page = text_of(client.get(f"/f/{code}", headers=EN))
    assert "Now playing on Hall 1 · Pujiang Film Centre" in page
    assert "Now playing" not in text_of(client.get(f"/f/{guest.codes['tree']}", headers=EN))


def test_now_playing_needs_a_fresh_heartbeat_and_the_playing_state(client, guest):
    guest.reveal_awards()
    code = guest.codes["fireworks"]
    guest.kiosk(state={"state": "playing", "film_code": code}, age_seconds=91)
    assert "Now playing" not in text_of(client.get(f"/f/{code}", headers=EN))
    guest.kiosk(state={"state": "paused", "film_code": code}, age_seconds=1)
    assert "Now playing" not in text_of(client.get(f"/f/{code}", headers=EN))
    guest.kiosk(state={"state": "playing", "film_code": code.upper()}, age_seconds=1)
    assert "Now playing" in text_of(client.get(f"/f/{code}", headers=EN))


def test_the_etag_changes_when_the_now_playing_state_does(client, guest):
    guest.reveal_awards()
    url = f"/f/{guest.codes['fireworks']}"
    before = client.get(url).headers["ETag"]
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["fireworks"]})
    playing = client.get(url, headers={"If-None-Match": before})
    assert playing.status_code == 200 and playing.headers["ETag"] != before
    guest.kiosk(state={"state": "idle"})
    assert client.get(url).headers["ETag"] == before


def test_revealed_awards_show_with_placement_and_citation(client, guest):
    guest.reveal_awards()
    page = text_of(client.get(f"/f/{guest.codes['tree']}", headers=EN))
    assert "Main Competition · Second prize" in page
    assert "For the most wondrous journey from the humblest hero." in page


# One connection in the pool, and a short wait for it: a page that takes a second connection while it holds
# one fails here (under load every thread of a worker can hold one and wait for another, until the timeout).
ONE_CONNECTION = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 1}}


@pytest.mark.parametrize("app", [ONE_CONNECTION], indirect=True)
def test_every_guest_page_needs_one_connection_at_a_time(client, guest):
    guest.reveal_awards()
    guest.kiosk(state={"state": "playing", "film_code": guest.codes["tree"]})
    pages = [f"/f/{guest.codes[name]}" for name in ("tree", "fireworks", "alaya")]
    pages += ["/", "/festivals/ai-shorts-2026", "/festivals/ai-shorts-2026/schedule", "/f/zzzzzzzz"]
    for url in pages:
        assert client.get(url, headers=EN).status_code in (200, 404), url
    assert "Main Competition · Second prize" in text_of(client.get(pages[0], headers=EN))


def test_page_is_mobile_first_and_semantic(client, guest):
    page = client.get(f"/f/{guest.codes['fireworks']}").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="zh-Hans">' in page
    assert re.search(r"<main id=\"main\">.*<article class=\"film\">.*<h1>", page, re.S)
    assert "/static/css/guest.css" in page and "/static/css/staff.css" not in page
    # The star button needs JavaScript, so it is hidden until the script shows it.
    assert re.search(r'<button type="button" class="star" hidden', page)
