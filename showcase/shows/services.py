"""Running a session's show live: GO, back, pause, end, reset, rehearsal, who holds the GO, the stage message.

Every operation takes the acting user and `now`, brings the show up to date first (films that ended,
following cues that started: `clock.follow_through`), writes the as-run log and the audit log, lifts the
embargo of an award whose announcement starts (not in a rehearsal), tells the screen, and announces the
change to the event streams; it flushes, the edge commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from showcase import live
from showcase.audit.services import record
from showcase.awards.models import Award
from showcase.awards.services import reveal_award
from showcase.errors import ShowcaseError
from showcase.extensions import db
from showcase.messages import N_
from showcase.schedule.models import RunningOrderItem, ScheduleSession
from showcase.shows import clock, screen
from showcase.shows.models import CueRun, Show
from showcase.unit_of_work import flush

if TYPE_CHECKING:
    from showcase.auth.models import User


class ShowConflict(ShowcaseError):
    """A show command that does not fit the show as it is now (a stale GO, someone else holds the GO…)."""

    status = 409


MESSAGE_MAX = 200


def topic(show: Show) -> str:
    """The event-stream topic of a show."""
    return f"show:{show.session_id}"


def show_for(session: ScheduleSession) -> Show:
    """The session's show, created in standby the first time it is asked for."""
    show = db.session.scalar(select(Show).where(Show.session_id == session.id))
    if show is not None:
        return show
    try:
        # two first looks at the same moment: one inserts, the other reads the row it made
        with db.session.begin_nested():
            show = Show(session_id=session.id, state="standby", paused_seconds=0.0, message="")
            db.session.add(show)
    except IntegrityError:
        show = db.session.scalar(select(Show).where(Show.session_id == session.id))
        if show is None:
            raise
    return show


def cues_of(items: Sequence[RunningOrderItem]) -> list[clock.Cue]:
    """The running order as the clock sees it."""
    return [
        clock.Cue(id=i.id, kind=i.kind, mode=i.cue_mode, planned_seconds=i.planned_seconds, hard_start=i.hard_start_at)
        for i in items
    ]


def live_of(show: Show, items: Sequence[RunningOrderItem]) -> clock.Live:
    """The stored show as the clock's plain record (the current cue found by id in the running order)."""
    index = next((n for n, item in enumerate(items) if item.id == show.cue_id), None)
    return clock.Live(
        state=show.state,
        index=index,
        started_at=show.cue_started_at,
        ended_at=show.cue_ended_at,
        paused_at=show.paused_at,
        paused_seconds=show.paused_seconds or 0.0,
    )


def sync(show: Show, *, now: datetime) -> list[RunningOrderItem]:
    """Bring the show up to `now`: record the films that ended and the following cues that started.

    Returns the running order (the items, in order) it was timed against.
    """
    items = list(show.session.items)
    state, steps = clock.follow_through(cues_of(items), live_of(show, items), now)
    for step in steps:
        if step.what == "end":
            _close_run(show, at=step.at)
            show.cue_ended_at = step.at
        else:
            _start_cue(show, items, step.index, at=step.at, how="follow", actor=None)
    if steps:
        assert state.index is not None
        flush("this show")
    return items


def _close_run(show: Show, *, at: datetime) -> None:
    run = _open_run(show)
    if run is not None:
        run.ended_at = at


def _open_run(show: Show) -> CueRun | None:
    return db.session.scalar(
        select(CueRun)
        .where(CueRun.show_id == show.id, CueRun.run == show.run, CueRun.ended_at.is_(None))
        .order_by(CueRun.id.desc())
        .limit(1)
    )


def _start_cue(
    show: Show, items: Sequence[RunningOrderItem], index: int, *, at: datetime, how: str, actor: User | None
) -> None:
    """Make cue `index` the current one from `at`: as-run entry, reveal, screen, stream."""
    item = items[index]
    plan = clock.planned_starts(cues_of(items), show.session.starts_at)
    _close_run(show, at=at)
    show.cue_id, show.cue_started_at, show.cue_ended_at = item.id, at, None
    show.paused_at, show.paused_seconds = None, 0.0
    db.session.add(
        CueRun(
            show_id=show.id,
            run=show.run,
            rehearsal=show.rehearsal,
            item_id=item.id,
            position=index + 1,
            kind=item.kind,
            mode=item.cue_mode,
            title=item.title,
            title_en=item.title_en,
            planned_start=plan[index],
            planned_seconds=item.planned_seconds,
            started_at=at,
            how=how,
            started_by_id=actor.id if actor is not None else None,
        )
    )
    if item.kind == "award" and not show.rehearsal:
        for award in announced(item, items):
            if award.revealed_at is None or award.revealed_at > at:
                reveal_award(award, actor=actor, at=at)
    screen.cue(show, item, at=at, actor=actor)


