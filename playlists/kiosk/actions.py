"""What the sequencer tells the runner to do, and the place it saves: plain values, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass

from playlists.format import Item


@dataclass(frozen=True)
class Place:
    """Where the kiosk is: saved to disk so a restart resumes here."""

    playlist_id: str
    version: int
    item_key: str
    position: float


@dataclass(frozen=True)
class Play:
    """Show this item from `start` seconds; events for it carry `token`."""

    index: int
    item: Item
    start: float
    token: int


@dataclass(frozen=True)
class Prepare:
    """Parse the next item ahead so the switch has no gap."""

    item: Item


@dataclass(frozen=True)
class Pause:
    """Pause the player."""


@dataclass(frozen=True)
class Resume:
    """Resume the paused player."""


@dataclass(frozen=True)
class Stop:
    """Stop the player."""


@dataclass(frozen=True)
class Done:
    """An item finished (played to its end, or left by an operator command)."""

    index: int
    key: str
    played: float
    how: str


@dataclass(frozen=True)
class Failed:
    """An item failed and was skipped; `problem` is for the log and the heartbeat."""

    index: int
    key: str
    problem: str


@dataclass(frozen=True)
class Switched:
    """A new playlist version was taken at an item boundary."""

    playlist_id: str
    old_version: int | None
    new_version: int


Action = Play | Prepare | Pause | Resume | Stop | Done | Failed | Switched
