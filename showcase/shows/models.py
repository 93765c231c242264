"""A session's live show: where it is in its running order, who holds the GO, and what really happened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base, VersionedMixin
from showcase.schedule.models import ScheduleSession

SHOW_STATES = ("standby", "running", "paused", "ended")


class Show(VersionedMixin, Base):
    """The live state of one session's show; every change bumps `version` (two GOs at once: one wins)."""

    __tablename__ = "show"
    __table_args__ = (CheckConstraint("state IN ('standby', 'running', 'paused', 'ended')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_session.id", ondelete="CASCADE"), unique=True, index=True
    )
    state: Mapped[str] = mapped_column(String(8), default="standby")
    rehearsal: Mapped[bool] = mapped_column(default=False)
    # which run of the show this is: a reset back to standby starts the next one (the as-run log keeps each)
    run: Mapped[int] = mapped_column(default=0)
    cue_id: Mapped[int | None] = mapped_column(ForeignKey("running_order_item.id", ondelete="SET NULL"))
    cue_started_at: Mapped[datetime | None]
    # a film cue that ended by itself while the next cue waits for GO
    cue_ended_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[float] = mapped_column(Float, default=0.0)  # of the current cue
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    holder_since: Mapped[datetime | None]
    message: Mapped[str] = mapped_column(String(200), default="")
    message_at: Mapped[datetime | None]

    session: Mapped[ScheduleSession] = relationship()


class CueRun(Base):
    """One cue as it really ran: the as-run log (planned values copied, so later edits do not rewrite it)."""

    __tablename__ = "cue_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id", ondelete="CASCADE"), index=True)
    run: Mapped[int]
    rehearsal: Mapped[bool] = mapped_column(default=False)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("running_order_item.id", ondelete="SET NULL"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    planned_start: Mapped[datetime | None]
    planned_seconds: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # how the cue started: go (someone pressed GO), follow (the cue before ended), back (someone went back)
    how: Mapped[str] = mapped_column(String(8), default="go")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
