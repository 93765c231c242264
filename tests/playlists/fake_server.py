"""A stdlib HTTP server implementing the kiosk API contract, for tests (127.0.0.1, random port)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playlists.format import Playlist, to_json

TOKEN = "kiosk-secret"


@dataclass
class ServerState:
    """What the server holds and what it has seen."""

    manifest: str | None = None
    etag: str | None = None
    media: dict[str, bytes] = field(default_factory=dict)
    heartbeats: list[dict[str, Any]] = field(default_factory=list)
    preflights: list[dict[str, Any]] = field(default_factory=list)
    thumbnails: list[bytes] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    acked: list[int] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status) of every answer
    unauthorized: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)  # _send takes it, also under do_POST's

    def publish(self, playlist: Playlist, files: dict[str, bytes]) -> None:
        """Make this playlist version (and its media) what the kiosk gets."""
        with self.lock:
            self.manifest = to_json(playlist)
            self.etag = f'"{playlist.id}-v{playlist.version}"'
            for data in files.values():
                self.media[hashlib.sha256(data).hexdigest()] = data

    def answered(self, path: str, status: int | None = None) -> int:
        """How many requests for this path were answered (with this status)."""
        with self.lock:
            return sum(1 for _m, p, s in self.requests if p == path and status in (None, s))

    def command(self, name: str, **args: Any) -> int:
        """Queue an operator command; returns its id."""
        with self.lock:
            command_id = len(self.commands) + len(self.acked) + 1
            self.commands.append({"id": command_id, "command": name, "args": args})
            return command_id


class _Handler(BaseHTTPRequestHandler):
    state: ServerState

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {TOKEN}":
            return True
        self.state.unauthorized += 1
        self._send(401, b'{"error": "unauthorized"}')
        return False

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        with self.state.lock:
            self.state.requests.append((self.command, self.path, code))
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._authorized():
            return
        if self.path == "/api/kiosk/manifest":
            return self._manifest()
        url = urlsplit(self.path)
        if url.path == "/api/kiosk/commands":
            return self._commands(float(parse_qs(url.query).get("wait", ["0"])[0]))
        match = re.fullmatch(r"/api/kiosk/media/([0-9a-f]{64})", self.path)
        if match and match[1] in self.state.media:
            return self._media(self.state.media[match[1]])
        self._send(404)

    def _commands(self, wait: float) -> None:
        """Pending commands; with `wait`, held (a long poll) until one is queued or `wait` seconds passed."""
        ends = time.monotonic() + min(wait, 2.0)  # a short hold keeps test servers quick to stop
        while True:
            with self.state.lock:
                pending = [c for c in self.state.commands if c["id"] not in self.state.acked]
            if pending or time.monotonic() >= ends:
                return self._send(200, json.dumps({"commands": pending}).encode())
            time.sleep(0.02)

    def _manifest(self) -> None:
        state = self.state
        if state.manifest is None:
            return self._send(204)
        if self.headers.get("If-None-Match") == state.etag:
            return self._send(304, headers={"ETag": state.etag})
        self._send(200, state.manifest.encode(), {"ETag": state.etag, "Content-Type": "application/json"})

    def _media(self, data: bytes) -> None:
        wanted = self.headers.get("Range")
        if not wanted:
            return self._send(200, data, {"Accept-Ranges": "bytes"})
        self.state.ranges.append(wanted)
        start = int(re.fullmatch(r"bytes=(\d+)-", wanted)[1])
        if start >= len(data):
            return self._send(416, headers={"Content-Range": f"bytes */{len(data)}"})
        part = data[start:]
        self._send(206, part, {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"})

    def do_POST(self) -> None:  # noqa: N802
        if not self._authorized():
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/api/kiosk/thumbnail":
            with self.state.lock:
                self.state.thumbnails.append(raw)
            return self._send(200, b'{"ok": true}', {"Content-Type": "application/json"})
        body = json.loads(raw or b"{}")
        ack = re.fullmatch(r"/api/kiosk/commands/(\d+)/ack", self.path)
        with self.state.lock:
            if self.path == "/api/kiosk/heartbeat":
                self.state.heartbeats.append(body)
            elif self.path == "/api/kiosk/preflight":
                self.state.preflights.append(body)
            elif ack:
                self.state.acked.append(int(ack[1]))
            else:
                return self._send(404)
        self._send(200, b'{"ok": true}', {"Content-Type": "application/json"})


class FakeServer:
    """Runs the handler on 127.0.0.1 in a thread; stop() makes the kiosk's server vanish."""

    def __init__(self, *, port: int = 0, state: ServerState | None = None) -> None:
        """A new server; give the port and state of a stopped one to restart it (HTTPServer reuses the address)."""
        self.state = state or ServerState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.stopped = False

    def stop(self) -> None:
        """Shut the server down and close its socket (connections are refused from now on)."""
        if self.stopped:
            return
        self.stopped = True
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
