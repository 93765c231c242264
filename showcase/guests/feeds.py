"""iCalendar feeds of public sessions: wall-clock times with VTIMEZONE, UIDs that never change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from icalendar import Calendar, Event

from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.guests.present import Words
from showcase.schedule.models import ScheduleSession

PRODID = "-//showcase//guest calendar//EN"
REFRESH = timedelta(hours=1)


def session_uid(session: ScheduleSession, festival: Festival) -> str:
    """The event's UID: the same in every feed and every download, so calendar apps update, not duplicate."""
    return f"session-{session.id}@{festival.slug}.showcase"


def _description(session: ScheduleSession, films: list[Film], words: Words, url: str) -> str:
    lines = [words.text(session, "description")] if words.text(session, "description") else []
    lines += [f"· {words.text(film, 'title')}" for film in films]
    lines.append(url)
    return "\n".join(lines)


def _event(session: ScheduleSession, *, festival: Festival, films: list[Film], words: Words, url: str) -> Event:
    zone = festival.zone
    return Event.new(
        uid=session_uid(session, festival),
        summary=words.text(session, "title"),
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        stamp=session.updated_at,  # from the row, not the clock: unchanged sessions give identical bytes
        last_modified=session.updated_at,
        sequence=session.version,
        location=words.place(session.screen) or None,
        description=_description(session, films, words, url),
        url=url,
    )


def build_calendar(
    festival: Festival,
    sessions: list[ScheduleSession],
    *,
    films: dict[int, list[Film]],
    words: Words,
    name: str,
    uid: str,
    session_url: Callable[[ScheduleSession], str],
) -> bytes:
    """An .ics of these sessions, times in the festival's zone with its VTIMEZONE.

    `uid` names the feed; it and everything else come from the rows, so an unchanged programme
    gives the same bytes (and ETag) on every download.
    """
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid, language=words.lang, refresh_interval=REFRESH)
    calendar.add("X-WR-TIMEZONE", festival.timezone)
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    for session in sessions:
        calendar.add_component(
            _event(session, festival=festival, films=films.get(session.id, []), words=words, url=session_url(session))
        )
    if sessions:
        calendar.add_missing_timezones()
    return calendar.to_ical()
