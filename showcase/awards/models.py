"""Award categories and the films that won them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base
from showcase.films.models import Film


class AwardCategory(Base):
    __tablename__ = "award_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    display_order: Mapped[int] = mapped_column(default=0)

    awards: Mapped[list[Award]] = relationship(
        back_populates="category",
        cascade="all, delete-orphan",
        order_by="(Award.placement, Award.id)",
    )


class Award(Base):
    """One film's placement in a category; two films may share a placement."""

    __tablename__ = "award"
    __table_args__ = (
        UniqueConstraint("category_id", "film_id"),
        CheckConstraint("placement >= 1", name="placement_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("award_category.id", ondelete="CASCADE"), index=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("film.id", ondelete="CASCADE"), index=True)
    placement: Mapped[int] = mapped_column(default=1)
    citation: Mapped[str] = mapped_column(Text, default="")
    citation_en: Mapped[str] = mapped_column(Text, default="")
    # Embargo: hidden from guests until the ceremony reveals it.
    revealed_at: Mapped[datetime | None]

    category: Mapped[AwardCategory] = relationship(back_populates="awards")
    film: Mapped[Film] = relationship()
