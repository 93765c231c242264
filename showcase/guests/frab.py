"""The public schedule for guests' schedule apps: frab/c3voc schedule.xml and its JSON twin.

Giggity, EventFahrplan and ConfClerk read the format c3voc's XSD and JSON schema describe. The
document is built once, as the plain dict of the schedule.json layout, from the rows the guest schedule
page and the calendar feeds load (the same public queries, so the same embargo: films in neutral order
while any result is secret, revealed awards only); the XML is written from that dict, so both carry the
same events and the same version.

- Each public session is an event; its screen is the room (rooms in the festival's screen order, the
  sessions without a screen in one room after them). Its films are the abstract (one line each, with any
  revealed prize), the description (title, running time, credits, synopsis) and the links (their guest
  pages); the people credited on them are its persons.
- Ids and guids never change: the event id is the session's id, guids are UUID 5 names under showcase's
  own namespace, made from the festival's identity (its id and creation time) and the row's id.
- A festival day runs from 04:00 to 03:59 the next morning on the festival's wall clock (frab's day
  change): a session starting after midnight belongs to the night before.
- `version` is a hash of everything else in the schedule: it changes with every public change (an edit,
  a reveal, a session made private) and with nothing else, so apps reload exactly when they should.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from showcase.awards.models import Award
from showcase.db import chunked
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen
from showcase.films.models import Credit, Film, Person
from showcase.guests.present import Words
from showcase.schedule.models import SESSION_KINDS, ScheduleSession

# showcase's own UUID namespace: every guid of every schedule is named under it, so it never changes.
NAMESPACE = uuid.UUID("c677670c-756a-48b4-b66c-33e7c4c0f5d4")
DAY_CHANGE = time(4, 0)
MAX_LISTED_DAYS = 31
TIMESLOT = "00:05"
JSON_SCHEMA = "https://c3voc.de/schedule/schema.json"
GENERATOR = "showcase"
# Characters XML 1.0 cannot hold at all, not even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Published:
    """What the schedule shows, already filtered by every public rule."""

    festival: Festival
    sessions: list[ScheduleSession]
    films: dict[int, list[Film]]  # by session id, in the order guests may see
    awards: dict[int, list[Award]]  # revealed awards by film id
    credits: dict[int, list[Credit]]  # by film id, person loaded
    people: dict[int, list[tuple[str, Person]]] = field(default_factory=dict)  # on stage, by session id


@dataclass(frozen=True)
class Links:
    """Absolute guest URLs when a public base URL is configured (else paths)."""

    base: str  # '' when nothing is configured
    festival: str
    schedule: str  # the guest schedule page
    film: Callable[[Film], str]


@dataclass(frozen=True)
class Room:
    name: str
    guid: str


def credits_by_film(films: list[Film]) -> dict[int, list[Credit]]:
    """The credits of these films (person loaded), in credit order, by film id."""
    found: dict[int, list[Credit]] = {}
    for chunk in chunked(sorted({film.id for film in films})):
        rows = db.session.scalars(
            select(Credit)
            .where(Credit.film_id.in_(chunk))
            .options(joinedload(Credit.person))
            .order_by(Credit.film_id, Credit.display_order, Credit.id)
        )
        for credit in rows:
            found.setdefault(credit.film_id, []).append(credit)
    return found


def guid(festival: Festival, *parts: object) -> str:
    """A UUID that names this row of this festival forever (and of no other installation's festival)."""
    identity = f"{festival.id}@{festival.created_at.isoformat()}"
    return str(uuid.uuid5(NAMESPACE, "/".join([identity, *map(str, parts)])))


def acronym(festival: Festival) -> str:
    """The festival's slug as both schemas' acronym: no hyphen, at least four characters."""
    return festival.slug.replace("-", "_").ljust(4, "_")


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")


def event_slug(festival: Festival, session: ScheduleSession) -> str:
    """acronym-id-title: unique by the id, readable by the (English) title."""
    title = _ascii_slug(session.title_en or session.title)
    return f"{acronym(festival)}-{session.id}-{title if len(title) >= 2 else 'session'}"


def festival_day(moment: datetime, festival: Festival) -> date:
    """The festival day of a moment: days change at DAY_CHANGE, not at midnight."""
    local = moment.astimezone(festival.zone)
    return local.date() - timedelta(days=1) if local.time() < DAY_CHANGE else local.date()


def _hours_minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _rooms(published: Published, words: Words) -> dict[int | None, Room]:
    """Screen id (None: no screen) → room, for the screens public sessions use, in the festival's order."""
    screens = {s.screen.id: s.screen for s in published.sessions if s.screen is not None}
    # The festival's order of screens (Festival.screens): by venue, then screen, as created.
    order: list[Screen | None] = sorted(screens.values(), key=lambda screen: (screen.venue_id, screen.id))
    if any(session.screen is None for session in published.sessions):
        order.append(None)
    rooms: dict[int | None, Room] = {}
    names: set[str] = set()
    for screen in order:
        name = words.place(screen) if screen is not None else _("Other places")
        base, count = name, 1
        while name in names:  # the day's rooms are keyed by name: two alike get a number
            count += 1
            name = f"{base} ({count})"
        names.add(name)
        key = screen.id if screen is not None else None
        rooms[key] = Room(name, guid(published.festival, "screen", key if key is not None else "none"))
    return rooms


def _days(published: Published) -> list[date]:
    """Every day of the festival and any day a public session falls on outside it.

    A festival longer than MAX_LISTED_DAYS (dates typed wrong, or a season) lists its first and last
    day and its days with sessions only: the document stays the size of its programme.
    """
    festival = published.festival
    span = (festival.end_date - festival.start_date).days + 1
    offsets = range(span) if span <= MAX_LISTED_DAYS else (0, span - 1)
    days = {festival.start_date + timedelta(days=n) for n in offsets}
    days |= {festival_day(session.starts_at, festival) for session in published.sessions}
    return sorted(days)


def _prizes(film: Film, awards: dict[int, list[Award]], words: Words) -> list[str]:
    return [f"{words.text(a.category, 'name')} · {words.prize(a)}" for a in awards.get(film.id, [])]


def _abstract(session: ScheduleSession, published: Published, words: Words) -> str:
    """Who is on stage, the session's description, then one line per film with its revealed prizes."""
    lines = words.stage(published.people.get(session.id, []))
    lines += [words.text(session, "description")] if words.text(session, "description") else []
    for film in published.films.get(session.id, []):
        prizes = _prizes(film, published.awards, words)
        lines.append(f"· {words.text(film, 'title')}" + (f" ({'; '.join(prizes)})" if prizes else ""))
    return "\n".join(lines)


def _film_block(film: Film, published: Published, words: Words) -> str:
    title = words.text(film, "title")
    other = words.other_text(film, "title")
    facts = [words.minutes(film.runtime_seconds), film.country, film.language]
    lines = [f"{title} / {other}" if other else title, " · ".join(fact for fact in facts if fact)]
    roles: dict[str, list[str]] = {}
    for credit in published.credits.get(film.id, []):
        roles.setdefault(words.role(credit.role), []).append(words.text(credit.person, "name"))
    lines += [f"{role}: {', '.join(names)}" for role, names in roles.items()]
    lines += [words.text(film, "synopsis"), *_prizes(film, published.awards, words)]
    return "\n".join(line for line in lines if line)


def _persons(session: ScheduleSession, published: Published, words: Words) -> list[dict]:
    """Everyone on stage in the session, then everyone credited on its films: once each, in that order."""
    seen: dict[int, dict] = {}
    on_stage = [person for _role, person in published.people.get(session.id, [])]
    credited = [c.person for film in published.films.get(session.id, []) for c in published.credits.get(film.id, [])]
    for person in [*on_stage, *credited]:
        if person.id not in seen:
            seen[person.id] = {
                "id": person.id,
                "guid": guid(published.festival, "person", person.id),
                "public_name": words.text(person, "name"),
            }
    return list(seen.values())


def _event(session: ScheduleSession, room: Room, published: Published, words: Words, links: Links) -> dict:
    zone = published.festival.zone
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    films = published.films.get(session.id, [])
    return {
        "id": session.id,
        "guid": guid(published.festival, "session", session.id),
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.isoformat(),
        "duration": _hours_minutes(session.ends_at - session.starts_at),
        "room": room.name,
        "slug": event_slug(published.festival, session),
        "url": f"{links.schedule}#session-{session.id}",
        "title": words.text(session, "title"),
        "subtitle": words.other_text(session, "title"),
        "track": words.kind(session.kind),
        "type": session.kind,
        "language": None,  # what is spoken is not recorded for a session
        "abstract": _abstract(session, published, words),
        "description": "\n\n".join(_film_block(film, published, words) for film in films),
        "persons": _persons(session, published, words),
        "links": [{"url": links.film(film), "title": words.text(film, "title"), "type": "web"} for film in films],
    }


def _day_entries(published: Published, words: Words, links: Links, rooms: dict[int | None, Room]) -> list[dict]:
    zone = published.festival.zone
    # Every room on every day, in the same order: apps draw a day's rooms as its columns.
    by_day: dict[date, dict[str, list[dict]]] = {day: {r.name: [] for r in rooms.values()} for day in _days(published)}
    for session in published.sessions:
        room = rooms[session.screen_id]
        day = festival_day(session.starts_at, published.festival)
        by_day[day][room.name].append(_event(session, room, published, words, links))
    return [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": datetime.combine(day, DAY_CHANGE, zone).isoformat(),
            "day_end": (datetime.combine(day + timedelta(days=1), DAY_CHANGE, zone) - timedelta(minutes=1)).isoformat(),
            "rooms": by_day[day],
        }
        for index, day in enumerate(sorted(by_day), start=1)
    ]


