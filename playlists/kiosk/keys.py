"""Operator keys on the kiosk's terminal: space pause/play, n next, p previous, r reload, q quit."""

from __future__ import annotations

import contextlib
import logging
import queue
import select
import sys
import threading
from typing import Any

from playlists.kiosk.link import Command

log = logging.getLogger(__name__)

KEYS = {" ": "toggle", "n": "next", "p": "previous", "r": "reload", "q": "quit"}


def command_for_key(key: str) -> Command | None:
    """The command a key stands for, or None."""
    name = KEYS.get(key.lower())
    return Command(name) if name else None


def start_key_reader(inbox: queue.Queue[Any], stop: threading.Event) -> threading.Thread | None:
    """Read single keys from a terminal in a thread; None when stdin is not a terminal."""
    if not sys.stdin.isatty():
        return None
    thread = threading.Thread(target=_read_keys, args=(inbox, stop), name="kiosk-keys", daemon=True)
    thread.start()
    log.info("keys: space pause/play, n next, p previous, r reload, q quit")
    return thread


def _read_keys(inbox: queue.Queue[Any], stop: threading.Event) -> None:
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while not stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            command = command_for_key(sys.stdin.read(1))
            if command and command.name == "quit":
                stop.set()
            elif command:
                inbox.put(command)
    finally:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