def announced(item: RunningOrderItem, items: Sequence[RunningOrderItem]) -> list[Award]:
    """The awards an announcement cue makes public: the award it names and, for a shared placement announced
    in one cue (as "Fill from winners" makes it), the awards sharing that placement which have no cue of their own.
    """
    named = db.session.get(Award, item.award_id) if item.award_id is not None else None
    if named is None:
        return []
    own_cues = {other.award_id for other in items if other.kind == "award" and other is not item}
    sharing = db.session.scalars(
        select(Award).where(
            Award.category_id == named.category_id, Award.placement == named.placement, Award.id != named.id
        )
    )
    return [named, *(award for award in sharing if award.id not in own_cues)]


def _changed(show: Show, *, actor: User | None, action: str, **details) -> Show:
    flush("this show")
    record(
        actor=actor,
        action=f"show_{action}",
        entity=show,
        after={"state": show.state, "cue_id": show.cue_id, "rehearsal": show.rehearsal, "run": show.run, **details},
    )
    live.announce(db.session, topic(show))
    return show


def _hold(show: Show, actor: User, *, now: datetime) -> None:
    """The GO belongs to one person at a time: the first to press it, until someone takes it over."""
    if show.holder_id is None:
        show.holder_id, show.holder_since = actor.id, now
    elif show.holder_id != actor.id:
        holder = db.session.get(type(actor), show.holder_id)
        name = holder.name if holder is not None else N_("someone else")
        raise ShowConflict(N_("%(name)s holds the GO. Take it over first if you are calling the show now.", name=name))


def _check_from(show: Show, from_cue: int | None) -> None:
    """A GO names the cue it was pressed on: a second press of the same GO finds the show moved on."""
    if from_cue != show.cue_id:
        raise ShowConflict(
            N_(
                "The show has moved on since that button was pressed (a double press, or someone else's GO): "
                "nothing was changed."
            )
        )


def go(show: Show, *, actor: User, from_cue: int | None, now: datetime) -> Show:
    """Start the next cue (from standby: start the show live, at its first cue); the GO names its cue."""
    items = sync(show, now=now)
    _hold(show, actor, now=now)
    _check_from(show, from_cue)
    if show.state == "ended":
        raise ShowConflict(N_("The show has ended. Reset it to run it again."))
    if not items:
        raise ShowConflict(N_("This session has no running order to run."))
    if show.state == "standby":
        _begin(show, rehearsal=False, now=now)
        _start_cue(show, items, 0, at=now, how="go", actor=actor)
        return _changed(show, actor=actor, action="go", cue_position=1)
    index = live_of(show, items).index
    nxt = 0 if index is None else index + 1
    if nxt >= len(items):
        return end(show, actor=actor, now=now, synced=True)
    if show.state == "paused":
        show.state = "running"
    _start_cue(show, items, nxt, at=now, how="go", actor=actor)
    return _changed(show, actor=actor, action="go", cue_position=nxt + 1)


def _begin(show: Show, *, rehearsal: bool, now: datetime) -> None:
    show.state, show.rehearsal, show.run = "running", rehearsal, show.run + 1
    show.started_at, show.ended_at = now, None


def rehearse(show: Show, *, actor: User, now: datetime) -> Show:
    """Start a rehearsal from standby: the show runs as on the night, but reveals nothing."""
    items = sync(show, now=now)
    if show.state != "standby":
        raise ShowConflict(N_("A rehearsal starts from standby: reset the show first."))
    if not items:
        raise ShowConflict(N_("This session has no running order to run."))
    show.holder_id, show.holder_since = actor.id, now
    _begin(show, rehearsal=True, now=now)
    _start_cue(show, items, 0, at=now, how="go", actor=actor)
    return _changed(show, actor=actor, action="rehearse", cue_position=1)


