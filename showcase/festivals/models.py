"""A festival edition, its venues and screens."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base, TimestampMixin


class Festival(TimestampMixin, Base):
    __tablename__ = "festival"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    edition: Mapped[str] = mapped_column(String(100), default="")
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    public_base_url: Mapped[str] = mapped_column(String(300), default="")
    welcome: Mapped[str] = mapped_column(Text, default="")
    welcome_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)

    venues: Mapped[list[Venue]] = relationship(
        back_populates="festival", cascade="all, delete-orphan", order_by="Venue.id"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def screens(self) -> list[Screen]:
        return [screen for venue in self.venues for screen in venue.screens]


class Venue(Base):
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    capacity: Mapped[int | None]

    festival: Mapped[Festival] = relationship(back_populates="venues")
    screens: Mapped[list[Screen]] = relationship(
        back_populates="venue", cascade="all, delete-orphan", order_by="Screen.id"
    )


class Screen(Base):
    __tablename__ = "screen"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")

    venue: Mapped[Venue] = relationship(back_populates="screens")
