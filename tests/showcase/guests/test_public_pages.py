"""The festival's public page, its schedule by day and screen, the festival list and the sitemap."""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

SLUG = "ai-shorts-2026"
EN = {"Accept-Language": "en"}


def text(client, url: str, headers=EN) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_festival_page_welcomes_and_links_schedule_and_feeds(client, guest):
    page = text(client, f"/festivals/{SLUG}")
    assert "<h1>AI Short Film Competition 2026 · Awards Ceremony & Showcase</h1>" in page
    assert "From 2,300 submissions, seven winning films." in page
    assert f'href="/festivals/{SLUG}/schedule?lang=en"' in page
    assert f'href="/festivals/{SLUG}/calendar.ics?lang=en"' in page
    for screen in guest.screens:
        assert f"/festivals/{SLUG}/screens/{screen}/calendar.ics" in page
    assert page.count('href="/f/') == 7  # the films of the public sessions
    assert '<meta property="og:title" content="AI Short Film Competition 2026' in page


def test_schedule_groups_sessions_by_day_then_screen_in_time_order(client, guest):
    page = text(client, f"/festivals/{SLUG}/schedule")
    days = re.findall(r"<h2>([^<]+)</h2>", page)
    assert len(days) == 1 and re.fullmatch(r"\w+day \d{1,2} \w+", days[0]), days
    screens = re.findall(r'<h3 class="screen">([^<]+)</h3>', page)
    assert screens == ["Hall 1 · Pujiang Film Centre", "Banquet Hall · Pujiang Film Centre"]
    titles = re.findall(r'<li class="session" id="session-(\d+)">', page)
    expected = [guest.sessions[k] for k in ("ceremony", "screening", "panel", "gala")]
    assert [int(t) for t in titles] == expected
    assert "14:00" in page and "15:30" in page and "19:00" in page
    assert "Showcase Screening of the Winning Films" in page and "ALAYA" in page


def test_schedule_splits_days_in_the_festival_time_zone(app, client, guest):
    """A session at 23:30 local is on the first day, one at 00:30 local on the next."""
    from datetime import timedelta

    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        panel = db.session.get(ScheduleSession, guest.sessions["panel"])
        gala = db.session.get(ScheduleSession, guest.sessions["gala"])
        ceremony = db.session.get(ScheduleSession, guest.sessions["ceremony"])
        day_start = ceremony.starts_at - timedelta(hours=14)  # local midnight (UTC+8) of the first day
        panel.starts_at, panel.ends_at = day_start + timedelta(hours=23, minutes=30), day_start + timedelta(hours=24)
        gala.starts_at, gala.ends_at = day_start + timedelta(hours=24, minutes=30), day_start + timedelta(hours=26)
        db.session.commit()
    page = text(client, f"/festivals/{SLUG}/schedule")
    sections = page.split('<section class="day">')[1:]
    assert len(sections) == 2
    assert f'id="session-{guest.sessions["panel"]}"' in sections[0]
    assert f'id="session-{guest.sessions["gala"]}"' in sections[1]


def test_festival_list_shows_published_festivals(client, guest):
    page = text(client, "/")
    assert f'href="/festivals/{SLUG}?lang=en"' in page


def test_sitemap_lists_public_pages_with_absolute_urls(client, guest):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())  # noqa: S314 - our own output
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in root.findall("s:url/s:loc", ns)}
    base = "http://127.0.0.1:5000"  # the demo festival's public base URL, whatever the request's Host
    assert f"{base}/festivals/{SLUG}" in locations
    assert f"{base}/festivals/{SLUG}/schedule" in locations
    assert {f"{base}/f/{code}" for code in guest.codes.values()} <= locations
    assert all(loc.startswith(f"{base}/") for loc in locations)  # no site base configured: no "/" entry


def test_unknown_festival_gets_the_friendly_404(client, guest):
    response = client.get("/festivals/no-such-festival/schedule", headers=EN)
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)
