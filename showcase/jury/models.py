"""Judging: rounds with their criteria, films and jurors; assignments, scores and conflicts of interest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base, utcnow

METHODS = ("mean", "median")


class JuryRound(Base):
    """One round of a festival's judging (pre-selection, shortlist, final jury)."""

    __tablename__ = "jury_round"
    __table_args__ = (
        CheckConstraint("per_film >= 1", name="per_film_positive"),
        CheckConstraint("scale_min < scale_max", name="scale_order"),
        CheckConstraint("method IN ('mean', 'median')", name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    from_round_id: Mapped[int | None] = mapped_column(ForeignKey("jury_round.id", ondelete="SET NULL"))
    per_film: Mapped[int] = mapped_column(default=3)  # scores a film needs to be ranked
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=10)
    method: Mapped[str] = mapped_column(String(8), default="mean")
    blind: Mapped[bool] = mapped_column(default=True)  # team names and credits hidden until the round closes
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]  # set when staff close it: scores are then final
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[JuryCriterion]] = relationship(
        cascade="all, delete-orphan", order_by="JuryCriterion.position"
    )

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class JuryCriterion(Base):
    """What jurors score in a round; `name` is also the column of a score spreadsheet."""

    __tablename__ = "jury_criterion"
    __table_args__ = (UniqueConstraint("round_id", "name"), CheckConstraint("weight > 0", name="weight_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("jury_round.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100), default="")
    label_en: Mapped[str] = mapped_column(String(100), default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)


class RoundFilm(Base):
    """A film in a round; `advances` marks the films that go on to the next round."""

    __tablename__ = "jury_round_film"
    __table_args__ = (UniqueConstraint("round_id", "film_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("jury_round.id", ondelete="CASCADE"), index=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("film.id", ondelete="CASCADE"), index=True)
    advances: Mapped[bool] = mapped_column(default=False)


class RoundJuror(Base):
    __tablename__ = "jury_round_juror"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("jury_round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)


class Assignment(Base):
    """A juror is to judge a film in a round (`manual`: staff placed it by hand; automatic runs keep it)."""

    __tablename__ = "jury_assignment"
    __table_args__ = (UniqueConstraint("round_id", "user_id", "film_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("jury_round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("film.id", ondelete="CASCADE"), index=True)
    manual: Mapped[bool] = mapped_column(default=False)


class Score(Base):
    """One juror's scores for one film in a round: a value per criterion name, and a comment."""

    __tablename__ = "jury_score"
    __table_args__ = (UniqueConstraint("round_id", "user_id", "film_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("jury_round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("film.id", ondelete="CASCADE"), index=True)
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conflict(Base):
    """A juror's declared conflict of interest with a film, or with a person (then every film they are
    credited on): such films are never assigned to them."""

    __tablename__ = "jury_conflict"
    __table_args__ = (
        CheckConstraint("(film_id IS NULL) <> (person_id IS NULL)", name="film_or_person"),
        UniqueConstraint("festival_id", "user_id", "film_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    film_id: Mapped[int | None] = mapped_column(ForeignKey("film.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
