"""Schedule conflicts between sessions: pure functions over plain records, no Flask, no database.

Three kinds: "screen" (two sessions overlap on one screen), "film" (one film in two overlapping
sessions), "person" (one person on stage in two overlapping sessions). Time ranges are half-open,
[start, end): a session ending at 20:00 and one starting at 20:00 do not conflict, and a session of
zero length overlaps nothing. Sessions without a screen take part in film and person checks only.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from showcase.schedule.timing import overrun_minutes

__all__ = [
    "Conflict",
    "ScheduleConflict",
    "SessionSlot",
    "candidate_conflicts",
    "ensure_no_conflicts",
    "find_conflicts",
    "overrun_minutes",
    "session_overrun_minutes",
]

KINDS = ("screen", "film", "person")


@dataclass(frozen=True, slots=True)
class SessionSlot:
    """A session as the conflict check needs it: where, when, which films, who is on stage."""

    id: Hashable
    screen_id: Hashable | None
    start: datetime
    end: datetime
    film_ids: frozenset = frozenset()
    person_ids: frozenset = frozenset()


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two sessions that overlap in time and share a screen, a film or a person (`shared_id`).

    From find_conflicts, `first_id` is the session that starts first; from candidate_conflicts it is
    the candidate.
    """

    kind: str
    first_id: Hashable
    second_id: Hashable
    shared_id: Hashable

    def __str__(self) -> str:
        pair = f"Sessions {self.first_id} and {self.second_id}"
        return f"{pair} overlap and share {self.kind} {self.shared_id}."


class ScheduleConflict(ValueError):
    """A session cannot be saved because it clashes with others; `conflicts` lists every clash."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = list(conflicts)
        super().__init__(" ".join(str(conflict) for conflict in self.conflicts))


def find_conflicts(sessions: Iterable[SessionSlot]) -> list[Conflict]:
    """Every conflict among the sessions: screen conflicts first, then films, then people."""
    spans = [_span(session) for session in sessions]
    conflicts: list[Conflict] = []
    for kind in KINDS:
        for shared_id, group in _group_by(spans, kind).items():
            pairs = _overlapping(group)
            conflicts.extend(Conflict(kind, first, second, shared_id) for first, second in pairs)
    return conflicts


def candidate_conflicts(candidate: SessionSlot, others: Iterable[SessionSlot]) -> list[Conflict]:
    """Conflicts of one session (about to be saved) with the others; its own stored copy is ignored."""
    start, end = _span(candidate)[:2]
    conflicts: list[Conflict] = []
    if start == end:
        return conflicts
    for other in others:
        if other.id == candidate.id:
            continue
        other_start, other_end = _span(other)[:2]
        if other_start < end and start < other_end and other_start != other_end:
            conflicts.extend(_shared(candidate, other))
    return conflicts


def ensure_no_conflicts(candidate: SessionSlot, others: Iterable[SessionSlot]) -> None:
    """Raise ScheduleConflict when the candidate clashes with any other session."""
    conflicts = candidate_conflicts(candidate, others)
    if conflicts:
        raise ScheduleConflict(conflicts)


def session_overrun_minutes(session: SessionSlot, planned_seconds: int) -> int:
    """Minutes (rounded up) by which a running order of `planned_seconds` overruns the session slot."""
    start, end = _span(session)[:2]
    return overrun_minutes(int(end - start), planned_seconds)


def _shared(candidate: SessionSlot, other: SessionSlot) -> Iterable[Conflict]:
    if candidate.screen_id is not None and candidate.screen_id == other.screen_id:
        yield Conflict("screen", candidate.id, other.id, candidate.screen_id)
    for film_id in _sorted(candidate.film_ids & other.film_ids):
        yield Conflict("film", candidate.id, other.id, film_id)
    for person_id in _sorted(candidate.person_ids & other.person_ids):
        yield Conflict("person", candidate.id, other.id, person_id)


def _sorted(ids: frozenset) -> list:
    # Deterministic output for mixed or unorderable ids too.
    try:
        return sorted(ids)
    except TypeError:
        return sorted(ids, key=repr)


def _span(session: SessionSlot) -> tuple[float, float, SessionSlot]:
    """(start, end) as POSIX seconds: comparing floats is much cheaper than comparing aware datetimes."""
    for moment in (session.start, session.end):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"Session {session.id} has a time without a time zone.")
    start, end = session.start.timestamp(), session.end.timestamp()
    if end < start:
        raise ValueError(f"Session {session.id} ends before it starts.")
    return start, end, session


def _group_by(spans: list[tuple[float, float, SessionSlot]], kind: str) -> dict[Hashable, list]:
    groups: dict[Hashable, list] = defaultdict(list)
    for span in spans:
        session = span[2]
        if span[0] == span[1]:
            continue  # an empty range overlaps nothing
        if kind == "screen":
            keys: Iterable = () if session.screen_id is None else (session.screen_id,)
        else:
            keys = session.film_ids if kind == "film" else session.person_ids
        for key in keys:
            groups[key].append(span)
    return groups


def _overlapping(group: list[tuple[float, float, SessionSlot]]) -> Iterable[tuple[Hashable, Hashable]]:
    """Sweep line: sessions in start order; a heap of those still running, keyed by their end."""
    group.sort(key=lambda span: (span[0], span[1]))
    running: list[tuple[float, int, Hashable]] = []
    for order, (start, end, session) in enumerate(group):
        while running and running[0][0] <= start:  # half-open: ended at or before this start
            heapq.heappop(running)
        for _end, _order, other_id in sorted(running, key=lambda entry: entry[1]):
            if other_id != session.id:  # a session listed twice does not clash with itself
                yield other_id, session.id
        heapq.heappush(running, (end, order, session.id))
