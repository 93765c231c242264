"""Real X displays for tests: Xvfb with backing store and no window manager, on a display number it picks."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def xvfb_factory() -> Iterator[Callable[..., str]]:
    """factory(width, height) starts an Xvfb and returns its display name, like ":7"; all stop at the end."""
    servers: list[subprocess.Popen] = []

    def start(width: int = 1280, height: int = 720) -> str:
        if shutil.which("Xvfb") is None:
            pytest.fail("Xvfb is missing: `make test` installs the Debian package xvfb")
        read, write = os.pipe()
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "+bs", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        servers.append(server)
        with os.fdopen(read) as answer:
            number = answer.readline().strip()
        if not number:
            pytest.fail("Xvfb did not start")
        return f":{number}"

    try:
        yield start
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
