"""The stage manager's cue sheet as plain data: the web page and the PDF both print this."""

from __future__ import annotations

from dataclasses import dataclass

from showcase.festivals.models import Festival
from showcase.schedule.models import ScheduleSession, default_cue_mode
from showcase.schedule.people import person_label
from showcase.schedule.running_order import drafts_of, time_drafts
from showcase.templating import duration


@dataclass(frozen=True)
class CueRow:
    """One cue: number, festival clock time, offset, what happens, how long, notes, how it starts."""

    cue: int
    clock: str
    offset: str
    kind: str
    title: str
    title_en: str
    duration: str
    notes: str
    cue_mode: str = "manual"  # manual waits for GO; follow starts when the cue before ends
    hard_start: str = ""  # HH:MM on the festival's clock: the cue must not start before it
    people: tuple[tuple[str, str], ...] = ()  # (role, name) of who is on stage at this cue

    @property
    def starts(self) -> str:
        """How the cue starts, as a stage manager says it: GO, or follows (when the cue before ends)."""
        return "follows" if self.cue_mode == "follow" else "GO"


@dataclass(frozen=True)
class CueSheet:
    """A session's cues with the heading a stage manager needs."""

    festival: str
    title: str
    title_en: str
    where: str
    when: str
    timezone: str
    rows: tuple[CueRow, ...]
    total: str
    slot: str
    overrun_minutes: int


def cue_sheet_data(festival: Festival, session: ScheduleSession) -> CueSheet:
    """The session's stored running order as cues with clock times in the festival's zone."""
    drafts = drafts_of(session)
    timing = time_drafts(session, drafts, festival=festival)
    rows = tuple(
        CueRow(
            cue=t.cue,
            clock=t.start_label,
            offset=t.offset_label,
            kind=d.kind,
            title=d.title,
            title_en=d.title_en if d.title_en != d.title else "",
            duration=duration(d.planned_seconds),
            notes=d.notes,
            cue_mode=d.cue_mode or default_cue_mode(d.kind),
            hard_start=f"{d.hard_start_at.astimezone(festival.zone):%H:%M}" if d.hard_start_at else "",
            people=tuple((link.role, person_label(link.person)) for link in item.people),
        )
        for d, t, item in zip(drafts, timing.items, session.items, strict=True)
    )
    zone = festival.zone
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    screen = session.screen
    where = f"{screen.venue.name} · {screen.name}" if screen else ""
    return CueSheet(
        festival=festival.name,
        title=session.title,
        title_en=session.title_en,
        where=where,
        when=f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
        timezone=festival.timezone,
        rows=rows,
        total=duration(timing.total_seconds),
        slot=duration(timing.slot_seconds),
        overrun_minutes=timing.overrun_minutes,
    )
