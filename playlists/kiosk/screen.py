"""The kiosk's own X windows: the only module that imports Xlib.

One black, undecorated window covers the output (the whole screen, or `--screen WIDTHxHEIGHT+X+Y`), with
the pointer hidden over it. It holds two black panes of its size, one per libvlc player: the player on
screen draws into the top pane while the other prepares the next item underneath; a cut raises the other
pane. The window is override-redirect, so it is placed exactly, with or without a window manager, and
nothing of the desktop shows behind or between items. libvlc scales each picture into its pane with the
aspect ratio kept, on black.

Like libvlc, the window is driven from one thread only: the kiosk's playback thread. `ScreenWatch` looks
at what the output shows through a connection of its own, on a thread of its own, and draws nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image
from Xlib import X, display, error

_GEOMETRY = re.compile(r"^(\d+)x(\d+)([+-]\d+)([+-]\d+)$")


@dataclass(frozen=True)
class Geometry:
    """A rectangle of the X screen, in pixels."""

    width: int
    height: int
    x: int = 0
    y: int = 0

    @classmethod
    def parse(cls, text: str) -> Geometry:
        """WIDTHxHEIGHT+X+Y, e.g. 1920x1080+1920+0 for the second of two 1080p outputs."""
        found = _GEOMETRY.match(text.strip())
        if not found or int(found.group(1)) <= 0 or int(found.group(2)) <= 0:
            raise ValueError(f"{text!r} is not a screen geometry like 1920x1080+0+0")
        width, height, x, y = (int(group) for group in found.groups())
        return cls(width, height, x, y)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}{self.x:+d}{self.y:+d}"


class ScreenError(RuntimeError):
    """The X display cannot be opened or used."""


class Screen:
    """The kiosk's window and its two panes on an X display."""

    def __init__(self, geometry: Geometry | None = None, *, display_name: str | None = None) -> None:
        name = display_name or os.environ.get("DISPLAY")
        if not name:
            raise ScreenError("no X display: set DISPLAY, or run with --headless")
        self.display_name = name
        try:
            self._display = display.Display(name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise ScreenError(f"cannot open the X display {name}: {exc}") from exc
        screen = self._display.screen()
        root = screen.root
        self.geometry = geometry or Geometry(screen.width_in_pixels, screen.height_in_pixels)
        black = screen.black_pixel
        blank = root.create_pixmap(1, 1, 1)
        self._cursor = blank.create_cursor(blank, (0, 0, 0), (0, 0, 0), 0, 0)  # an empty pointer
        blank.free()
        g = self.geometry
        self._window = root.create_window(
            g.x,
            g.y,
            g.width,
            g.height,
            0,
            screen.root_depth,
            X.InputOutput,
            X.CopyFromParent,
            background_pixel=black,
            override_redirect=True,
            cursor=self._cursor,
        )
        self._window.set_wm_name("showcase-kiosk")
        self._window.set_wm_class("showcase-kiosk", "showcase-kiosk")
        self._panes = [
            self._window.create_window(
                0,
                0,
                g.width,
                g.height,
                0,
                screen.root_depth,
                X.InputOutput,
                X.CopyFromParent,
                background_pixel=black,
                cursor=self._cursor,
                backing_store=X.Always,  # the pane underneath keeps the first frame drawn into it
            )
            for _ in range(2)
        ]
        for pane in self._panes:
            pane.map()
        self._window.map()
        self._window.configure(stack_mode=X.Above)
        self._keep_awake()
        self._display.sync()

    def _keep_awake(self) -> None:
        """No screen saver and no power saving: nobody touches a kiosk's keyboard, and X would otherwise blank
        the screen after ten minutes (a title card, a pause, a show between films) or put the output to sleep."""
        self._display.set_screen_saver(0, 0, X.DontPreferBlanking, X.AllowExposures)
        if self._display.has_extension("DPMS"):
            self._display.dpms_disable()

    def renders_in_hardware(self) -> bool:
        """Whether OpenGL on this display can draw on a graphics card: the X server offers direct rendering (DRI2
        or DRI3 for Mesa's drivers, NV-GLX for NVIDIA's). Xvfb, a virtual machine and a machine without a GPU
        driver offer neither: their OpenGL is Mesa's llvmpipe, drawing on the CPU."""
        return bool(set(self._display.list_extensions()) & {"DRI2", "DRI3", "NV-GLX"})

    def pane(self, index: int) -> int:
        """The X window id of pane 0 or 1, for libvlc's set_xwindow."""
        return self._panes[index].id

    def show(self, index: int) -> None:
        """Put pane `index` on top, and the kiosk's window above everything else."""
        self._panes[index].configure(stack_mode=X.Above)
        self._window.configure(stack_mode=X.Above)
        self._display.flush()

    def close(self) -> None:
        try:
            self._window.destroy()
            self._display.close()
        except (error.ConnectionClosedError, OSError):
            pass


@dataclass(frozen=True)
class Look:
    """What ScreenWatch last saw: when the picture last changed (time.monotonic()), and a thumbnail."""

    changed_at: float | None
    thumbnail: bytes | None
    thumbnail_at: float | None


class ScreenWatch:
    """Reads the output back, as the audience sees it: when the picture last changed, and a small JPEG.

    Every `every` seconds it reads a few full-width rows of the area (a few kilobytes through X, far cheaper
    than the whole picture) and compares them with the last ones; every `thumbnail_every` seconds it reads
    the whole area once and keeps it scaled to `thumbnail_width` pixels wide.
    """

    ROWS = 12

    def __init__(
        self,
        display_name: str,
        area: Geometry,
        *,
        every: float = 0.2,
        thumbnail_every: float = 5.0,
        thumbnail_width: int = 320,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self.area, self.every, self.thumbnail_every = area, every, thumbnail_every
        self.busy = busy  # True near a cut: reading the whole picture then could delay the playback thread
        self.thumbnail_width = thumbnail_width
        try:
            self._display = display.Display(display_name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise ScreenError(f"cannot open the X display {display_name}: {exc}") from exc
        self._root = self._display.screen().root
        self._lock = threading.Lock()
        self._look = Look(None, None, None)
        self._rows_digest: bytes | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-screen-watch", daemon=True)

    def start(self) -> ScreenWatch:
        self._thread.start()
        return self

    def look(self) -> Look:
        """The latest reading (safe from any thread)."""
        with self._lock:
            return self._look

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        with contextlib.suppress(error.ConnectionClosedError, OSError):
            self._display.close()

    def _run(self) -> None:
        next_thumbnail = 0.0
        while not self._stop.wait(self.every):
            try:
                self._read_rows()
                if time.monotonic() >= next_thumbnail and not self.busy():
                    self._read_thumbnail()
                    next_thumbnail = time.monotonic() + self.thumbnail_every
            except (error.XError, error.ConnectionClosedError, OSError):
                return  # the display went away: the heartbeat then says nothing about the picture

    def _read_rows(self) -> None:
        a = self.area
        digest = hashlib.blake2b(digest_size=16)
        for n in range(self.ROWS):
            y = a.y + (2 * n + 1) * a.height // (2 * self.ROWS)
            digest.update(self._root.get_image(a.x, y, a.width, 1, X.ZPixmap, 0xFFFFFFFF).data)
        value = digest.digest()
        if value != self._rows_digest:
            self._rows_digest = value
            with self._lock:
                self._look = Look(time.monotonic(), self._look.thumbnail, self._look.thumbnail_at)

    def _read_thumbnail(self) -> None:
        a = self.area
        reply = self._root.get_image(a.x, a.y, a.width, a.height, X.ZPixmap, 0xFFFFFFFF)
        if reply.depth not in (24, 32):
            return
        picture = Image.frombuffer("RGB", (a.width, a.height), reply.data, "raw", "BGRX", 0, 1)
        height = max(1, round(a.height * self.thumbnail_width / a.width))
        small = picture.resize((self.thumbnail_width, height), Image.Resampling.BILINEAR, reducing_gap=2.0)
        buffer = io.BytesIO()
        small.save(buffer, format="JPEG", quality=70)
        with self._lock:
            self._look = Look(self._look.changed_at, buffer.getvalue(), time.monotonic())
