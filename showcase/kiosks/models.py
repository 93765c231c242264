"""Playback machines at the venue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base, utcnow
from showcase.festivals.models import Screen


class Kiosk(Base):
    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id", ondelete="SET NULL"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime | None]
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    screen: Mapped[Screen | None] = relationship()
