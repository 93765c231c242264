"""Playback machines at the venue, the playlists they play, and the commands staff send them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showcase.db import Base, TimestampMixin, utcnow
from showcase.festivals.models import Screen
from showcase.films.models import Film


class Playlist(TimestampMixin, Base):
    """A festival's editable playlist (the draft); publishing freezes it into a PlaylistVersion."""

    __tablename__ = "playlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festival.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(16), default="manual")  # session, awards or manual
    session_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_session.id", ondelete="SET NULL"))
    published_version: Mapped[int] = mapped_column(default=0)

    items: Mapped[list[PlaylistItem]] = relationship(
        back_populates="playlist", cascade="all, delete-orphan", order_by="PlaylistItem.position"
    )
    versions: Mapped[list[PlaylistVersion]] = relationship(
        back_populates="playlist",
        cascade="all, delete-orphan",
        order_by="PlaylistVersion.version.desc()",
        passive_deletes=True,
    )


class PlaylistItem(Base):
    """A film that plays, or a title card (any other running-order kind) shown for `seconds`."""

    __tablename__ = "playlist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(ForeignKey("playlist.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # one of playlists.ordering.RUNNING_KINDS
    film_id: Mapped[int | None] = mapped_column(ForeignKey("film.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    hold: Mapped[float] = mapped_column(Float, default=0.0)

    playlist: Mapped[Playlist] = relationship(back_populates="items")
    film: Mapped[Film | None] = relationship()

    @property
    def key(self) -> str:
        """Manifest key: stable across versions, so a kiosk keeps its place when a new version arrives."""
        return f"item-{self.id}"


class PlaylistVersion(Base):
    """A published playlist: the manifest text is frozen; rows are never updated."""

    __tablename__ = "playlist_version"
    __table_args__ = (UniqueConstraint("playlist_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(ForeignKey("playlist.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    manifest: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(80))
    # item key → {"title", "title_en", "film_code", "seconds", "sha256"}: what heartbeats and media checks need
    items: Mapped[dict[str, Any]] = mapped_column(JSON)
    total_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    playlist: Mapped[Playlist] = relationship(back_populates="versions")


class ImmutableVersion(RuntimeError):
    """A published playlist version was about to be changed."""


@event.listens_for(PlaylistVersion, "before_update")
def _refuse_update(_mapper, _connection, target: PlaylistVersion) -> None:
    raise ImmutableVersion(f"playlist version {target.playlist_id}/v{target.version} is published and frozen")


class Kiosk(Base):
    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id", ondelete="SET NULL"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime | None]
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    playlist_id: Mapped[int | None] = mapped_column(ForeignKey("playlist.id", ondelete="SET NULL"), index=True)
    preflight: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    preflight_at: Mapped[datetime | None]
    # a small JPEG of what the kiosk's output shows, read back from its screen every few seconds
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    thumbnail_at: Mapped[datetime | None]

    screen: Mapped[Screen | None] = relationship()
    playlist: Mapped[Playlist | None] = relationship()


class KioskCommand(Base):
    """An operator command waiting for (or acknowledged by) one kiosk."""

    __tablename__ = "kiosk_command"

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id", ondelete="CASCADE"), index=True)
    command: Mapped[str] = mapped_column(String(16))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    acked_at: Mapped[datetime | None]
