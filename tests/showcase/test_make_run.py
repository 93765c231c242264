"""`make run` on a fresh clone: venv, install, migrate, demo, serve — and the printed login works."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


class Clone:
    """A fresh clone of this checkout where `make run` can be started and stopped, as a user would."""

    def __init__(self, path: Path, port: int, logs: Path) -> None:
        self.path, self.port, self.logs = path, port, logs
        self.process: subprocess.Popen | None = None
        self.runs = 0

    def start(self) -> None:
        self.runs += 1
        self.log = (self.logs / f"make-run-{self.runs}.log").open("w+")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOWCASE_", "VIRTUAL_ENV"))}
        self.process = subprocess.Popen(
            ["make", "run", f"PORT={self.port}"],
            cwd=self.path,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )

    def wait_until_serving(self, timeout: float) -> str:
        assert _wait_for(lambda: _up(self.port) or self.process.poll() is not None, timeout=timeout)
        self.log.seek(0)
        output = self.log.read()
        assert self.process.poll() is None, output
        return output

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def clone(tmp_path):
    path = tmp_path / "showcase"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(path)], check=True, timeout=120)
    made = Clone(path, _free_port(), tmp_path)
    yield made
    made.stop()


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _sign_in(port: int, email: str, password: str) -> tuple[str, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = f"http://127.0.0.1:{port}"
    form = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    dashboard = opener.open(f"{base}/login", data=data, timeout=10)
    return dashboard.url, dashboard.read().decode()


def test_make_run_serves_the_demo_and_a_restart_keeps_everything(clone):
    clone.start()
    output = clone.wait_until_serving(timeout=600)
    email = re.search(rf"Sign in at http://127\.0\.0\.1:{clone.port}/login as (\S+)", output).group(1)
    password = re.search(r"with the password: (\S+)", output).group(1)
    url, html = _sign_in(clone.port, email, password)
    assert url.endswith("/staff/")
    assert "AI 短片大赛 2026" in html and "7 films" in html
    media = sorted((p, p.stat().st_mtime_ns) for p in (clone.path / "instance" / "media").rglob("*.mp4"))
    assert len(media) == 7

    clone.stop()
    stopped = time.monotonic()
    clone.start()
    again = clone.wait_until_serving(timeout=120)
    print(f"second make run serving {time.monotonic() - stopped:.1f} s after the first stopped")
    assert "nothing loaded, nothing changed" in again and "with the password" not in again
    url, html = _sign_in(clone.port, email, password)  # the same account and password
    assert url.endswith("/staff/") and "7 films" in html
    assert sorted((p, p.stat().st_mtime_ns) for p in (clone.path / "instance" / "media").rglob("*.mp4")) == media
