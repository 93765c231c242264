"""The live show's clock: pure arithmetic on plain records, no Flask, no database.

Every time is an aware datetime and every sum is made in UTC, so a show that runs across midnight or a
daylight-saving change keeps exact elapsed seconds; only the pages turn times into the festival's clock.

Rules:
- a manual cue waits for GO; a following cue starts when the cue before it ends;
- a film cue ends by itself when its planned time (the film's running time) has run; any other cue
  lasts until GO;
- a cue with a hard start is planned at that time; a following cue with a hard start waits for it;
- pauses stop the current cue's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from showcase import durations
from showcase.messages import N_, Message

STATES = ("standby", "running", "paused", "ended")


@dataclass(frozen=True, slots=True)
class Cue:
    """One running-order item as the show needs it."""

    id: int
    kind: str
    mode: str  # manual or follow
    planned_seconds: int
    hard_start: datetime | None = None

    @property
    def ends_itself(self) -> bool:
        """A film ends when its running time has run; everything else waits for GO."""
        return self.kind == "film" and self.planned_seconds > 0


@dataclass(frozen=True, slots=True)
class Live:
    """Where the show is: its state, the current cue (an index into the cues) and that cue's clock."""

    state: str = "standby"
    index: int | None = None
    started_at: datetime | None = None  # the current cue's actual start
    ended_at: datetime | None = None  # the current cue ended by itself; the next waits for GO
    paused_at: datetime | None = None
    paused_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Step:
    """A change the clock made by itself: cue `index` ended or started (`how` is follow) at `at`."""

    what: str  # "end" or "start"
    index: int
    at: datetime


@dataclass(frozen=True, slots=True)
class HardStart:
    """The next cue with a hard start: when it must start and when it is projected to."""

    index: int
    at: datetime
    in_seconds: float
    projected: datetime
    late_seconds: float  # positive: projected to start after its hard start


@dataclass(frozen=True, slots=True)
class Figures:
    """The live figures of a show at one moment."""

    planned_starts: tuple[datetime, ...]
    elapsed: float | None  # of the current cue
    remaining: float | None  # planned minus elapsed; negative in overtime
    cue_over_under: float | None  # elapsed minus planned: positive over, negative under
    over_under: float  # the show: positive behind its plan, negative ahead
    projected_end: datetime | None
    level: str  # the current cue: normal, warning, danger, overtime (or none)
    next_hard_start: HardStart | None
    next_change_at: datetime | None  # when the clock will next change the show by itself
    warnings: tuple[str, ...] = field(default_factory=tuple)


def planned_starts(cues: Sequence[Cue], start: datetime) -> list[datetime]:
    """Each cue's planned start: one after another from `start`, a hard start where one is set."""
    starts, at = [], start
    for cue in cues:
        at = cue.hard_start or at
        starts.append(at)
        at = at + timedelta(seconds=cue.planned_seconds)
    return starts


def elapsed(live: Live, now: datetime) -> float | None:
    """Seconds the current cue has run (pauses left out), up to its end or now."""
    if live.started_at is None:
        return None
    until = live.ended_at or live.paused_at or now
    return max(0.0, (until - live.started_at).total_seconds() - live.paused_seconds)


def _film_end(cue: Cue, live: Live) -> datetime | None:
    """When the current film cue ends by itself (None for a cue that waits for GO, or when paused)."""
    if not cue.ends_itself or live.started_at is None or live.ended_at is not None or live.state != "running":
        return None
    return live.started_at + timedelta(seconds=cue.planned_seconds + live.paused_seconds)


def follow_through(cues: Sequence[Cue], live: Live, now: datetime) -> tuple[Live, list[Step]]:
    """The show at `now` after every change the clock makes by itself: films ending, following cues starting."""
    steps: list[Step] = []
    while live.state == "running" and live.index is not None:
        cue = cues[live.index]
        end = _film_end(cue, live)
        if end is not None:
            if now < end:
                break
            steps.append(Step("end", live.index, end))
            live = replace(live, ended_at=end)
        if live.ended_at is None:
            break
        start = _follow_start(cues, live)
        if start is None or now < start:
            break
        live = Live(state="running", index=live.index + 1, started_at=start)
        steps.append(Step("start", live.index, start))
    return live, steps


def _follow_start(cues: Sequence[Cue], live: Live) -> datetime | None:
    """When the cue after an ended one starts by itself: a following cue at once, or at its hard start."""
    assert live.index is not None and live.ended_at is not None
    nxt = live.index + 1
    if nxt >= len(cues) or cues[nxt].mode != "follow":
        return None
    hard = cues[nxt].hard_start
    return max(live.ended_at, hard) if hard else live.ended_at


