"""Sessions in the schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from showcase.audit.services import record, snapshot
from showcase.db import utcnow
from showcase.errors import NotFound, StaleEdit
from showcase.extensions import db
from showcase.festivals.models import Festival, Screen, Venue
from showcase.messages import N_
from showcase.schedule.clashes import candidate_slot, guard, record_override, stored_slot
from showcase.schedule.models import (
    CUE_MODES,
    ITEM_KINDS,
    SESSION_KINDS,
    STAGE_ROLES,
    ItemPerson,
    RunningOrderItem,
    ScheduleSession,
    SessionPerson,
    default_cue_mode,
)
from showcase.schedule.people import Entry, check_entries, known_people, relink
from showcase.unit_of_work import flush
from showcase.validation import Checker

if TYPE_CHECKING:
    from showcase.auth.models import User

SESSION_TEXT = {
    "title": (N_("Title"), 300, True),
    "title_en": (N_("English title"), 300, False),
    "description": (N_("Description"), 20000, False),
    "description_en": (N_("English description"), 20000, False),
}


def local_to_utc(festival: Festival, local: datetime) -> datetime:
    """A wall-clock time in the festival's zone as an aware UTC datetime.

    ValueError for a time that does not exist there (skipped by a daylight-saving change).
    """
    zone = festival.zone
    aware = local.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != local.replace(tzinfo=None):
        raise ValueError(
            N_(
                "%(time)s does not exist in %(zone)s (clocks change)",
                time=f"{local:%Y-%m-%d %H:%M}",
                zone=festival.timezone,
            )
        )
    return aware.astimezone(UTC)


def _screen_of_festival(festival: Festival, screen_id: int | None) -> bool:
    if screen_id is None:
        return True
    found = db.session.scalar(
        select(Screen.id).join(Venue).where(Screen.id == screen_id, Venue.festival_id == festival.id)
    )
    return found is not None


def _clean(festival: Festival, values: dict[str, Any]) -> dict[str, Any]:
    checker = Checker()
    clean = {
        f: checker.text(f, values.get(f), label=label, max_length=n, required=req)
        for f, (label, n, req) in SESSION_TEXT.items()
    }
    clean["kind"] = checker.choice("kind", values.get("kind") or "", label=N_("Kind"), choices=SESSION_KINDS)
    starts, ends = values.get("starts_at"), values.get("ends_at")
    for field, value, missing in (
        ("starts_at", starts, N_("Start time is required.")),
        ("ends_at", ends, N_("End time is required.")),
    ):
        if not isinstance(value, datetime) or value.tzinfo is None:
            checker.fail(field, missing)
    if "starts_at" not in checker.errors and "ends_at" not in checker.errors and ends <= starts:
        checker.fail("ends_at", N_("The session must end after it starts."))
    screen_id = values.get("screen_id")
    if not _screen_of_festival(festival, screen_id):
        checker.fail("screen_id", N_("That screen is not one of this festival's."))
    checker.done()
    return {
        **clean,
        "starts_at": starts,
        "ends_at": ends,
        "screen_id": screen_id,
        "public": bool(values.get("public", True)),
    }


def create_session(
    festival: Festival, *, actor: User | None = None, override_conflicts: bool = False, **values: Any
) -> ScheduleSession:
    """Add a session; ValidationFailed lists every bad field, ClashRefused every conflict not overridden."""
    clean = _clean(festival, values)
    clashes = guard(
        festival,
        candidate_slot(
            None,
            screen_id=clean["screen_id"],
            start=clean["starts_at"],
            end=clean["ends_at"],
            film_ids=(),
            person_ids=(),
        ),
        override=override_conflicts,
    )
    session = ScheduleSession(festival_id=festival.id, **clean)
    db.session.add(session)
    db.session.flush()
    record(actor=actor, action="create", entity=session, after=snapshot(session))
    record_override(clashes, actor=actor, entity=session)
    return session


def update_session(
    session: ScheduleSession,
    *,
    expected_version: int,
    actor: User | None = None,
    override_conflicts: bool = False,
    **values: Any,
) -> ScheduleSession:
    """Save an edit made from `expected_version`; StaleEdit when someone saved since, ClashRefused on conflicts."""
    if session.version != expected_version:
        raise _stale(session)
    festival = db.session.get(Festival, session.festival_id)
    clean = _clean(festival, values)
    clashes = guard(
        festival,
        stored_slot(session, start=clean["starts_at"], end=clean["ends_at"], screen_id=clean["screen_id"]),
        override=override_conflicts,
    )
    before = snapshot(session)
    for key, value in clean.items():
        setattr(session, key, value)
    flush("this session")
    record(actor=actor, action="update", entity=session, before=before, after=snapshot(session))
    record_override(clashes, actor=actor, entity=session)
    return session


def _stale(session: ScheduleSession) -> StaleEdit:
    return StaleEdit(
        N_(
            "Someone else saved this session since you opened it (now version %(version)s). "
            "Your changes were not saved.",
            version=session.version,
        ),
        current=session,
    )


def list_sessions(festival: Festival) -> list[ScheduleSession]:
    return list(
        db.session.scalars(
            select(ScheduleSession)
            .where(ScheduleSession.festival_id == festival.id)
            .order_by(ScheduleSession.starts_at)
        )
    )


def get_session(festival: Festival, session_id: int) -> ScheduleSession:
    """A session of this festival; NotFound otherwise."""
    session = db.session.get(ScheduleSession, session_id)
    if session is None or session.festival_id != festival.id:
        raise NotFound(N_("No such session in this festival."))
    return session


def append_item(
    session: ScheduleSession,
    *,
    kind: str,
    planned_seconds: int,
    title: str = "",
    title_en: str = "",
    film_id: int | None = None,
    award_id: int | None = None,
    notes: str = "",
    cue_mode: str = "",
    hard_start_at: datetime | None = None,
    people: list[Entry] | tuple[Entry, ...] = (),
) -> RunningOrderItem:
    """Add an item at the end of a session's running order (with the people on stage at it)."""
    checker = Checker()
    checker.choice("kind", kind, label=N_("Item kind"), choices=ITEM_KINDS)
    if not isinstance(planned_seconds, int) or planned_seconds < 0:
        checker.fail("planned_seconds", N_("Planned duration cannot be negative."))
    if kind == "film" and film_id is None:
        checker.fail("film_id", N_("A film item needs a film."))
    cue_mode = cue_mode or default_cue_mode(kind)
    checker.choice("cue_mode", cue_mode, label=N_("Cue"), choices=CUE_MODES)
    check_entries(checker, people, field="people", what="", known=known_people(e.person_id for e in people))
    checker.done()
    item = RunningOrderItem(
        session=session,
        position=len(session.items),
        kind=kind,
        planned_seconds=planned_seconds,
        title=title.strip(),
        title_en=title_en.strip(),
        film_id=film_id,
        award_id=award_id,
        notes=notes.strip(),
        cue_mode=cue_mode,
        hard_start_at=hard_start_at,
        people=[ItemPerson(person_id=e.person_id, role=e.role, display_order=n) for n, e in enumerate(people)],
    )
    db.session.add(item)
    db.session.flush()
    return item


