"""Films, the people who made them, and their media."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base, TimestampMixin, VersionedMixin, utcnow
from showcase.films.fields import (
    EMAIL_LENGTH,
    FILM_STATUSES,
    FILM_TEXT,
    PERSON_NAME,
    PERSON_NAME_EN,
    ROLE_LENGTH,
    SLUG_LENGTH,
)


class ShortCode(Base):
    """Every guest-page code ever issued: a code is never handed out twice."""

    __tablename__ = "short_code"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediaAsset(Base):
    __tablename__ = "media_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)  # relative to MEDIA_ROOT
    byte_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    container: Mapped[str] = mapped_column(String(40), default="")
    video_codec: Mapped[str] = mapped_column(String(40), default="")
    audio_codec: Mapped[str] = mapped_column(String(40), default="")
    width: Mapped[int | None]
    height: Mapped[int | None]
    probed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Film(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "film"
    __table_args__ = (
        UniqueConstraint("festival_id", "slug"),
        UniqueConstraint("festival_id", "external_id"),
        CheckConstraint("runtime_seconds > 0", name="runtime_positive"),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in FILM_STATUSES)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(ForeignKey("short_code.code"), unique=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    title: Mapped[str] = mapped_column(String(FILM_TEXT["title"].max_length))
    title_en: Mapped[str] = mapped_column(String(FILM_TEXT["title_en"].max_length), default="")
    runtime_seconds: Mapped[int]
    synopsis: Mapped[str] = mapped_column(Text, default="")
    synopsis_en: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None]
    country: Mapped[str] = mapped_column(String(FILM_TEXT["country"].max_length), default="")
    language: Mapped[str] = mapped_column(String(FILM_TEXT["language"].max_length), default="")
    subtitles: Mapped[str] = mapped_column(String(FILM_TEXT["subtitles"].max_length), default="")
    content_advisory: Mapped[str] = mapped_column(String(FILM_TEXT["content_advisory"].max_length), default="")
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    poster_path: Mapped[str | None] = mapped_column(String(300))
    media_asset_id: Mapped[int | None] = mapped_column(ForeignKey("media_asset.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(FILM_TEXT["external_id"].max_length))
    contact_email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), default="")

    credits: Mapped[list[Credit]] = relationship(
        back_populates="film", cascade="all, delete-orphan", order_by="Credit.display_order"
    )
    media_asset: Mapped[MediaAsset | None] = relationship()

    @property
    def display_title(self) -> str:
        return self.title_en or self.title


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(PERSON_NAME.max_length), index=True)
    name_en: Mapped[str] = mapped_column(String(PERSON_NAME_EN.max_length), default="")
    bio: Mapped[str] = mapped_column(Text, default="")


class Credit(Base):
    __tablename__ = "credit"

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("film.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(ROLE_LENGTH))
    display_order: Mapped[int] = mapped_column(default=0)

    film: Mapped[Film] = relationship(back_populates="credits")
    person: Mapped[Person] = relationship()
