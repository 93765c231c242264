"""Small file helpers shared by the cache, the saved state and the title cards: atomic writes and sha256."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

_CHUNK = 1 << 20

PUBLIC = 0o644  # an ordinary file (the umask still applies): a title card that stock VLC run by another user reads
PRIVATE = 0o600  # the kiosk's own state, which no other user needs to read


def atomic_write(path: Path, data: bytes, *, mode: int = PRIVATE) -> None:
    """Write `data` so readers see the old file or the new one, never half of it (temp, fsync, rename).

    The file gets `mode` less the umask, as open() would make it: private unless the caller says otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable across a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