def _tracks(published: Published, words: Words) -> list[dict]:
    kinds = {session.kind for session in published.sessions}
    return [{"name": words.kind(kind), "slug": kind} for kind in SESSION_KINDS if kind in kinds]


def build_schedule(published: Published, *, words: Words, links: Links) -> dict:
    """The schedule.json document (c3voc layout) of the published sessions, its version included."""
    festival = published.festival
    rooms = _rooms(published, words)
    days = _day_entries(published, words, links, rooms)
    conference = {
        "acronym": acronym(festival),
        "title": words.text(festival, "name"),
        "start": days[0]["date"],
        "end": days[-1]["date"],
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": festival.timezone,
        "url": links.festival,
        "tracks": _tracks(published, words),
        "rooms": [{"name": room.name, "guid": room.guid} for room in rooms.values()],
        "days": days,
    }
    schedule: dict = {"base_url": f"{links.base}/"} if links.base else {}
    schedule["conference"] = conference
    schedule = {"version": version_of(schedule), **schedule}
    return {"$schema": JSON_SCHEMA, "generator": {"name": GENERATOR}, "schedule": schedule}


def version_of(schedule: dict) -> str:
    """A hash of the schedule's content: the same content gives the same version, any change a new one."""
    canonical = json.dumps(schedule, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def to_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


# What an XML event holds besides its persons and links, in the order frab writes it (the XSD takes any).
XML_EVENT_TEXT = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
)


