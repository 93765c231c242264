"""Sessions on screens and the running order inside each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.awards.models import Award
from showcase.db import Base, TimestampMixin, VersionedMixin
from showcase.festivals.models import Screen
from showcase.films.models import Film, Person

SESSION_KINDS = ("screening", "ceremony", "panel", "talk", "break", "gala", "reception", "other")
ITEM_KINDS = ("film", "award", "speech", "panel", "interval", "slate", "other")
# Who is on stage in a session or at one item of its running order (SessionPerson, ItemPerson).
# "guest" predates the others and stays valid; showcase.schedule.people words them in both languages.
STAGE_ROLES = ("moderator", "speaker", "host", "presenter", "guest")
# Show control: a manual cue waits for GO; a following cue starts when the cue before it ends (a film ends
# by itself, at its running time; any other cue lasts until GO).
CUE_MODES = ("manual", "follow")


def default_cue_mode(kind: str) -> str:
    """A film follows the cue before it; speeches, announcements and the host's links wait for GO."""
    return "follow" if kind == "film" else "manual"


class ScheduleSession(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "schedule_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="screening")
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    public: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Bumped by every running-order save: two editors of one running order cannot overwrite each other.
    running_order_version: Mapped[int] = mapped_column(default=1)

    screen: Mapped[Screen | None] = relationship()
    people: Mapped[list[SessionPerson]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPerson.display_order"
    )
    items: Mapped[list[RunningOrderItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="RunningOrderItem.position"
    )


class SessionPerson(Base):
    """Someone on stage in a session: moderator, speaker, host…"""

    __tablename__ = "session_person"
    __table_args__ = (UniqueConstraint("session_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("schedule_session.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="speaker")
    display_order: Mapped[int] = mapped_column(default=0)

    session: Mapped[ScheduleSession] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()


class RunningOrderItem(VersionedMixin, Base):
    __tablename__ = "running_order_item"
    __table_args__ = (CheckConstraint("planned_seconds >= 0", name="planned_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("schedule_session.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    film_id: Mapped[int | None] = mapped_column(ForeignKey("film.id", ondelete="SET NULL"))
    award_id: Mapped[int | None] = mapped_column(ForeignKey("award.id", ondelete="SET NULL"))
    planned_seconds: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cue_mode: Mapped[str] = mapped_column(String(8), default="manual")
    # a cue that must not start before this time (a live link, a broadcast slot), UTC
    hard_start_at: Mapped[datetime | None]

    session: Mapped[ScheduleSession] = relationship(back_populates="items")
    film: Mapped[Film | None] = relationship()
    award: Mapped[Award | None] = relationship()
    # selectin: a running order's people come in one query with its items, not one per item
    people: Mapped[list[ItemPerson]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemPerson.display_order", lazy="selectin"
    )


class ItemPerson(Base):
    """Someone on stage at one running-order item: the presenter of an award, the host of an intro."""

    __tablename__ = "running_order_item_person"
    __table_args__ = (UniqueConstraint("item_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("running_order_item.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="presenter")
    display_order: Mapped[int] = mapped_column(default=0)

    item: Mapped[RunningOrderItem] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()