def next_change(cues: Sequence[Cue], live: Live) -> datetime | None:
    """When the clock will next change the show by itself (a film's end or a following cue's start)."""
    if live.state != "running" or live.index is None:
        return None
    end = _film_end(cues[live.index], live)
    if end is not None:
        return end
    return _follow_start(cues, live) if live.ended_at is not None else None


def level(planned: int, remaining: float | None) -> str:
    """How close the current cue is to its planned end: normal, warning, danger, overtime (or none)."""
    if remaining is None or planned <= 0:
        return "none"
    if remaining < 0:
        return "overtime"
    if remaining <= max(5.0, min(30.0, planned * 0.1)):
        return "danger"
    if remaining <= max(10.0, min(120.0, planned * 0.25)):
        return "warning"
    return "normal"


def _projected_from(cues: Sequence[Cue], index: int, at: datetime) -> list[datetime]:
    """Projected starts of cues[index:], the first one starting at `at`; hard starts hold a cue back."""
    starts = []
    for cue in cues[index:]:
        at = max(at, cue.hard_start) if cue.hard_start else at
        starts.append(at)
        at = at + timedelta(seconds=cue.planned_seconds)
    return starts


def figures(cues: Sequence[Cue], live: Live, *, start: datetime, now: datetime) -> Figures:
    """Elapsed, remaining, over/under of the cue and the show, projected end, the next hard start."""
    plan = planned_starts(cues, start)
    plan_end = plan[-1] + timedelta(seconds=cues[-1].planned_seconds) if cues else start
    ran = elapsed(live, now)
    cue = cues[live.index] if live.index is not None else None
    remaining = None if cue is None or ran is None else cue.planned_seconds - ran
    over_cue = None if remaining is None else -remaining
    if live.state == "ended" or (cue is None and live.state != "standby"):
        return Figures(tuple(plan), ran, remaining, over_cue, 0.0, None, "none", None, None)
    if cue is None:  # standby: the show starts at GO, no earlier than planned
        following, first = 0, max(now, plan[0]) if plan else now
    else:
        assert live.started_at is not None and ran is not None and live.index is not None
        following = live.index + 1
        first = live.started_at + timedelta(seconds=ran + live.paused_seconds + max(0.0, cue.planned_seconds - ran))
        if live.ended_at is not None:
            first = max(live.ended_at, now) if _follow_start(cues, live) is None else live.ended_at
        if live.state == "paused" and live.paused_at is not None:
            first += now - live.paused_at
    projected = _projected_from(cues, following, first) if following < len(cues) else []
    end = projected[-1] + timedelta(seconds=cues[-1].planned_seconds) if projected else first
    over = (end - plan_end).total_seconds() if cues else 0.0
    hard = _next_hard(cues, following, projected, now)
    lvl = level(cue.planned_seconds, remaining) if cue is not None and live.ended_at is None else "none"
    return Figures(
        planned_starts=tuple(plan),
        elapsed=ran,
        remaining=remaining,
        cue_over_under=over_cue,
        over_under=over,
        projected_end=end if cues else None,
        level=lvl,
        next_hard_start=hard,
        next_change_at=next_change(cues, live),
        warnings=tuple(_warnings(live.index, lvl, over_cue, over, hard)),
    )


def _next_hard(cues: Sequence[Cue], following: int, projected: list[datetime], now: datetime) -> HardStart | None:
    for offset, cue in enumerate(cues[following:]):
        if cue.hard_start is not None:
            at, when = cue.hard_start, projected[offset]
            return HardStart(following + offset, at, (at - now).total_seconds(), when, (when - at).total_seconds())
    return None


# The clock's warnings (showcase.messages: English here, worded in the reader's language by the pages).
CUE_OVER = N_("Cue %(cue)s is %(over)s over its planned time.")
SHOW_LATE = N_("The show runs %(late)s late.")
HARD_MISSED = N_("Cue %(cue)s is projected to miss its hard start by %(late)s.")
WARNINGS = (CUE_OVER, SHOW_LATE, HARD_MISSED)


def _warnings(
    index: int | None, lvl: str, over_cue: float | None, over: float, hard: HardStart | None
) -> list[Message]:
    warnings = []
    if lvl == "overtime" and index is not None and over_cue is not None:
        warnings.append(Message(CUE_OVER, {"cue": index + 1, "over": durations.write(abs(over_cue))}))
    if over >= 60:
        warnings.append(Message(SHOW_LATE, {"late": durations.write(abs(over))}))
    if hard is not None and hard.late_seconds >= 1:
        warnings.append(Message(HARD_MISSED, {"cue": hard.index + 1, "late": durations.write(abs(hard.late_seconds))}))
    return warnings
