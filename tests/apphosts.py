"""App hosts for multi-host tests and benchmarks: real gunicorn processes serving wsgi:app, and a cookie client.

Each AppHost is one gunicorn on its own loopback port with its own instance folder and the settings it
is given (database, Redis, secret key): two of them on one database and one Redis are two app hosts.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import redis

from tests import postgres

ROOT = Path(__file__).resolve().parents[1]
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class AppHost:
    """One gunicorn process (gthread workers, as the README recommends) on a free port."""

    def __init__(self, folder: Path, settings: dict[str, str], *, workers: int = 1, threads: int = 8) -> None:
        self.port = postgres.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.address = f"127.0.0.1:{self.port}"
        env = {**os.environ, "SHOWCASE_INSTANCE_PATH": str(folder)}
        env.update({f"SHOWCASE_{name}": str(value) for name, value in settings.items()})
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [gunicorn, "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
        command += ["--graceful-timeout", "2", "--backlog", "2048", "--bind", self.address]
        command += ["--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn on port {self.port} did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A Redis of our own on a free loopback port (Debian's redis-server); yields its URL."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("redis-server is missing: `make test` installs the Debian package redis-server")
    port = postgres.free_port()
    command = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


class Answer:
    """An HTTP answer, error statuses included."""

    def __init__(self, status: int, headers: Message, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token, against any host."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, url: str, *, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def post_form(self, url: str, data: dict, *, token_from: str | None = None) -> Answer:
        page = self.request(token_from or url).text
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {token_from or url}"
        return self.request(url, data={"csrf_token": match.group(1), **data})
