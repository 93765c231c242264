"""Nothing staff have not published appears in any page, feed, OpenGraph tag or sitemap."""

from __future__ import annotations

import html
from datetime import timedelta

from icalendar import Calendar

from showcase.db import utcnow

SLUG = "ai-shorts-2026"
EN = {"Accept-Language": "en"}


def everything(client, guest, *, picks: str = "", skip: tuple[str, ...] = ()) -> str:
    """Every guest page, feed and sitemap of the festival, in both languages, as one text."""
    urls = [
        "/",
        f"/festivals/{SLUG}",
        f"/festivals/{SLUG}/schedule",
        f"/festivals/{SLUG}/calendar.ics",
        f"/festivals/{SLUG}/schedule.xml",
        f"/festivals/{SLUG}/schedule.json",
        "/sitemap.xml",
        f"/festivals/{SLUG}/favourites?{picks}",
        f"/festivals/{SLUG}/calendar.ics?{picks}",
    ]
    urls += [f"/f/{code}" for code in guest.codes.values()]
    urls += [f"/festivals/{SLUG}/sessions/{sid}/calendar.ics" for sid in guest.sessions.values()]
    urls += [f"/festivals/{SLUG}/screens/{sid}/calendar.ics" for sid in guest.screens]
    texts = []
    for url in [u for u in urls if u not in skip]:
        for headers in ({}, EN):
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 404, 410), (url, response.status_code)
            body = response.get_data(as_text=True)
            texts.append(html.unescape(body.replace("\r\n ", "")))  # unfold iCalendar lines
    return "\n".join(texts)


def all_picks(guest) -> str:
    return f"sessions={','.join(map(str, guest.sessions.values()))}&films={','.join(guest.codes.values())}"


def test_unpublished_festival_is_404_everywhere_and_absent_from_the_sitemap(client, guest):
    guest.unpublish()
    for url in [
        f"/festivals/{SLUG}",
        f"/festivals/{SLUG}/schedule",
        f"/festivals/{SLUG}/calendar.ics",
        f"/festivals/{SLUG}/favourites",
        f"/f/{guest.codes['fireworks']}",
        f"/festivals/{SLUG}/sessions/{guest.sessions['ceremony']}/calendar.ics",
        f"/festivals/{SLUG}/screens/{guest.screens[0]}/calendar.ics",
    ]:
        assert client.get(url).status_code == 404, url
    text = everything(client, guest, picks=all_picks(guest))
    for word in ("烟花之下是我家", "Under the Fireworks", "AI Short Film Competition", "颁奖典礼", "Hall 1"):
        assert word not in text, word
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert SLUG not in sitemap and guest.codes["fireworks"] not in sitemap
    assert SLUG not in client.get("/").get_data(as_text=True)


def test_private_session_appears_nowhere_even_when_asked_for_by_number(client, guest):
    private = guest.sessions["other"]  # the demo's staff-only technical rehearsal
    text = everything(client, guest, picks=all_picks(guest))
    assert "Technical rehearsal" not in text and "技术彩排" not in text
    assert f"session-{private}" not in text
    assert client.get(f"/festivals/{SLUG}/sessions/{private}/calendar.ics").status_code == 404


def test_a_session_made_private_leaves_the_film_page_and_the_feeds(client, guest):
    assert "Gala Dinner" in everything(client, guest)
    guest.make_private("gala")
    guest.make_private("screening")
    text = everything(client, guest, picks=all_picks(guest))
    assert "Gala Dinner" not in text and "颁奖晚宴" not in text
    assert "Showcase Screening of the Winning Films" not in text and "获奖影片展映" not in text


def test_withdrawn_film_is_absent_everywhere_but_its_own_friendly_page(client, guest):
    guest.withdraw("alaya")
    guest.reveal_awards()  # even a revealed award of a withdrawn film stays hidden
    own_page = f"/f/{guest.codes['alaya']}"
    text = everything(client, guest, picks=all_picks(guest), skip=(own_page,))
    assert "ALAYA" not in text and "阿赖耶" not in text
    assert own_page not in text
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert guest.codes["alaya"] not in sitemap and guest.codes["tree"] in sitemap


def test_embargoed_awards_appear_nowhere(client, guest):
    text = everything(client, guest, picks=all_picks(guest))
    for word in (
        "Main Competition",
        "主竞赛单元",
        "Best Visual Design",
        "First prize",
        "一等奖",
        "Second prize",
        "For lighting a shared homesickness",
        "以私人记忆点亮集体乡愁",
    ):
        assert word not in text, word


def test_an_award_revealed_in_the_future_is_still_embargoed(client, guest):
    guest.reveal_awards(at=utcnow() + timedelta(minutes=5))
    text = everything(client, guest)
    assert "Main Competition" not in text and "主竞赛单元" not in text


def test_revealed_awards_show_on_film_and_festival_pages(client, guest):
    guest.reveal_awards()
    festival = html.unescape(client.get(f"/festivals/{SLUG}", headers=EN).get_data(as_text=True))
    assert "Main Competition" in festival and "First prize" in festival
    assert "Under the Fireworks Lies My Home" in festival


def test_ceremony_films_do_not_give_away_the_embargoed_order(client, guest):
    """The ceremony's running order puts each winner after its prize: while embargoed, list by title."""

    def ceremony_films(headers=EN) -> list[str]:
        ics = Calendar.from_ical(
            client.get(
                f"/festivals/{SLUG}/sessions/{guest.sessions['ceremony']}/calendar.ics", headers=headers
            ).get_data()
        )
        event = ics.walk("VEVENT")[0]
        # "· title", and " — prize" after it once the film's award is revealed
        return [line[2:].split(" — ")[0] for line in str(event["DESCRIPTION"]).splitlines() if line.startswith("· ")]

    embargoed = ceremony_films()
    assert embargoed == sorted(embargoed, key=str.casefold)
    guest.reveal_awards()
    revealed = ceremony_films()
    assert revealed[-1] == "Under the Fireworks Lies My Home"  # the first prize comes last
    assert revealed != embargoed
