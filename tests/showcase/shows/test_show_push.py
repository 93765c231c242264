"""A GO reaches every show controller's event stream (Server-Sent Events), in any worker.

In-process (the embedded default): a GO over HTTP wakes a stream of the same app. Several workers: two real
gunicorn processes (gthread workers, as the README recommends for streams) share one database and one Redis;
a GO through worker A reaches a client of A and a client of B. Without Redis, B's client hears nothing: the
push, not a timer, is what carried it.

A stream with nothing to say sleeps up to 15 s (showcase.shows.streams.HEARTBEAT) and the show at its first
cue has no change due for a minute, so an event within PUSHED seconds of the GO can only be the push. The
bound is loose on purpose (a busy machine), and well under that heartbeat; the benchmark measures the latency.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import postgres
from tests.showcase.shows.test_show_api import API, bearer, make_token

pytestmark = pytest.mark.serial  # times pushes across real processes: run alone, after the parallel pass

ROOT = Path(__file__).resolve().parents[3]
PUSHED = 3.0  # seconds from the GO's answer to the new state on a stream
STREAM_MS = 5000  # each stream's length in these tests: a server waits at most this long for a stream to end


class Listener:
    """An SSE client on its own thread: every `show` event's state, with the monotonic time it arrived."""

    def __init__(self, base_url: str, session_id: int, token: str) -> None:
        address = urlsplit(base_url)
        self.events: queue.Queue = queue.Queue()
        self._conn = http.client.HTTPConnection(address.hostname, address.port, timeout=STREAM_MS / 1000 + 10)
        self._conn.request("GET", f"{API}/{session_id}/events", headers=bearer(token))
        self._sock = self._conn.sock  # the connection lets go of it when the answer says Connection: close
        self._response = self._conn.getresponse()
        assert self._response.status == 200, self._response.read()
        assert self._response.getheader("Content-Type").startswith("text/event-stream")
        assert self._response.getheader("Cache-Control") == "no-store"
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        data: list[str] = []
        try:
            while line := self._response.readline():
                text = line.decode("utf-8").rstrip("\r\n")
                if text.startswith("data: "):
                    data.append(text[len("data: ") :])
                elif not text and data:
                    self.events.put((time.monotonic(), json.loads("\n".join(data))))
                    data = []
        except (OSError, ValueError, http.client.HTTPException):  # closed by close(), or the server went away
            pass

    def first(self, check, timeout: float) -> tuple[float, dict] | None:
        """The first event (time, state) whose state passes `check`, waiting at most `timeout` seconds."""
        ends = time.monotonic() + timeout
        while (left := ends - time.monotonic()) > 0:
            try:
                arrived, state = self.events.get(timeout=left)
            except queue.Empty:
                return None
            if check(state):
                return arrived, state
        return None

    def close(self) -> None:
        with contextlib.suppress(OSError):  # (the server may have closed it first)
            self._sock.shutdown(socket.SHUT_RDWR)  # the reader sees the end of the stream and stops
        self._thread.join(timeout=10)
        self._conn.close()


def _ceremony_id(app) -> int:
    from sqlalchemy import select

    from showcase.extensions import db
    from showcase.schedule.models import ScheduleSession

    with app.app_context():
        return db.session.scalar(select(ScheduleSession.id).where(ScheduleSession.kind == "ceremony"))