def _is_http(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _add(parent: ET.Element, tag: str, text: object, **attributes: object) -> ET.Element:
    """A child element; text and attributes lose the control characters XML cannot hold."""
    element = ET.SubElement(parent, tag, {key: NOT_XML.sub("", str(value)) for key, value in attributes.items()})
    element.text = NOT_XML.sub("", str(text))
    return element


def _xml_conference(root: ET.Element, schedule: dict) -> None:
    conference = schedule["conference"]
    element = ET.SubElement(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _add(element, tag, conference[tag])
    _add(element, "days", conference["daysCount"])
    _add(element, "timeslot_duration", conference["timeslot_duration"])
    for tag, value in (("base_url", schedule.get("base_url", "")), ("url", conference["url"])):
        if _is_http(value):  # the XSD takes absolute http(s) URLs only
            _add(element, tag, value)
    _add(element, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        _add(element, "track", track["name"], name=track["name"], slug=track["slug"])


def _xml_event(parent: ET.Element, event: dict) -> None:
    element = ET.SubElement(parent, "event", id=str(event["id"]), guid=event["guid"])
    for tag in XML_EVENT_TEXT:
        value = event[tag]
        if value is not None and (tag != "url" or _is_http(value)):
            _add(element, tag, value)
    persons = ET.SubElement(element, "persons")
    for person in event["persons"]:
        _add(persons, "person", person["public_name"], id=person["id"], guid=person["guid"])
    links = ET.SubElement(element, "links")
    for link in event["links"]:
        _add(links, "link", link["title"], href=link["url"], type=link["type"])


def to_xml(document: dict, *, url: str) -> bytes:
    """The schedule.xml of a schedule.json document; `url` is where the XML itself is served."""
    schedule = document["schedule"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=document["generator"]["name"])
    if _is_http(url):
        _add(root, "url", url)
    _add(root, "version", schedule["version"])
    _xml_conference(root, schedule)
    rooms = {room["name"]: room["guid"] for room in schedule["conference"]["rooms"]}
    for day in schedule["conference"]["days"]:
        element = ET.SubElement(
            root, "day", index=str(day["index"]), date=day["date"], start=day["day_start"], end=day["day_end"]
        )
        for name, events in day["rooms"].items():
            room = ET.SubElement(element, "room", name=NOT_XML.sub("", name), guid=rooms[name])
            for event in events:
                _xml_event(room, event)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
