"""Kiosks: registration with a bearer token, what they report, and the commands staff send them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from showcase.audit.services import record, snapshot
from showcase.auth.tokens import hash_token
from showcase.db import utcnow
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Screen
from showcase.kiosks import payloads
from showcase.kiosks.models import Kiosk, KioskCommand, Playlist, PlaylistVersion
from showcase.kiosks.publishing import notify_kiosks
from showcase.messages import N_
from showcase.validation import Checker

if TYPE_CHECKING:
    from showcase.auth.models import User

# A command nobody picked up within this time is dropped: a "next" must not fire when a kiosk comes back later.
# A standing command (the screen following a show) is kept until the kiosk takes it or a later one replaces it.
COMMAND_TTL = timedelta(seconds=60)
# what each standing command makes moot among the earlier ones the kiosk has not taken yet
SUPERSEDES = {"jump": ("jump", "pause", "play", "stop"), "stop": ("jump", "pause", "play", "stop")}
SUPERSEDES.update(pause=("pause", "play"), play=("pause", "play"))


@dataclass(frozen=True)
class Timing:
    """Where the item of a jump is now: it was at 0 s at `started_at` (server clock), and stands still from
    `paused_at` when that is set. The kiosk gets the seconds as of the moment it takes the command."""

    started_at: datetime
    paused_at: datetime | None = None

    def seconds(self, now: datetime) -> float:
        """Seconds into the item at `now`."""
        return max(0.0, ((self.paused_at or now) - self.started_at).total_seconds())


@dataclass(frozen=True)
class PendingCommand:
    """A command as a kiosk receives it: a jump's `start` reckoned when it is handed over."""

    id: int
    command: str
    args: dict[str, Any]


def list_kiosks() -> list[Kiosk]:
    """Every kiosk, by name."""
    return list(db.session.scalars(select(Kiosk).order_by(Kiosk.name)))