def _go(base_url: str, session_id: int, token: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}{API}/{session_id}/go",
        data=json.dumps({"from_cue": None}).encode(),
        headers={**bearer(token), "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _went(state: dict) -> bool:
    return state.get("state") == "running" and (state.get("cue") or {}).get("position") == 1


@pytest.mark.parametrize("app", [{"SHOW_EVENTS_MS": STREAM_MS}], indirect=True)
def test_in_process_a_go_reaches_a_stream_of_the_same_app(app, demo, live_server):
    assert app.config["PUBSUB_URL"] == ""
    session_id, viewer, editor = _ceremony_id(app), make_token(app, "viewer"), make_token(app, "editor")
    listener = Listener(live_server.url, session_id, viewer)
    try:
        _, first = listener.first(lambda s: True, timeout=10)
        assert first["state"] == "standby" and first["cue"] is None
        answer = _go(live_server.url, session_id, editor)
        answered = time.monotonic()
        pushed = listener.first(_went, timeout=PUSHED)
        assert pushed is not None, "the GO never reached the stream"
        assert pushed[1]["version"] == answer["version"] and pushed[1]["cue"] == answer["cue"]
        assert pushed[0] - answered < PUSHED
    finally:
        listener.close()


class Worker:
    """One gunicorn process (one gthread worker) serving wsgi:app on its own port, on the test's database."""

    def __init__(self, app, folder: Path, *, pubsub_url: str) -> None:
        self.port = postgres.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SHOWCASE_DATABASE_URL": app.config["DATABASE_URL"],
            "SHOWCASE_SECRET_KEY": app.config["SECRET_KEY"],
            "SHOWCASE_INSTANCE_PATH": str(folder),
            "SHOWCASE_MEDIA_ROOT": app.config["MEDIA_ROOT"],
            "SHOWCASE_PUBSUB_URL": pubsub_url,
            "SHOWCASE_SHOW_EVENTS_MS": str(STREAM_MS),
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [gunicorn, "--workers", "1", "--worker-class", "gthread", "--threads", "8", "--graceful-timeout", "2"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
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
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def two_workers(request, app, demo, tmp_path):
    """Start two gunicorn processes on the test's database: factory(pubsub_url) → (worker A, worker B)."""
    started: list[Worker] = []

    def start(pubsub_url: str) -> tuple[Worker, Worker]:
        for name in ("a", "b"):
            started.append(Worker(app, tmp_path / f"worker-{name}", pubsub_url=pubsub_url))
        for worker in started:
            worker.wait_ready()
        return started[0], started[1]

    yield start
    for worker in started:
        worker.process.terminate()  # both at once: each waits out its streams' graceful end
    for worker in started:
        worker.stop()


def _listen_on_both(a: Worker, b: Worker, session_id: int, token: str) -> tuple[Listener, Listener]:
    listeners = []
    for worker in (a, b):  # one after the other: the first look makes the show's row
        listener = Listener(worker.url, session_id, token)
        assert listener.first(lambda s: s.get("state") == "standby", timeout=10) is not None
        listeners.append(listener)
    return listeners[0], listeners[1]


def test_through_redis_a_go_on_worker_a_reaches_clients_of_both_workers(app, two_workers, redis_url):
    session_id, viewer, editor = _ceremony_id(app), make_token(app, "viewer"), make_token(app, "editor")
    a, b = two_workers(redis_url)
    on_a, on_b = _listen_on_both(a, b, session_id, viewer)
    try:
        answer = _go(a.url, session_id, editor)
        answered = time.monotonic()
        for name, listener in (("A", on_a), ("B", on_b)):
            pushed = listener.first(_went, timeout=PUSHED)
            assert pushed is not None, f"worker {name}'s client never heard the GO"
            assert pushed[1]["version"] == answer["version"] and pushed[0] - answered < PUSHED
    finally:
        on_a.close()
        on_b.close()


def test_without_redis_the_other_workers_client_does_not_hear_the_go(app, two_workers):
    """The control for the test above: the push between workers is Redis's doing, not a timer's."""
    session_id, viewer, editor = _ceremony_id(app), make_token(app, "viewer"), make_token(app, "editor")
    a, b = two_workers("")
    on_a, on_b = _listen_on_both(a, b, session_id, viewer)
    try:
        _go(a.url, session_id, editor)
        assert on_a.first(_went, timeout=PUSHED) is not None
        assert on_b.first(_went, timeout=2.0) is None
    finally:
        on_a.close()
        on_b.close()
