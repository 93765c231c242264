"""The public-content version: two rows, bumped in the same transaction as any change guests could see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from showcase.db import Base, utcnow

SITE = 1  # the row of every change guests can see but one: every festival's guest pages share it
KIOSKS = 2  # the row of the kiosks' "now playing": only the pages of the films concerned show it


class PublicVersion(Base):
    """A counter of public changes (showcase.guests.public_version keeps it; ready pages are keyed by it)."""

    __tablename__ = "public_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
