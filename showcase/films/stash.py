"""Uploads kept on disk between an import's preview and its confirmation, under names only we make."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

STASH_TOKEN = re.compile(r"^[0-9a-f]{32}$")
STASH_MAX_AGE = 24 * 3600


def stash_upload(upload_root: Path, data: bytes) -> str:
    """Keep uploaded bytes under a random name until the import is confirmed; returns the token."""
    folder = Path(upload_root) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STASH_MAX_AGE
    for old in folder.glob("*.csv"):  # previews nobody confirmed
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.csv").write_bytes(data)
    return token


def take_upload(upload_root: Path, token: str) -> bytes | None:
    """The stashed bytes for a token, removed from disk; None for an unknown or malformed token."""
    if not STASH_TOKEN.match(token or ""):
        return None  # never a path from the client: only our own 32-hex names
    path = Path(upload_root) / "imports" / f"{token}.csv"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return data


def stashed(upload_root: Path, token: str) -> bool:
    """Whether an upload is kept under token (a malformed token never is)."""
    return bool(STASH_TOKEN.match(token or "")) and (Path(upload_root) / "imports" / f"{token}.csv").is_file()
