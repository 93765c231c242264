"""The kiosk's memory over a long show: glibc's allocator tuned before libvlc starts, trimmed between cuts.

libvlc frees what it allocates, but glibc keeps what is freed: it raises its mmap threshold to the largest
block freed (a title card's picture, ~2.8 MB), after which every video picture (~400 KB) comes from a heap
instead of a mapping of its own, and each cut's new decoder and video threads take heaps of their own. Left
alone, resident memory grows by hundreds of MB an hour of cuts while the memory in use stays level.

- `tune()` fixes the mmap threshold at 128 KiB (glibc's default, which also turns the raise off): pictures
  are mapped and unmapped whole.
- `tune()` also caps glibc's heaps at two (`ARENA_MAX`). Without the cap every thread that meets a busy heap
  gets a heap of its own, up to eight per core; libvlc starts and ends decoder, video and audio threads at
  every cut, and what each heap keeps free is held apart from the others. With two, the freed memory is
  found again by the next item's threads.
- `Trimmer` calls `malloc_trim(0)`, which gives the free pages inside the heaps back to the system. It takes
  each heap's lock while it walks it, so the kiosk calls it on its own thread, away from the cuts: once per
  item, a while after its picture, when no item is opening and the next cut is not near.

On another C library both do nothing.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import threading
import time
from collections.abc import Callable

log = logging.getLogger("showcase.kiosk")

MMAP_THRESHOLD = 128 * 1024
ARENA_MAX = 2
_M_MMAP_THRESHOLD = -3  # mallopt's parameter numbers (glibc's malloc.h)
_M_ARENA_MAX = -8
TRIM_AFTER = 0.5  # seconds after a picture: the cut and the opening of the next item are behind
TRIM_CLEAR = 1.0  # seconds the next cut must be away at least


def _glibc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def tune() -> bool:
    """Fix glibc's mmap threshold and cap its heaps (call it before any thread starts); True when applied."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(_M_ARENA_MAX, ARENA_MAX))


class Trimmer:
    """Gives freed memory back once per item, on the thread that calls `tick`, away from the cuts."""

    def __init__(self) -> None:
        libc = _glibc()
        self._trim: Callable[[int], int] | None = libc.malloc_trim if libc is not None else None
        self._picture_at: float | None = None
        self.done: list[tuple[int, float, float]] = []  # the last trims: (thread id, epoch seconds, seconds taken)

    def picture(self, at: float) -> None:
        """An item's first picture was on screen at `at` (monotonic): trim once, a while later."""
        self._picture_at = at

    def tick(self, now: float, *, busy: bool, remaining: float | None) -> bool:
        """Trim if due, no item is opening (`busy`) and the cut is `remaining` s away or more; True if it did."""
        if self._trim is None or self._picture_at is None or busy or now - self._picture_at < TRIM_AFTER:
            return False
        if remaining is not None and remaining < TRIM_CLEAR:
            return False
        self._picture_at = None
        started, at = time.monotonic(), time.time()
        self._trim(0)
        took = time.monotonic() - started
        self.done = [*self.done[-99:], (threading.get_ident(), at, took)]
        log.debug("malloc_trim took %.1f ms", took * 1000)
        return True
