"""Publishing a playlist draft: the manifest is built once and frozen as a PlaylistVersion."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from playlists import format as fmt
from playlists.ordering import OrderingError, RunningEntry, running_order_items
from showcase.audit.services import record
from showcase.db import utcnow
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.kiosks import drafts
from showcase.kiosks.models import Kiosk, KioskCommand, Playlist, PlaylistItem, PlaylistVersion
from showcase.messages import N_, Message
from showcase.schedule.models import ScheduleSession

if TYPE_CHECKING:
    from showcase.auth.models import User


def media_uri(sha256: str, path: str) -> str:
    """Where a film's file sits beside an exported manifest (and its name in the server manifest)."""
    return f"media/{sha256}{PurePosixPath(path).suffix.lower()}"


def _entry(item: PlaylistItem) -> RunningEntry:
    media, runtime = None, None
    if item.kind == "film" and item.film is not None and item.film.media_asset is not None:
        asset = item.film.media_asset
        media = fmt.Media(
            uri=media_uri(asset.sha256, asset.path),
            sha256=asset.sha256,
            bytes=asset.byte_size,
            duration=asset.duration_seconds or None,
        )
        # the film's listed runtime, for the kiosk's preflight to tell a wrong file (duration is the file's own)
        runtime = float(item.film.runtime_seconds) if item.film.runtime_seconds else None
    return RunningEntry(
        key=item.key,
        kind=item.kind,
        title=item.title,
        title_en=item.title_en or None,
        seconds=item.seconds,
        text=item.text or None,
        media=media,
        hold=item.hold,
        runtime=runtime,
    )


def _check_publishable(playlist: Playlist) -> None:
    if not playlist.items:
        raise ValidationFailed({"items": N_("The playlist is empty: add items before publishing.")})
    missing = [
        item.title or f"item {n}"
        for n, item in enumerate(playlist.items, start=1)
        if item.kind == "film" and (item.film is None or item.film.media_asset is None)
    ]
    if missing:
        films = ", ".join(missing)
        message = N_("These films have no media file registered yet: %(films)s. Register their files, or remove them.")
        raise ValidationFailed({"items": Message(message, {"films": films})})


def build(playlist: Playlist, *, version: int, published_at) -> fmt.Playlist:
    """The draft as a playlists.format.Playlist (films with media, other items as title cards)."""
    try:
        items = running_order_items(_entry(item) for item in playlist.items)
    except OrderingError as exc:
        raise ValidationFailed({"items": str(exc)}) from None
    if playlist.source == "show":
        session = db.session.get(ScheduleSession, playlist.session_id) if playlist.session_id else None
        items = cued(items, [entry.cue_mode for entry in session.items] if session else [])
    return fmt.Playlist(
        id=str(playlist.id),
        version=version,
        title=playlist.title,
        title_en=playlist.title_en or None,
        published_at=published_at,
        items=tuple(items),
    )


def cued(items: Sequence[fmt.Item], modes: Sequence[str]) -> list[fmt.Item]:
    """A live show's items (modes: each cue's "manual" or "follow"): a card lasts until the next command, and
    an item waits for its GO unless it follows a film (only films end by themselves on the kiosk)."""
    result = []
    for n, item in enumerate(items):
        follows_film = 0 < n < len(modes) and modes[n] == "follow" and items[n - 1].kind == "film"
        seconds = None if item.kind == "card" else item.card_seconds
        result.append(replace(item, card_seconds=seconds, waits=not follows_film))
    return result


def publish_show(session: ScheduleSession, *, actor: User | None = None) -> Playlist:
    """The session's show playlist, published again when its running order changed since the latest version."""
    playlist = drafts.show_playlist(session, actor=actor)
    latest = latest_version(playlist.id)
    if latest is None or _content(build(playlist, version=latest.version, published_at=utcnow())) != _content(
        fmt.from_json(latest.manifest)
    ):
        publish(playlist, actor=actor)
    return playlist


def _content(built: fmt.Playlist) -> str:
    """A manifest without its version and time: what a kiosk would show."""
    data = fmt.to_dict(built)
    return json.dumps({k: v for k, v in data.items() if k not in ("version", "published_at")}, sort_keys=True)


def _lookup(playlist: Playlist, built: fmt.Playlist) -> dict[str, dict[str, Any]]:
    codes = {item.key: item.film.code for item in playlist.items if item.film is not None}
    return {
        item.key: {
            "title": item.title,
            "title_en": item.title_en,
            "film_code": codes.get(item.key),
            "seconds": item.expected_seconds,
            "sha256": item.media.sha256 if item.media else None,
        }
        for item in built.items
    }


def publish(playlist: Playlist, *, actor: User | None = None) -> PlaylistVersion:
    """Freeze the draft as the next version and tell the kiosks that play it to fetch it."""
    _check_publishable(playlist)
    number = playlist.published_version + 1
    built = build(playlist, version=number, published_at=utcnow().replace(microsecond=0))
    manifest = fmt.to_json(built)
    fmt.from_json(manifest)  # what the kiosk will refuse must never be published
    version = PlaylistVersion(
        playlist_id=playlist.id,
        version=number,
        manifest=manifest,
        etag=f"p{playlist.id}-v{number}-{hashlib.sha256(manifest.encode()).hexdigest()[:16]}",
        items=_lookup(playlist, built),
        published_at=built.published_at,
        total_seconds=sum((i.expected_seconds or 0) + i.hold for i in built.items),
        published_by_id=getattr(actor, "id", None),
    )
    playlist.published_version = number
    db.session.add(version)
    db.session.flush()
    notify_kiosks(playlist.id, actor=actor)
    record(actor=actor, action="publish", entity=playlist, after={"version": number, "etag": version.etag})
    return version


def notify_kiosks(playlist_id: int, *, actor: User | None = None) -> int:
    """Queue a `reload` for every kiosk assigned this playlist, so it fetches the manifest now."""
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.playlist_id == playlist_id)).all()
    for kiosk in kiosks:
        db.session.add(
            KioskCommand(kiosk_id=kiosk.id, command="reload", args={}, created_by_id=getattr(actor, "id", None))
        )
    db.session.flush()
    return len(kiosks)


def latest_version(playlist_id: int | None) -> PlaylistVersion | None:
    """The newest published version of a playlist, or None."""
    if playlist_id is None:
        return None
    return db.session.scalar(
        select(PlaylistVersion)
        .where(PlaylistVersion.playlist_id == playlist_id)
        .order_by(PlaylistVersion.version.desc())
        .limit(1)
    )


def get_version(playlist: Playlist, number: int | None) -> PlaylistVersion:
    """A published version of the playlist (the newest when `number` is None); NotFound otherwise."""
    if number is None:
        found = latest_version(playlist.id)
    else:
        found = db.session.scalar(
            select(PlaylistVersion).where(PlaylistVersion.playlist_id == playlist.id, PlaylistVersion.version == number)
        )
    if found is None:
        raise NotFound(N_("That playlist version has not been published."))
    return found