def add_person(session: ScheduleSession, person_id: int, *, role: str) -> SessionPerson:
    """Put someone on stage in a session (moderator, speaker, host…)."""
    checker = Checker()
    checker.choice("role", role, label=N_("Stage role"), choices=STAGE_ROLES)
    checker.done()
    link = SessionPerson(session=session, person_id=person_id, role=role, display_order=len(session.people))
    db.session.add(link)
    db.session.flush()
    return link


def people_record(links) -> list[list]:
    """(person, role) links as the audit log keeps them: [[person_id, role], …] in order."""
    return [[link.person_id, link.role] for link in links]


def set_session_people(
    session: ScheduleSession,
    entries: list[Entry],
    *,
    expected_version: int,
    actor: User | None = None,
    override_conflicts: bool = False,
) -> ScheduleSession:
    """Make `entries` (in that order) the session's people on stage, and audit it.

    ValidationFailed names each bad entry (nothing is written); StaleEdit when the session was saved
    since `expected_version`; ClashRefused when one of them is on stage elsewhere at the same time.
    """
    checker = Checker()
    check_entries(checker, entries, field="people", what="", known=known_people(e.person_id for e in entries))
    checker.done()
    if session.version != expected_version:
        raise _stale(session)
    festival = db.session.get(Festival, session.festival_id)
    clashes = guard(festival, stored_slot(session, people=[e.person_id for e in entries]), override=override_conflicts)
    before = people_record(session.people)
    session.people = relink(
        session.people, entries, lambda e: SessionPerson(session_id=session.id, person_id=e.person_id, role=e.role)
    )
    # The session row itself changes (updated_at, version): a colleague's open session form is now stale.
    session.updated_at = utcnow()
    flush("this session")
    record(
        actor=actor,
        action="people",
        entity=session,
        before={"version": expected_version, "people": before},
        after={"version": session.version, "people": people_record(session.people)},
    )
    record_override(clashes, actor=actor, entity=session)
    return session
