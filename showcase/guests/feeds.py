"""iCalendar feeds of public sessions: wall-clock times with VTIMEZONE, UIDs that never change.

An event changes when its story does: each revealed award of a film in the session adds a line to its
description and counts in its SEQUENCE (the session's own version plus its revealed awards), and
LAST-MODIFIED is the later of the session's last edit and its latest reveal, so calendar apps take the
news instead of keeping the copy they have. Embargoed awards count for nothing: nothing of them shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from icalendar import Calendar, Event

from showcase.awards.models import Award
from showcase.festivals.models import Festival
from showcase.films.models import Film
from showcase.guests.present import Words
from showcase.schedule.models import ScheduleSession

PRODID = "-//showcase//guest calendar//EN"
REFRESH = timedelta(hours=1)


def session_uid(session: ScheduleSession, festival: Festival) -> str:
    """The event's UID: the same in every feed and every download, so calendar apps update, not duplicate."""
    return f"session-{session.id}@{festival.slug}.showcase"


def _description(
    session: ScheduleSession, films: list[Film], awards: dict[int, list[Award]], words: Words, url: str
) -> str:
    lines = [words.text(session, "description")] if words.text(session, "description") else []
    for film in films:
        won = [f"{words.text(a.category, 'name')} · {words.prize(a)}" for a in awards.get(film.id, [])]
        lines.append(f"· {words.text(film, 'title')}" + (f" — {'; '.join(won)}" if won else ""))
    lines.append(url)
    return "\n".join(lines)


def _event(
    session: ScheduleSession,
    *,
    festival: Festival,
    films: list[Film],
    awards: dict[int, list[Award]],
    words: Words,
    url: str,
) -> Event:
    zone = festival.zone
    revealed = [a.revealed_at for film in films for a in awards.get(film.id, []) if a.revealed_at is not None]
    changed = max([session.updated_at, *revealed])
    return Event.new(
        uid=session_uid(session, festival),
        summary=words.text(session, "title"),
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        stamp=changed,  # from the rows, not the clock: unchanged sessions give identical bytes
        last_modified=changed,
        sequence=session.version + len(revealed),
        location=words.place(session.screen) or None,
        description=_description(session, films, awards, words, url),
        url=url,
    )


def build_calendar(
    festival: Festival,
    sessions: list[ScheduleSession],
    *,
    films: dict[int, list[Film]],
    awards: dict[int, list[Award]],
    words: Words,
    name: str,
    uid: str,
    session_url: Callable[[ScheduleSession], str],
) -> bytes:
    """An .ics of these sessions, times in the festival's zone with its VTIMEZONE.

    `uid` names the feed; it and everything else come from the rows, so an unchanged programme
    gives the same bytes (and ETag) on every download. `awards`: the revealed awards by film id.
    """
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid, language=words.lang)
    # RFC 7986 writes the value type: REFRESH-INTERVAL;VALUE=DURATION:PT1H
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-WR-TIMEZONE", festival.timezone)
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    for session in sessions:
        calendar.add_component(
            _event(
                session,
                festival=festival,
                films=films.get(session.id, []),
                awards=awards,
                words=words,
                url=session_url(session),
            )
        )
    if sessions:
        calendar.add_missing_timezones()
    return calendar.to_ical()