def back(show: Show, *, actor: User, from_cue: int | None, now: datetime) -> Show:
    """Return to the cue before the current one (it starts again now)."""
    items = sync(show, now=now)
    _hold(show, actor, now=now)
    _check_from(show, from_cue)
    index = live_of(show, items).index
    if show.state not in ("running", "paused") or index is None or index == 0:
        raise ShowConflict(N_("There is no cue before this one to go back to."))
    show.state = "running"
    _start_cue(show, items, index - 1, at=now, how="back", actor=actor)
    return _changed(show, actor=actor, action="back", cue_position=index)


def pause(show: Show, *, actor: User, now: datetime) -> Show:
    """Stop the current cue's clock (and the screen) until resumed."""
    sync(show, now=now)
    _hold(show, actor, now=now)
    if show.state != "running":
        raise ShowConflict(N_("Only a running show can be paused."))
    show.state, show.paused_at = "paused", now
    screen.pause(show, paused=True, actor=actor)
    return _changed(show, actor=actor, action="pause")


def resume(show: Show, *, actor: User, now: datetime) -> Show:
    """Run the current cue's clock on from where it was paused."""
    _hold(show, actor, now=now)
    if show.state != "paused" or show.paused_at is None:
        raise ShowConflict(N_("The show is not paused."))
    show.paused_seconds = (show.paused_seconds or 0.0) + (now - show.paused_at).total_seconds()
    show.state, show.paused_at = "running", None
    screen.pause(show, paused=False, actor=actor)
    return _changed(show, actor=actor, action="resume")


def end(show: Show, *, actor: User, now: datetime, synced: bool = False) -> Show:
    """End the show: the current cue ends now."""
    if not synced:
        sync(show, now=now)
    _hold(show, actor, now=now)
    if show.state not in ("running", "paused"):
        raise ShowConflict(N_("Only a running show can be ended."))
    _close_run(show, at=now)
    show.state, show.ended_at, show.paused_at = "ended", now, None
    screen.finish(show, actor=actor)
    return _changed(show, actor=actor, action="end")


def reset(show: Show, *, actor: User, confirm: bool, now: datetime) -> Show:
    """Back to standby. After a live show only when confirmed; revealed awards stay revealed."""
    sync(show, now=now)
    if show.state == "standby":
        return show
    if not show.rehearsal and not confirm:
        raise ShowConflict(
            N_("This show ran live: confirm the reset (its as-run log is kept, and revealed awards stay).")
        )
    _hold(show, actor, now=now)
    _close_run(show, at=now)
    show.state, show.rehearsal, show.cue_id = "standby", False, None
    show.cue_started_at = show.cue_ended_at = show.paused_at = None
    show.paused_seconds, show.started_at, show.ended_at = 0.0, None, None
    screen.finish(show, actor=actor)
    return _changed(show, actor=actor, action="reset")


def prepare_screen(show: Show, *, actor: User, now: datetime) -> Show:
    """Before the show: put its playlist on the session's screen, so the kiosks have every file and the first
    GO is a cut to a picture prepared ahead (the screen stays black until then)."""
    sync(show, now=now)
    if show.state != "standby":
        raise ShowConflict(N_("The screen follows the show already: it is put on the screen before the first GO."))
    screen.prepare(show, actor=actor)
    return _changed(show, actor=actor, action="prepare")


def take_over(show: Show, *, actor: User, now: datetime) -> Show:
    """Take the GO from whoever holds it (said out loud on the headset first)."""
    if show.holder_id == actor.id:
        return show
    previous = show.holder_id
    show.holder_id, show.holder_since = actor.id, now
    return _changed(show, actor=actor, action="take_over", previous_holder_id=previous)


def send_message(show: Show, *, actor: User, text: str, now: datetime) -> Show:
    """The line the presenter view shows under the timer (empty clears it)."""
    text = " ".join((text or "").split())
    if len(text) > MESSAGE_MAX:
        raise ShowConflict(N_("A stage message is at most %(max)s characters.", max=MESSAGE_MAX))
    show.message, show.message_at = text, now if text else None
    return _changed(show, actor=actor, action="message", message=text)


def as_run(show: Show, *, run: int | None = None) -> list[CueRun]:
    """The cues of one run as they really ran (the latest live run by default, else the latest run)."""
    if run is None:
        live_runs = select(CueRun.run).where(CueRun.show_id == show.id, CueRun.rehearsal.is_(False))
        run = db.session.scalar(live_runs.order_by(CueRun.run.desc()).limit(1)) or show.run
    return list(
        db.session.scalars(select(CueRun).where(CueRun.show_id == show.id, CueRun.run == run).order_by(CueRun.id))
    )
