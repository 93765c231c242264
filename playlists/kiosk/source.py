"""HTTP client for the server's kiosk API (stdlib urllib, bearer token)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_CHUNK = 1 << 16


class SourceError(Exception):
    """The server could not be reached or answered something unusable."""


@dataclass(frozen=True)
class ManifestFetch:
    """Result of asking for the manifest: status is new, unchanged (304) or none (204)."""

    status: str
    text: str | None = None
    etag: str | None = None


class ServerSource:
    """The kiosk API: manifest, media, heartbeat, preflight, commands."""

    def __init__(self, server: str, token: str, *, timeout: float = 5.0) -> None:
        self.base = server.rstrip("/") + "/api/kiosk"
        self.token, self.timeout = token, timeout

    def fetch_manifest(self, etag: str | None = None) -> ManifestFetch:
        """GET /manifest with If-None-Match."""
        headers = {"If-None-Match": etag} if etag else {}
        try:
            with self._open("GET", "/manifest", headers=headers) as response:
                if response.status == 204:
                    return ManifestFetch("none")
                body = response.read().decode("utf-8")
                return ManifestFetch("new", body, response.headers.get("ETag"))
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return ManifestFetch("unchanged", etag=etag)
            raise SourceError(f"manifest: HTTP {exc.code}") from None

    def download(self, sha256: str, dest: Path, *, expected_bytes: int) -> None:
        """Fetch media into `dest`, resuming from its current size with a Range request."""
        offset = dest.stat().st_size if dest.exists() else 0
        if offset >= expected_bytes > 0:
            return
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            with self._open("GET", f"/media/{sha256}", headers=headers, timeout=max(self.timeout, 30)) as resp:
                # 206 continues the partial file; a plain 200 means the server sent it all again
                mode = "ab" if resp.status == 206 else "wb"
                with dest.open(mode) as handle:
                    while chunk := resp.read(_CHUNK):
                        handle.write(chunk)
                    handle.flush()
                    os.fsync(handle.fileno())
        except urllib.error.HTTPError as exc:
            if exc.code == 416:
                dest.unlink(missing_ok=True)  # our partial file is longer than theirs: start again
            raise SourceError(f"media {sha256[:12]}: HTTP {exc.code}") from None

    def heartbeat(self, payload: dict[str, Any]) -> None:
        """POST /heartbeat."""
        self._post("/heartbeat", payload)

    def post_preflight(self, report: dict[str, Any]) -> None:
        """POST /preflight."""
        self._post("/preflight", report)

    def commands(self, *, wait: float = 0.0) -> list[dict[str, Any]]:
        """GET /commands: pending operator commands; with `wait`, the server holds the answer that long for one."""
        path = f"/commands?wait={wait:g}" if wait > 0 else "/commands"
        data = self._json("GET", path, timeout=self.timeout + wait)
        commands = data.get("commands") if isinstance(data, dict) else None
        if not isinstance(commands, list):
            raise SourceError("commands: expected {'commands': [...]}")
        return [c for c in commands if isinstance(c, dict) and isinstance(c.get("id"), int)]

    def ack(self, command_id: int) -> None:
        """POST /commands/<id>/ack."""
        self._post(f"/commands/{command_id}/ack", {})

    def post_thumbnail(self, jpeg: bytes) -> None:
        """POST /thumbnail: a small JPEG of what the output shows."""
        try:
            with self._open("POST", "/thumbnail", body=jpeg, content_type="image/jpeg") as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise SourceError(f"POST /thumbnail: HTTP {exc.code}") from None

    # ---- plumbing

    def _post(self, path: str, payload: dict[str, Any]) -> None:
        self._json("POST", path, body=json.dumps(payload).encode())

    def _json(self, method: str, path: str, *, body: bytes | None = None, timeout: float | None = None) -> Any:
        try:
            with self._open(method, path, body=body, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise SourceError(f"{method} {path}: HTTP {exc.code}") from None
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            raise SourceError(f"{method} {path}: answer is not JSON") from None

    def _open(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float | None = None,
        content_type: str = "application/json",
    ) -> Any:
        request = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310 - server URL
        request.add_header("Authorization", f"Bearer {self.token}")
        if body is not None:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            return urllib.request.urlopen(request, timeout=timeout or self.timeout)  # noqa: S310
        except urllib.error.HTTPError:
            raise
        except (urllib.error.URLError, OSError) as exc:
            raise SourceError(f"{method} {path}: {getattr(exc, 'reason', exc)}") from None
