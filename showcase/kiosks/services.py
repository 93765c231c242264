"""Kiosks: registration with a bearer token, what they report, and the commands staff send them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from showcase.audit.services import record, snapshot
from showcase.db import utcnow
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Screen
from showcase.kiosks import payloads
from showcase.kiosks.models import Kiosk, KioskCommand, Playlist, PlaylistVersion
from showcase.kiosks.publishing import notify_kiosks
from showcase.validation import Checker

if TYPE_CHECKING:
    from showcase.auth.models import User

# A command nobody picked up within this time is dropped: a "next" must not fire when a kiosk comes back later.
COMMAND_TTL = timedelta(seconds=60)


def hash_token(token: str) -> str:
    """What we store of a token: its sha256 (tokens are random, so no salt or stretching is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def list_kiosks() -> list[Kiosk]:
    """Every kiosk, by name."""
    return list(db.session.scalars(select(Kiosk).order_by(Kiosk.name)))


def get_kiosk(kiosk_id: int) -> Kiosk:
    """One kiosk; NotFound otherwise."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise NotFound("No such kiosk.")
    return kiosk


def find_kiosk(name: str) -> Kiosk:
    """A kiosk by name; NotFound otherwise."""
    kiosk = db.session.scalar(select(Kiosk).where(Kiosk.name == name))
    if kiosk is None:
        raise NotFound(f"No kiosk named “{name}”.")
    return kiosk


def add_kiosk(name: str, *, screen_id: int | None, actor: User | None = None) -> tuple[Kiosk, str]:
    """Register a kiosk; returns it and its token (shown once: only the hash is kept)."""
    checker = Checker()
    name = checker.text("name", name, label="Name", max_length=100)
    if name and db.session.scalar(select(Kiosk.id).where(Kiosk.name == name)) is not None:
        checker.fail("name", f"A kiosk named “{name}” exists already.")
    if screen_id is not None and db.session.get(Screen, screen_id) is None:
        checker.fail("screen_id", f"There is no screen {screen_id}.")
    checker.done()
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk(name=name, screen_id=screen_id, token_hash=hash_token(token))
    db.session.add(kiosk)
    db.session.flush()
    record(actor=actor, action="create", entity=kiosk, after=snapshot(kiosk, exclude=("token_hash",)))
    return kiosk, token


def new_token(kiosk: Kiosk, *, actor: User | None = None) -> str:
    """Replace the kiosk's token (the old one stops working at once); returns the new one."""
    token = secrets.token_urlsafe(32)
    kiosk.token_hash = hash_token(token)
    db.session.flush()
    record(actor=actor, action="new_token", entity=kiosk)
    return token


def kiosk_for_token(token: str | None) -> Kiosk | None:
    """The kiosk holding this bearer token, or None."""
    if not token:
        return None
    return db.session.scalar(select(Kiosk).where(Kiosk.token_hash == hash_token(token)))


def assign_playlist(kiosk: Kiosk, playlist_id: int | None, *, actor: User | None = None) -> None:
    """Give the kiosk a playlist (or none); it fetches the new manifest at once."""
    if playlist_id is not None and db.session.get(Playlist, playlist_id) is None:
        raise ValidationFailed({"playlist_id": "Choose an existing playlist."})
    before = kiosk.playlist_id
    kiosk.playlist_id = playlist_id
    db.session.flush()
    if playlist_id is not None:
        notify_kiosks(playlist_id, actor=actor)
    record(
        actor=actor,
        action="assign_playlist",
        entity=kiosk,
        before={"playlist_id": before},
        after={"playlist_id": playlist_id},
    )


def record_heartbeat(kiosk: Kiosk, data: Any, *, now: datetime | None = None) -> dict[str, Any]:
    """Keep a kiosk's latest state, with the film code and titles of the item it plays.

    ValidationFailed, and nothing kept, when it names a playlist, version or item it is not assigned.
    """
    clean = payloads.heartbeat(data)
    about = payloads.own_item(
        clean, assigned=kiosk.playlist_id, items=_version_items(kiosk.playlist_id, clean["playlist_version"])
    )
    state = {
        **clean,
        "film_code": about.get("film_code"),
        "item_title": about.get("title"),
        "item_title_en": about.get("title_en"),
        "item_seconds": about.get("seconds"),
    }
    kiosk.state = state
    kiosk.last_heartbeat_at = now or utcnow()
    db.session.flush()
    return state


def _version_items(playlist_id: int | None, version: int | None) -> dict[str, Any] | None:
    if playlist_id is None or version is None:
        return None
    return db.session.scalar(
        select(PlaylistVersion.items).where(
            PlaylistVersion.playlist_id == playlist_id, PlaylistVersion.version == version
        )
    )


def record_thumbnail(kiosk: Kiosk, body: bytes, content_type: str | None, *, now: datetime | None = None) -> None:
    """Keep the kiosk's latest picture of its output (a small JPEG)."""
    kiosk.thumbnail = payloads.thumbnail(body, content_type)
    kiosk.thumbnail_at = now or utcnow()
    db.session.flush()


def record_preflight(kiosk: Kiosk, data: Any, *, now: datetime | None = None) -> None:
    """Keep the kiosk's latest preflight report."""
    kiosk.preflight = payloads.preflight(data)
    kiosk.preflight_at = now or utcnow()
    db.session.flush()


def queue_command(
    kiosk: Kiosk, command: str, *, item_key: str | None = None, actor: User | None = None
) -> KioskCommand:
    """Queue an operator command for the kiosk to pick up with its next poll."""
    if command not in payloads.COMMANDS:
        raise ValidationFailed({"command": f"Unknown command “{command}”."})
    if command == "jump" and not item_key:
        raise ValidationFailed({"item_key": "Choose the item to jump to."})
    args = {"item_key": item_key} if command == "jump" else {}
    queued = KioskCommand(kiosk_id=kiosk.id, command=command, args=args, created_by_id=getattr(actor, "id", None))
    db.session.add(queued)
    db.session.flush()
    record(actor=actor, action="command", entity=kiosk, after={"command": command, **args})
    return queued


def pending_commands(kiosk: Kiosk, *, now: datetime | None = None) -> list[KioskCommand]:
    """Commands not yet acknowledged and not expired, oldest first."""
    since = (now or utcnow()) - COMMAND_TTL
    return list(
        db.session.scalars(
            select(KioskCommand)
            .where(KioskCommand.kiosk_id == kiosk.id, KioskCommand.acked_at.is_(None), KioskCommand.created_at >= since)
            .order_by(KioskCommand.id)
        )
    )


def ack_command(kiosk: Kiosk, command_id: int, *, now: datetime | None = None) -> KioskCommand:
    """Mark the kiosk's command as received (again is harmless); NotFound for anyone else's."""
    command = db.session.get(KioskCommand, command_id)
    if command is None or command.kiosk_id != kiosk.id:
        raise NotFound("No such command for this kiosk.")
    if command.acked_at is None:
        command.acked_at = now or utcnow()
        db.session.flush()
    return command


def recent_commands(kiosk: Kiosk, *, limit: int = 5) -> list[KioskCommand]:
    """The kiosk's latest commands, newest first."""
    return list(
        db.session.scalars(
            select(KioskCommand).where(KioskCommand.kiosk_id == kiosk.id).order_by(KioskCommand.id.desc()).limit(limit)
        )
    )
