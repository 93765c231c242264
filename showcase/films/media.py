"""Registering video files under the media root: size, checksum and what ffprobe finds; whether a film's file
lasts as long as the film's listed runtime (the kiosk preflight's rule, playlists.runtime)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from playlists.kiosk.files import sha256_file
from playlists.runtime import runtime_mismatch
from showcase.errors import ShowcaseError
from showcase.extensions import db
from showcase.films.models import Film, MediaAsset


class MediaRejected(ShowcaseError):
    """A file that cannot be registered as a playable film."""


@dataclass(frozen=True)
class Probe:
    duration_seconds: float | None
    container: str
    video_codec: str
    audio_codec: str
    width: int | None
    height: int | None


def probe(path: Path) -> Probe:
    """What ffprobe says of the file; MediaRejected when it cannot read it."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise MediaRejected("ffprobe is not installed: install the Debian package ffmpeg")
    result = subprocess.run(
        [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise MediaRejected(f"{path.name}: not a readable media file ({result.stderr.strip()[:200]})")
    info = json.loads(result.stdout or "{}")
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), {})
    audio = next((s for s in streams if s.get("codec_type") == "audio"), {})
    duration = info.get("format", {}).get("duration")
    return Probe(
        duration_seconds=float(duration) if duration else None,
        container=info.get("format", {}).get("format_name", "")[:40],
        video_codec=video.get("codec_name", ""),
        audio_codec=audio.get("codec_name", ""),
        width=video.get("width"),
        height=video.get("height"),
    )


def register(media_root: Path, path: Path) -> MediaAsset:
    """Create or refresh the MediaAsset for a file under the media root."""
    path = path.resolve()
    root = media_root.resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise MediaRejected(f"{path} is not a file under the media root {root}")
    relative = path.relative_to(root).as_posix()
    info = probe(path)
    if not info.video_codec:
        raise MediaRejected(f"{path.name}: has no video track")
    asset = db.session.scalar(select(MediaAsset).where(MediaAsset.path == relative)) or MediaAsset(path=relative)
    asset.byte_size = path.stat().st_size
    asset.sha256 = sha256_file(path)
    asset.duration_seconds = info.duration_seconds
    asset.container, asset.video_codec, asset.audio_codec = info.container, info.video_codec, info.audio_codec
    asset.width, asset.height = info.width, info.height
    db.session.add(asset)
    db.session.flush()
    return asset


VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts", ".mxf"})


def runtime_warning(film: Film) -> str | None:
    """Why the film's registered file may be the wrong one (its length against the listed runtime), or None."""
    asset = film.media_asset
    return runtime_mismatch(asset.duration_seconds, film.runtime_seconds) if asset is not None else None


def _runtime_warnings(asset: MediaAsset) -> list[str]:
    films = db.session.scalars(select(Film).where(Film.media_asset_id == asset.id).order_by(Film.id)).all()
    found = ((film, runtime_mismatch(asset.duration_seconds, film.runtime_seconds)) for film in films)
    return [f"{asset.path}: {film.display_title} ({film.code}): {warning}" for film, warning in found if warning]


@dataclass
class ScanReport:
    registered: list[MediaAsset] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)  # registered, but not as long as the film they are for


def video_files(directory: Path) -> list[Path]:
    """Video files (by extension) anywhere under a directory, in path order; hidden files skipped."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and path.suffix.lower() in VIDEO_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def scan(media_root: Path, directory: Path, *, on_file: Callable[[Path], None] | None = None) -> ScanReport:
    """Register every video file under `directory` (inside the media root); unreadable files are listed, and
    so are files whose length does not fit the runtime of a film they are assigned to."""
    root, directory = media_root.resolve(), directory.resolve()
    if not directory.is_dir() or not directory.is_relative_to(root):
        raise MediaRejected(f"{directory} is not a folder under the media root {root}")
    report = ScanReport()
    for path in video_files(directory):
        try:
            asset = register(root, path)
        except MediaRejected as exc:
            report.rejected.append(exc.message)
        else:
            report.registered.append(asset)
            report.mismatched.extend(_runtime_warnings(asset))
        if on_file:
            on_file(path)
    return report


def report_lines(report: ScanReport) -> list[str]:
    """The scan's report as text lines: each file registered, then each skipped and each to check."""
    lines = []
    for asset in report.registered:
        duration = f"{asset.duration_seconds:.1f} s" if asset.duration_seconds else "unknown length"
        lines.append(
            f"{asset.path}\t{asset.byte_size} bytes\t{duration}\t{asset.video_codec}/{asset.audio_codec}"
            f"\t{asset.sha256[:12]}"
        )
    # one line each: ffprobe's own words may run over several
    lines += [f"skipped: {' '.join(message.split())}" for message in report.rejected]
    lines += [f"check: {' '.join(message.split())}" for message in report.mismatched]
    return lines
