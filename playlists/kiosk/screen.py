"""The kiosk's own X windows: the only module that imports Xlib.

One black, undecorated window covers the output (the whole screen, or `--screen WIDTHxHEIGHT+X+Y`), with
the pointer hidden over it. It holds two black panes of its size, one per libvlc player: the player on
screen draws into the top pane while the other prepares the next item underneath; a cut raises the other
pane. The window is override-redirect, so it is placed exactly, with or without a window manager, and
nothing of the desktop shows behind or between items. libvlc scales each picture into its pane with the
aspect ratio kept, on black.

Like libvlc, Xlib is called from one thread only: the kiosk's playback thread.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

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
        self._display.sync()

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
