"""`showcase programme build` on a terminal shows a progress bar, one step a film page."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

SHOWCASE = str(Path(sys.executable).with_name("showcase"))


def test_the_programme_build_shows_a_progress_bar_on_a_terminal(demo, tmp_path):
    names = ("DATABASE_URL", "SECRET_KEY", "UPLOAD_ROOT", "MEDIA_ROOT")
    env = {
        **os.environ,
        "SHOWCASE_INSTANCE_PATH": demo.instance_path,
        **{f"SHOWCASE_{name}": str(demo.config[name]) for name in names},
    }
    master, terminal = pty.openpty()
    out = tmp_path / "programme.pdf"
    try:
        result = subprocess.run(
            [SHOWCASE, "programme", "build", "--festival", "ai-shorts-2026", "--out", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=120,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other end is closed: everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    assert result.returncode == 0, shown.decode(errors="replace")
    text = shown.decode(errors="replace")
    assert "Film pages" in text and "\r" in text and "100%" in text  # redrawn in place up to the end
    assert out.read_bytes().startswith(b"%PDF") and b"Wrote" in result.stdout
