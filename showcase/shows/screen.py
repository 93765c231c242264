"""The venue screen follows the show (being built: the kiosk side of show control)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def cue(show: Any, item: Any, *, at: datetime, actor: Any) -> None:
    """Put the cue's picture on the session's screen."""


def pause(show: Any, *, paused: bool, actor: Any) -> None:
    """Pause or resume the screen with the show."""


def finish(show: Any, *, actor: Any) -> None:
    """The show ended or was reset."""
