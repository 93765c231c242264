"""Adapters from the schedule's models to the pure conflict check, and clashes in words.

A session's films are the film items of its running order; its people are the SessionPerson rows, the
people of its running-order items (an award's presenter, an intro's host) and the directors of those
films (a director is due on stage after the screening).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import select

from showcase.audit.services import record
from showcase.errors import ShowcaseError
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen
from showcase.films.models import Credit, Film, Person
from showcase.messages import N_, Message
from showcase.schedule.conflicts import (
    Conflict,
    ScheduleConflict,
    SessionSlot,
    candidate_conflicts,
    find_conflicts,
)
from showcase.schedule.models import ItemPerson, RunningOrderItem, ScheduleSession, SessionPerson

if TYPE_CHECKING:
    from showcase.auth.models import User


def festival_slots(festival: Festival) -> dict[int, SessionSlot]:
    """Every session of the festival as a SessionSlot, in five queries whatever the size."""
    rows = db.session.execute(
        select(
            ScheduleSession.id,
            ScheduleSession.screen_id,
            ScheduleSession.starts_at,
            ScheduleSession.ends_at,
        ).where(ScheduleSession.festival_id == festival.id)
    ).all()
    in_festival = select(ScheduleSession.id).where(ScheduleSession.festival_id == festival.id)
    films = _pairs(
        select(RunningOrderItem.session_id, RunningOrderItem.film_id).where(
            RunningOrderItem.session_id.in_(in_festival),
            RunningOrderItem.kind == "film",
            RunningOrderItem.film_id.is_not(None),
        )
    )
    people = _pairs(
        select(SessionPerson.session_id, SessionPerson.person_id).where(SessionPerson.session_id.in_(in_festival))
    )
    item_people = _pairs(
        select(RunningOrderItem.session_id, ItemPerson.person_id)
        .join(ItemPerson, ItemPerson.item_id == RunningOrderItem.id)
        .where(RunningOrderItem.session_id.in_(in_festival))
    )
    directors = _pairs(
        select(RunningOrderItem.session_id, Credit.person_id)
        .join(Credit, Credit.film_id == RunningOrderItem.film_id)
        .where(RunningOrderItem.session_id.in_(in_festival), RunningOrderItem.kind == "film", Credit.role == "director")
    )
    return {
        row.id: SessionSlot(
            row.id,
            row.screen_id,
            row.starts_at,
            row.ends_at,
            frozenset(films[row.id]),
            frozenset(people[row.id] | item_people[row.id] | directors[row.id]),
        )
        for row in rows
    }


def _pairs(statement) -> dict[int, set]:
    grouped: dict[int, set] = defaultdict(set)
    for owner, value in db.session.execute(statement):
        grouped[owner].add(value)
    return grouped


def directors_of(film_ids: Iterable[int]) -> frozenset[int]:
    """Person ids credited as director on any of these films."""
    ids = set(film_ids)
    if not ids:
        return frozenset()
    return frozenset(
        db.session.scalars(select(Credit.person_id).where(Credit.film_id.in_(ids), Credit.role == "director"))
    )


def candidate_slot(
    session_id: int | None,
    *,
    screen_id: int | None,
    start: datetime,
    end: datetime,
    film_ids: Iterable[int],
    person_ids: Iterable[int],
) -> SessionSlot:
    """A session about to be saved, with its films' directors among its people."""
    films = frozenset(film_ids)
    return SessionSlot(
        session_id if session_id is not None else "new",
        screen_id,
        start,
        end,
        films,
        frozenset(person_ids) | directors_of(films),
    )


def clashes_of(festival: Festival, candidate: SessionSlot) -> list[Conflict]:
    """The candidate's conflicts with every other session of the festival."""
    return candidate_conflicts(candidate, festival_slots(festival).values())


def item_people_of(items: Iterable[RunningOrderItem]) -> set[int]:
    """Person ids on stage at any of these running-order items."""
    return {link.person_id for item in items for link in item.people}


def stored_slot(session: ScheduleSession, *, people: Iterable[int] | None = None, **changes) -> SessionSlot:
    """A stored session's slot, optionally with new times or screen (`start`, `end`, `screen_id`) or new
    session people (`people`, person ids; its items' people and directors stay)."""
    film_ids = [item.film_id for item in session.items if item.kind == "film" and item.film_id]
    session_people = [p.person_id for p in session.people] if people is None else list(people)
    slot = candidate_slot(
        session.id,
        screen_id=session.screen_id,
        start=session.starts_at,
        end=session.ends_at,
        film_ids=film_ids,
        person_ids={*session_people, *item_people_of(session.items)},
    )
    return replace(slot, **changes)


@dataclass(frozen=True)
class Clash:
    """One conflict in words, seen from one session: what is shared and with which other session."""

    kind: str
    session_id: object
    other_id: int
    text: str  # a Message: the English, worded for a page with showcase.i18n.translate


