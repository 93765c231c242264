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


@pytest.fixture
def served_clone(tmp_path):
    clone = tmp_path / "showcase"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=120)
    port = _free_port()
    log = (tmp_path / "make-run.log").open("w+")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOWCASE_", "VIRTUAL_ENV"))}
    process = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, stdout=log, stderr=subprocess.STDOUT,
                               env=env, start_new_session=True)
    yield process, port, log
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_make_run_serves_the_demo_and_prints_a_working_login(served_clone):
    process, port, log = served_clone
    assert _wait_for(lambda: _up(port) or process.poll() is not None, timeout=600)
    log.seek(0)
    output = log.read()
    assert process.poll() is None, output
    email = re.search(rf"Sign in at http://127\.0\.0\.1:{port}/login as (\S+)", output).group(1)
    password = re.search(r"with the password: (\S+)", output).group(1)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = f"http://127.0.0.1:{port}"
    form = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    dashboard = opener.open(f"{base}/login", data=data, timeout=10)
    html = dashboard.read().decode()
    assert dashboard.url.endswith("/staff/")
    assert "AI 短片大赛 2026" in html and "7 films" in html