def get_kiosk(kiosk_id: int) -> Kiosk:
    """One kiosk; NotFound otherwise."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise NotFound(N_("No such kiosk."))
    return kiosk


def find_kiosk(name: str) -> Kiosk:
    """A kiosk by name; NotFound otherwise."""
    kiosk = db.session.scalar(select(Kiosk).where(Kiosk.name == name))
    if kiosk is None:
        raise NotFound(N_("No kiosk named “%(name)s”.", name=name))
    return kiosk


def add_kiosk(name: str, *, screen_id: int | None, actor: User | None = None) -> tuple[Kiosk, str]:
    """Register a kiosk; returns it and its token (shown once: only the hash is kept)."""
    checker = Checker()
    name = checker.text("name", name, label=N_("Name"), max_length=100)
    if name and db.session.scalar(select(Kiosk.id).where(Kiosk.name == name)) is not None:
        checker.fail("name", N_("A kiosk named “%(name)s” exists already.", name=name))
    if screen_id is not None and db.session.get(Screen, screen_id) is None:
        checker.fail("screen_id", N_("There is no screen %(screen_id)s.", screen_id=screen_id))
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


def assign_playlist(kiosk: Kiosk, playlist_id: int | None, *, actor: User | None = None, notify: bool = True) -> None:
    """Give the kiosk a playlist (or none); it fetches the new manifest at once (the caller tells it, without
    `notify`)."""
    if playlist_id is not None and db.session.get(Playlist, playlist_id) is None:
        raise ValidationFailed({"playlist_id": N_("Choose an existing playlist.")})
    before = kiosk.playlist_id
    kiosk.playlist_id = playlist_id
    db.session.flush()
    if playlist_id is not None and notify:
        notify_kiosks(playlist_id, actor=actor)
    record(
        actor=actor,
        action="assign_playlist",
        entity=kiosk,
        before={"playlist_id": before},
        after={"playlist_id": playlist_id},
    )


def kiosks_on_screen(screen_id: int | None) -> list[Kiosk]:
    """The kiosks that drive this screen (none for no screen), by id."""
    if screen_id is None:
        return []
    return list(db.session.scalars(select(Kiosk).where(Kiosk.screen_id == screen_id).order_by(Kiosk.id)))


def put_on_screen(playlist: Playlist, screen_id: int | None, *, actor: User | None = None) -> list[Kiosk]:
    """Assign the playlist to every kiosk on the screen (the audit log keeps what each played before)."""
    kiosks = kiosks_on_screen(screen_id)
    newly = [kiosk for kiosk in kiosks if kiosk.playlist_id != playlist.id]
    for kiosk in newly:
        assign_playlist(kiosk, playlist.id, actor=actor, notify=False)
    for kiosk in newly:
        db.session.add(
            KioskCommand(kiosk_id=kiosk.id, command="reload", args={}, created_by_id=getattr(actor, "id", None))
        )
    db.session.flush()
    return kiosks


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
    kiosk: Kiosk,
    command: str,
    *,
    item_key: str | None = None,
    timing: Timing | None = None,
    standing: bool = False,
    actor: User | None = None,
    now: datetime | None = None,
) -> KioskCommand:
    """Queue a command for the kiosk to pick up with its next poll.

    A `standing` command (a show's) never expires and replaces the kiosk's earlier standing commands it makes
    moot (SUPERSEDES), marked taken: a kiosk that was away gets only the latest. A jump's `timing` tells the
    kiosk how far into the item the show is when it takes the command.
    """
    if command not in payloads.COMMANDS:
        raise ValidationFailed({"command": N_("Unknown command “%(command)s”.", command=command)})
    if command == "jump" and not item_key:
        raise ValidationFailed({"item_key": N_("Choose the item to jump to.")})
    args: dict[str, Any] = {"item_key": item_key} if command == "jump" else {}
    if timing is not None and command == "jump":
        args["started_at"] = timing.started_at.isoformat()
        args["paused_at"] = timing.paused_at.isoformat() if timing.paused_at else None
    if standing:
        args["standing"] = True
        _supersede(kiosk, SUPERSEDES.get(command, ()), now=now or utcnow())
    queued = KioskCommand(kiosk_id=kiosk.id, command=command, args=args, created_by_id=getattr(actor, "id", None))
    db.session.add(queued)
    db.session.flush()
    record(actor=actor, action="command", entity=kiosk, after={"command": command, **args})
    return queued


def _supersede(kiosk: Kiosk, names: tuple[str, ...], *, now: datetime) -> None:
    # marked taken rather than deleted: a kiosk acknowledging one it was already handed still gets its 200
    for earlier in _untaken(kiosk):
        if earlier.command in names and (earlier.args or {}).get("standing"):
            earlier.acked_at = now


def _untaken(kiosk: Kiosk, *, since: datetime | None = None) -> list[KioskCommand]:
    """Commands the kiosk has not taken; with `since`, only those newer and those that may be standing."""
    query = select(KioskCommand).where(KioskCommand.kiosk_id == kiosk.id, KioskCommand.acked_at.is_(None))
    if since is not None:
        query = query.where(or_(KioskCommand.created_at >= since, KioskCommand.command.in_(SUPERSEDES)))
    return list(db.session.scalars(query.order_by(KioskCommand.id)))


def pending_commands(kiosk: Kiosk, *, now: datetime | None = None) -> list[PendingCommand]:
    """Commands not yet acknowledged, oldest first, as the kiosk gets them at `now`: expired ones left out
    (standing ones never expire), a jump's `start` reckoned now on the server's clock (no kiosk clock in it)."""
    now = now or utcnow()
    since = now - COMMAND_TTL
    return [
        PendingCommand(command.id, command.command, _handed_over(command.args or {}, now))
        for command in _untaken(kiosk, since=since)
        if command.created_at >= since or (command.args or {}).get("standing")
    ]


def _handed_over(stored: dict[str, Any], now: datetime) -> dict[str, Any]:
    if not stored.get("started_at"):
        return dict(stored)
    paused_at = stored.get("paused_at") and datetime.fromisoformat(stored["paused_at"])
    timing = Timing(datetime.fromisoformat(stored["started_at"]), paused_at or None)
    return {"item_key": stored.get("item_key"), "start": round(timing.seconds(now), 3), "standing": True}


def ack_command(kiosk: Kiosk, command_id: int, *, now: datetime | None = None) -> KioskCommand:
    """Mark the kiosk's command as received (again is harmless); NotFound for anyone else's."""
    command = db.session.get(KioskCommand, command_id)
    if command is None or command.kiosk_id != kiosk.id:
        raise NotFound(N_("No such command for this kiosk."))
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
