"""iCalendar feeds parsed back: wall-clock times with VTIMEZONE, stable UIDs, picks validated."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from sqlalchemy import select

from showcase.extensions import db
from showcase.guests.picks import MAX_PICKS
from showcase.schedule.models import ScheduleSession

SLUG = "ai-shorts-2026"


def calendar(client, url: str, **headers) -> Calendar:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def events(cal: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def test_festival_feed_has_every_public_session_in_the_festival_zone(app, client, guest):
    cal = calendar(client, f"/festivals/{SLUG}/calendar.ics")
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == ["Asia/Shanghai"]
    found = events(cal)
    public = {kind: sid for kind, sid in guest.sessions.items() if kind != "other"}
    assert set(found) == {f"session-{sid}@{SLUG}.showcase" for sid in public.values()}
    ceremony = found[f"session-{guest.sessions['ceremony']}@{SLUG}.showcase"]
    start, end = ceremony.decoded("DTSTART"), ceremony.decoded("DTEND")
    assert ceremony["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert (start.hour, start.minute, end.hour, end.minute) == (14, 0, 15, 30)
    assert start.utcoffset().total_seconds() == 8 * 3600
    with app.app_context():
        stored = db.session.get(ScheduleSession, guest.sessions["ceremony"])
        assert start == stored.starts_at and end == stored.ends_at  # the same instant
        assert ceremony.decoded("DTSTAMP") == stored.updated_at.replace(microsecond=0)
    assert str(ceremony["SUMMARY"]) == "颁奖典礼"  # Chinese by default
    assert "一号厅 · 浦江影视中心" in str(ceremony["LOCATION"])


def test_feed_language_follows_the_request(client, guest):
    cal = calendar(client, f"/festivals/{SLUG}/calendar.ics?lang=en")
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Awards Ceremony" in summaries and "Gala Dinner" in summaries


def test_uids_are_stable_and_an_edit_updates_instead_of_duplicating(app, client, guest):
    url = f"/festivals/{SLUG}/calendar.ics"
    first = client.get(url).get_data()
    assert client.get(url).get_data() == first  # same bytes while nothing changes (and so the same ETag)
    before = events(Calendar.from_ical(first))
    with app.app_context():
        session = db.session.get(ScheduleSession, guest.sessions["panel"])
        session.title_en = "Tool, partner, or the new director?"
        session.title = "工具、伙伴，还是新的导演？"
        db.session.commit()
    after = events(calendar(client, url))
    assert set(after) == set(before)
    uid = f"session-{guest.sessions['panel']}@{SLUG}.showcase"
    assert str(after[uid]["SUMMARY"]) == "工具、伙伴，还是新的导演？"
    assert after[uid].decoded("SEQUENCE") > before[uid].decoded("SEQUENCE")
    assert after[uid].decoded("DTSTAMP") >= before[uid].decoded("DTSTAMP")


def test_screen_and_session_feeds_hold_only_their_sessions(app, client, guest):
    banquet = events(calendar(client, f"/festivals/{SLUG}/screens/{guest.screens[1]}/calendar.ics"))
    assert set(banquet) == {f"session-{guest.sessions['gala']}@{SLUG}.showcase"}
    single = calendar(client, f"/festivals/{SLUG}/sessions/{guest.sessions['panel']}/calendar.ics")
    assert list(events(single)) == [f"session-{guest.sessions['panel']}@{SLUG}.showcase"]
    assert [str(tz["TZID"]) for tz in single.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert client.get(f"/festivals/{SLUG}/screens/999999/calendar.ics").status_code == 404
    assert client.get(f"/festivals/{SLUG}/sessions/999999/calendar.ics").status_code == 404


def test_favourites_feed_has_picked_sessions_and_the_sessions_of_picked_films(client, guest):
    films = guest.codes["fireworks"]  # in the ceremony and the showcase screening
    url = f"/festivals/{SLUG}/calendar.ics?sessions={guest.sessions['gala']}&films={films.upper()}"
    found = events(calendar(client, url))
    expected = {guest.sessions[k] for k in ("gala", "ceremony", "screening")}
    assert set(found) == {f"session-{sid}@{SLUG}.showcase" for sid in expected}


def test_favourites_ignore_unknown_and_private_picks(client, guest):
    url = f"/festivals/{SLUG}/calendar.ics?sessions={guest.sessions['other']},999999&films=zzzzzzzz"
    assert events(calendar(client, url)) == {}


def test_bad_picks_get_a_clear_400_and_nothing_else(client, guest):
    cases = {
        "sessions=1,two": "Session numbers must be whole numbers",
        "sessions=1;DROP TABLE film": "Session numbers must be whole numbers",
        "films=abc,<script>": "Film codes are letters and digits",
        "sessions=" + ",".join(str(n) for n in range(1, MAX_PICKS + 2)): f"At most {MAX_PICKS} favourites",
    }
    for query, message in cases.items():
        for path in ("calendar.ics", "favourites"):
            response = client.get(f"/festivals/{SLUG}/{path}?{query}", headers={"Accept-Language": "en"})
            assert response.status_code == 400, (path, query)
            body = response.get_data(as_text=True)
            assert message in body, (path, query)
            assert "<script>" not in body


def test_a_feed_served_again_to_a_calendar_app_gets_304(client, guest):
    url = f"/festivals/{SLUG}/calendar.ics"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_times_are_right_across_a_daylight_saving_change(app, client, guest):
    """A zone with DST: the VTIMEZONE must carry the rules, and each event its own offset."""
    from showcase.festivals.models import Festival

    with app.app_context():
        festival = db.session.scalar(select(Festival).where(Festival.slug == SLUG))
        festival.timezone = "Europe/Berlin"
        summer = db.session.get(ScheduleSession, guest.sessions["panel"])
        winter = db.session.get(ScheduleSession, guest.sessions["gala"])
        summer.starts_at, summer.ends_at = datetime(2027, 3, 27, 17, tzinfo=UTC), datetime(2027, 3, 27, 18, tzinfo=UTC)
        winter.starts_at, winter.ends_at = datetime(2027, 3, 28, 17, tzinfo=UTC), datetime(2027, 3, 28, 18, tzinfo=UTC)
        db.session.commit()
    found = events(calendar(client, f"/festivals/{SLUG}/calendar.ics"))
    before = found[f"session-{guest.sessions['panel']}@{SLUG}.showcase"].decoded("DTSTART")
    after = found[f"session-{guest.sessions['gala']}@{SLUG}.showcase"].decoded("DTSTART")
    assert (before.hour, after.hour) == (18, 19)  # CET, then CEST: the same 17:00 UTC
    assert before == datetime(2027, 3, 27, 17, tzinfo=UTC) and after == datetime(2027, 3, 28, 17, tzinfo=UTC)


def test_a_reveal_changes_the_events_it_touches_and_says_what_won(app, client, guest):
    """Calendar apps take a reveal as news: SEQUENCE and LAST-MODIFIED move, the description names the prize."""
    from sqlalchemy import update

    from showcase.awards.models import Award

    guest._change(update(Award).values(revealed_at=None))
    url = f"/festivals/{SLUG}/calendar.ics?lang=en"
    uid = f"session-{guest.sessions['screening']}@{SLUG}.showcase"
    gala = f"session-{guest.sessions['gala']}@{SLUG}.showcase"
    before = events(calendar(client, url))
    assert " — " not in str(before[uid]["DESCRIPTION"])  # nothing of an embargoed award
    revealed_at = datetime.now(UTC)  # after the session's last edit
    guest.reveal_awards(at=revealed_at)
    after = events(calendar(client, url))
    assert after[uid].decoded("SEQUENCE") == before[uid].decoded("SEQUENCE") + 7  # seven films, seven awards
    assert after[uid].decoded("LAST-MODIFIED") == revealed_at.replace(microsecond=0)
    assert "· Under the Fireworks Lies My Home — Main Competition · First prize" in str(after[uid]["DESCRIPTION"])
    # a session without a winning film is untouched
    assert after[gala].decoded("SEQUENCE") == before[gala].decoded("SEQUENCE")
    assert after[gala].decoded("LAST-MODIFIED") == before[gala].decoded("LAST-MODIFIED")


def test_the_refresh_interval_is_written_as_rfc_7986_writes_it(client, guest):
    body = client.get(f"/festivals/{SLUG}/calendar.ics").get_data(as_text=True)
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
