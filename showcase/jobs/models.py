"""A long piece of work run in the background: what was asked, how far it is, and what came of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from showcase.db import Base, utcnow

STATES = ("queued", "running", "done", "failed")


class Job(Base):
    """One background job. Every web worker and host reads its progress from this row."""

    __tablename__ = "job"
    __table_args__ = (CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    festival_id: Mapped[int | None] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")  # said to staff: short, never a traceback
    summary: Mapped[str] = mapped_column(Text, default="")  # what a finished job did, in a sentence or two
    result_file: Mapped[str] = mapped_column(String(200), default="")  # a name in the jobs folder
    result_name: Mapped[str] = mapped_column(String(200), default="")  # the name a download is saved under
    result_type: Mapped[str] = mapped_column(String(80), default="")
    runner: Mapped[str] = mapped_column(String(120), default="")  # "process <host> <pid>", or "rq"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, None while the total is unknown."""
        if self.state == "done":
            return 100
        return min(100, self.done * 100 // self.total) if self.total else None