def festival_clashes(festival: Festival) -> dict[int, list[Clash]]:
    """Every session's clashes, keyed by session id (each conflict is listed under both sessions)."""
    conflicts = find_conflicts(festival_slots(festival).values())
    words = _Namer(conflicts, festival.zone)
    clashes: dict[int, list[Clash]] = defaultdict(list)
    for conflict in conflicts:
        for own, other in ((conflict.first_id, conflict.second_id), (conflict.second_id, conflict.first_id)):
            clashes[own].append(words.clash(conflict, own, other))
    return clashes


def describe(festival: Festival, conflicts: Iterable[Conflict], *, own_id: object) -> list[Clash]:
    """Conflicts of one candidate session in words."""
    conflicts = list(conflicts)
    words = _Namer(conflicts, festival.zone)
    return [words.clash(c, own_id, c.second_id if c.first_id == own_id else c.first_id) for c in conflicts]


class _Namer:
    """Looks up, once, the names of the sessions, screens, films and people the conflicts mention."""

    def __init__(self, conflicts: list[Conflict], zone: tzinfo) -> None:
        self.zone = zone
        ids: dict[str, set] = defaultdict(set)
        for c in conflicts:
            ids["session"].update(i for i in (c.first_id, c.second_id) if isinstance(i, int))
            ids[c.kind].add(c.shared_id)
        self.sessions = _by_id(ScheduleSession, ids["session"])
        self.names = {
            "screen": _by_id(Screen, ids["screen"]),
            "film": _by_id(Film, ids["film"]),
            "person": _by_id(Person, ids["person"]),
        }

    def clash(self, conflict: Conflict, own: object, other: object) -> Clash:
        session = self.sessions.get(other)
        zone = self.zone
        when = (
            f"{session.starts_at.astimezone(zone):%a %d %b %H:%M}–{session.ends_at.astimezone(zone):%H:%M}"
            if session
            else ""
        )
        other_name = (
            N_("«%(title)s» (%(when)s)", title=session.title, when=when) if session else N_("session %(id)s", id=other)
        )
        shared = self.names[conflict.kind].get(conflict.shared_id)
        name = _label(shared, conflict.kind)
        if conflict.kind == "screen":
            text = N_("Overlaps %(other)s on %(screen)s.", other=other_name, screen=name)
        elif conflict.kind == "film":
            text = N_("Film «%(film)s» is also in %(other)s.", film=name, other=other_name)
        else:
            text = N_("%(person)s is also on stage in %(other)s.", person=name, other=other_name)
        return Clash(conflict.kind, own, other, text)


def _by_id(model, ids: set) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _label(row, kind: str) -> str:
    if row is None:
        return DELETED[kind]
    if kind == "film":
        return row.title + (f" / {row.title_en}" if row.title_en and row.title_en != row.title else "")
    if kind == "person":
        return row.name + (f" ({row.name_en})" if row.name_en and row.name_en != row.name else "")
    return row.name + (f" ({row.name_en})" if row.name_en else "")


DELETED = {"screen": N_("screen (deleted)"), "film": N_("film (deleted)"), "person": N_("person (deleted)")}
WHAT = {"session": N_("This session"), "running order": N_("This running order")}


class ClashRefused(ScheduleConflict, ShowcaseError):
    """A save refused because of conflicts; `clashes` says them in words."""

    status = 409

    def __init__(self, conflicts: list[Conflict], clashes: list[Clash], *, what: str = "session") -> None:
        ScheduleConflict.__init__(self, conflicts)
        self.clashes = clashes
        self.message: Message = N_(
            "%(what)s clashes with other sessions (%(count)s, listed below). Nothing was saved: "
            "change it, or tick “Override conflicts knowingly” to save anyway.",
            what=WHAT.get(what, what),
            count=N_("1 conflict") if len(clashes) == 1 else N_("%(n)s conflicts", n=len(clashes)),
        )


def guard(festival: Festival, candidate: SessionSlot, *, override: bool, what: str = "session") -> list[Clash]:
    """The candidate's clashes in words; ClashRefused unless the editor overrides them knowingly."""
    conflicts = clashes_of(festival, candidate)
    clashes = describe(festival, conflicts, own_id=candidate.id)
    if conflicts and not override:
        raise ClashRefused(conflicts, clashes, what=what)
    return clashes


def record_override(clashes: list[Clash], *, actor: User | None, entity: object) -> None:
    """Audit a save that went through despite conflicts, with the conflicts it accepted."""
    if clashes:
        record(
            actor=actor,
            action="override_conflicts",
            entity=entity,
            after={"conflicts": [{"kind": c.kind, "other_session": c.other_id, "text": c.text} for c in clashes]},
        )
