"""The as-run log after the night: planned against actual for every cue, as plain rows and as a CSV.

The rows are text in the festival's time zone, so the CSV and the PDF (showcase.programmes.asrun)
print the same cells. Over/under is written in words ("0:30 over"), never with a leading sign a
spreadsheet would read as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from showcase.auth.models import User
from showcase.errors import ShowcaseError
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.csvio.cells import neutralise
from showcase.messages import N_
from showcase.schedule.models import ScheduleSession
from showcase.shows.models import CueRun, Show
from showcase.shows.services import as_run
from showcase.templating import duration

HOW = {"go": "GO", "follow": "follows", "back": "back"}
HEADER = (
    "cue",
    "kind",
    "title",
    "title_en",
    "mode",
    "planned_start",
    "actual_start",
    "planned_duration",
    "actual_duration",
    "over_under",
    "how",
    "started_by",
)


class NoRun(ShowcaseError):
    """The show (or the run asked for) never happened, so there is no as-run log to give."""

    status = 404


@dataclass(frozen=True)
class AsRunRow:
    """One cue as it ran, every value already text; the fields are the CSV's columns, in order."""

    cue: int
    kind: str
    title: str
    title_en: str
    mode: str
    planned_start: str
    actual_start: str
    planned_duration: str
    actual_duration: str
    over_under: str
    how: str
    started_by: str


@dataclass(frozen=True)
class AsRun:
    """A run's log with the heading it prints under."""

    festival: str
    title: str
    title_en: str
    timezone: str
    date: str
    run: int
    rehearsal: bool
    rows: tuple[AsRunRow, ...]

    @property
    def label(self) -> str:
        """The run's name: Run 2, or Rehearsal (run 1)."""
        return f"Rehearsal (run {self.run})" if self.rehearsal else f"Run {self.run}"


def as_run_log(festival: Festival, session: ScheduleSession, *, run: int | None = None) -> AsRun:
    """The log of one run of the session's show (the latest live run by default); NoRun when it never happened."""
    show = db.session.scalar(select(Show).where(Show.session_id == session.id))  # reading creates no show
    runs = as_run(show, run=run) if show is not None else []
    if not runs:
        if run is None:
            raise NoRun(N_("This show has not run yet, so there is no as-run log."))
        raise NoRun(N_("Run %(run)s of this show never happened, so there is no as-run log for it.", run=run))
    zone = festival.zone
    first_day = runs[0].started_at.astimezone(zone).date()
    names = _names({r.started_by_id for r in runs if r.started_by_id is not None})
    return AsRun(
        festival=festival.name,
        title=session.title,
        title_en=session.title_en if session.title_en != session.title else "",
        timezone=festival.timezone,
        date=first_day.isoformat(),
        run=runs[0].run,
        rehearsal=runs[0].rehearsal,
        rows=tuple(_row(r, zone=zone, first_day=first_day, names=names) for r in runs),
    )


def _names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {u.id: u.name or u.email for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}


def _row(run: CueRun, *, zone: ZoneInfo, first_day: date, names: dict[int, str]) -> AsRunRow:
    actual = None if run.ended_at is None else round((run.ended_at - run.started_at).total_seconds())
    return AsRunRow(
        cue=run.position,
        kind=run.kind,
        title=run.title,
        title_en=run.title_en if run.title_en != run.title else "",
        mode=run.mode,
        planned_start=_clock(run.planned_start, zone=zone, first_day=first_day),
        actual_start=_clock(run.started_at, zone=zone, first_day=first_day),
        planned_duration=duration(run.planned_seconds),
        actual_duration="" if actual is None else duration(actual),
        over_under="" if actual is None else over_under(actual - run.planned_seconds),
        how=HOW.get(run.how, run.how),
        started_by=names.get(run.started_by_id, "") if run.started_by_id is not None else "",
    )


def _clock(at: datetime | None, *, zone: ZoneInfo, first_day: date) -> str:
    """HH:MM:SS on the festival's clock, with "+N" when it falls N days after the first cue's day."""
    if at is None:
        return ""
    local = at.astimezone(zone)
    days = (local.date() - first_day).days
    return f"{local:%H:%M:%S}" + (f" +{days}" if days else "")


def over_under(seconds: float) -> str:
    """A cue's actual minus planned duration in words: "0:30 over", "1:05 under" or "on time"."""
    seconds = round(seconds)
    if seconds == 0:
        return "on time"
    return f"{duration(abs(seconds))} {'over' if seconds > 0 else 'under'}"


def as_run_csv(log: AsRun) -> bytes:
    """The log as CSV (UTF-8 with BOM, so Excel reads Chinese; CRLF; formula-like cells neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_cells(row) for row in log.rows)
    return out.getvalue().encode("utf-8-sig")


def _cells(row: AsRunRow) -> Sequence[str]:
    return [neutralise(str(cell)) for cell in astuple(row)]


def file_name(festival: Festival, session: ScheduleSession, log: AsRun, fmt: str) -> str:
    """The download's file name: festival, session, run (ASCII; the edge makes it safe again)."""
    kind = "rehearsal" if log.rehearsal else "run"
    return f"as-run-{festival.slug}-{session.id}-{kind}{log.run}.{fmt}"
