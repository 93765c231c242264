"""Exports of a published version: the JSON manifest, XSPF (VLC) and M3U8, alone or as a bundle with media.

A bundle is a folder (or a zip of one) that plays with no server:

    playlist.json   the manifest; media URIs are relative: media/<sha256>.<ext>
    playlist.xspf   the same show for stock VLC, title cards as rendered images
    playlist.m3u8
    media/          the films' files, named by sha256
    cards/          title cards rendered as PNG (playlists.kiosk.cards), and the black still of the holds

`showcase-kiosk --playlist playlist.json --cache-dir DIR` plays it; so does `vlc playlist.xspf`.
A single XSPF or M3U8 file (no bundle) points at the films in MEDIA_ROOT and at its cards, rendered into a
folder beside it named after it (`show.xspf` → `show-cards/`), by absolute file URIs.
Every file of a bundle is an ordinary one (0644 less the umask, folders 0755), so VLC run by another
user (a venue's player account) reads it; in the zip every entry is 0644 (folders 0755), whatever the
server's umask.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from playlists import format as fmt
from playlists.kiosk.cards import render_card
from playlists.kiosk.files import PUBLIC, atomic_write
from showcase.errors import ShowcaseError
from showcase.extensions import db
from showcase.films.models import MediaAsset
from showcase.kiosks.models import PlaylistVersion
from showcase.messages import N_

FORMATS = {"json": "application/json", "xspf": "application/xspf+xml", "m3u8": "audio/x-mpegurl"}
SUFFIXES = {"json": ".json", "xspf": ".xspf", "m3u8": ".m3u8"}
ZIP_FILE_MODE, ZIP_DIR_MODE = stat.S_IFREG | 0o644, stat.S_IFDIR | 0o755
COPYING = N_("Copying the films")  # what a bundle's progress says (a job's progress: an N_ template)
PACKING = N_("Packing the bundle")
Progress = Callable[[int, int, str], None]  # (done, total, what is being done): a job's progress


def _no_progress(_done: int, _total: int, _what: str) -> None:
    return None


class ExportFailed(ShowcaseError):
    """The export could not be written (the message says why)."""


def media_file(sha256: str) -> Path | None:
    """The registered file with this sha256 under MEDIA_ROOT, if it is there."""
    asset = db.session.scalar(select(MediaAsset).where(MediaAsset.sha256 == sha256).limit(1))
    if asset is None:
        return None
    root = Path(current_app.config["MEDIA_ROOT"]).resolve()
    path = (root / asset.path).resolve()
    # a stored path must never lead out of the media root
    return path if path.is_relative_to(root) and path.is_file() else None


def _source(media: fmt.Media) -> Path:
    path = media_file(media.sha256)
    if path is None:
        raise ExportFailed(
            N_(
                "The media file %(uri)s (sha256 %(sha)s…) is missing from MEDIA_ROOT.",
                uri=media.uri,
                sha=media.sha256[:12],
            )
        )
    return path


def render(version: PlaylistVersion, form: str, *, cards: Path | None = None, bundle: Path | None = None) -> str:
    """The version as `form` text. XSPF and M3U8: films point at their files in MEDIA_ROOT (absolute file URIs),
    title cards and holds at pictures rendered into `cards`; with `bundle`, at media/… and cards/… in that folder
    (relative). With neither, cards and holds are left out."""
    if form not in FORMATS:
        raise ExportFailed(
            N_("Unknown format “%(form)s”: choose one of %(formats)s.", form=form, formats=", ".join(FORMATS))
        )
    if form == "json":
        return version.manifest
    playlist = fmt.from_json(version.manifest)
    locate, still = _locator(playlist, cards=bundle / "cards" if bundle else cards, bundle=bundle)
    writer = fmt.to_xspf if form == "xspf" else fmt.to_m3u8
    return writer(playlist, locate=locate, still=still)


def _locator(playlist: fmt.Playlist, *, cards: Path | None, bundle: Path | None) -> tuple[fmt.Locate, str | None]:
    """Where each item is, and the black still that stands for a hold (None: holds left out)."""
    # every film is found before any card is drawn: a missing film fails the export with nothing written
    films = {i.key: i.media.uri if bundle else str(_source(i.media)) for i in playlist.items if i.media is not None}

    def picture(text: str) -> str:
        assert cards is not None
        path = render_card(text, cards)
        return path.relative_to(bundle).as_posix() if bundle else str(path)

    def locate(item: fmt.Item) -> str | None:
        if item.key in films:
            return films[item.key]
        if item.kind == "card" and cards is not None:
            return picture(item.card_text or item.display_title())
        return None

    holds = cards is not None and any(item.hold > 0 for item in playlist.items)
    return locate, picture("") if holds else None  # a card with no text is a black picture


def cards_folder(out: Path) -> Path:
    """Where a single XSPF or M3U8 file's title cards go: a folder beside it, named after it."""
    return out.with_name(f"{out.stem}-cards")


def write_bundle(version: PlaylistVersion, folder: Path, *, progress: Progress = _no_progress) -> dict[str, Path]:
    """Copy media and render cards into `folder`; write playlist.json/.xspf/.m3u8 with relative URIs.
    `progress` hears of each film copied."""
    playlist = fmt.from_json(version.manifest)
    # every film is found before any is copied: a missing one fails with nothing copied
    films = [(item.media, _source(item.media)) for item in playlist.items if item.media is not None]
    for done, (media, source) in enumerate(films, 1):
        _copy_media(media, source, folder / media.uri)
        progress(done, len(films), COPYING)
    written = {}
    for form, suffix in SUFFIXES.items():
        path = folder / f"playlist{suffix}"
        _write_text(path, render(version, form, bundle=folder))
        written[form] = path
    return written


def _copy_media(media: fmt.Media, source: Path, dest: Path) -> None:
    if dest.is_file() and dest.stat().st_size == media.bytes:
        return  # already copied by an earlier export into the same folder
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    shutil.copyfile(source, partial)
    partial.replace(dest)


def _write_text(path: Path, text: str) -> None:
    atomic_write(path, text.encode("utf-8"), mode=PUBLIC)


def export_to(version: PlaylistVersion, form: str, out: Path, *, with_media: bool = False) -> Path:
    """Write one export file (with_media: the whole bundle beside it; XSPF/M3U8 alone: its cards in
    `cards_folder(out)`); `out` appears only on success."""
    if form not in FORMATS:
        raise ExportFailed(
            N_("Unknown format “%(form)s”: choose one of %(formats)s.", form=form, formats=", ".join(FORMATS))
        )
    out = Path(out)
    if not out.parent.is_dir() or not os.access(out.parent, os.W_OK):
        raise ExportFailed(
            N_(
                "Cannot write %(out)s: the folder %(parent)s does not exist or is not writable.",
                out=out,
                parent=out.parent,
            )
        )
    if out.is_dir():
        raise ExportFailed(N_("Cannot write %(out)s: it is a folder; give a file name.", out=out))
    try:
        if with_media:
            written = write_bundle(version, out.parent)
            if written[form] != out:
                shutil.move(written[form], out)
        else:
            _write_text(out, render(version, form, cards=cards_folder(out)))
    except OSError as exc:
        raise ExportFailed(
            N_("Cannot write %(out)s: %(problem)s.", out=out, problem=str(exc.strerror or exc))
        ) from None
    return out


def bundle_file(version: PlaylistVersion, form: str) -> str:
    """One playlist file of the bundle, byte for byte as in the zip: it points at media/… and cards/… beside it
    (the cards are drawn in a scratch folder only to learn their names)."""
    with tempfile.TemporaryDirectory(prefix="showcase-cards-") as tmp:
        return render(version, form, bundle=Path(tmp))


def zip_bundle(version: PlaylistVersion, out: Path | None = None, *, progress: Progress = _no_progress) -> Path:
    """The bundle as a zip at `out` (by default a temporary file the caller deletes); `progress` hears of
    each film copied, then of each file packed."""
    if out is None:
        handle, name = tempfile.mkstemp(prefix="showcase-playlist-", suffix=".zip")
        os.close(handle)
        out = Path(name)
    with tempfile.TemporaryDirectory(prefix="showcase-bundle-") as tmp:
        write_bundle(version, Path(tmp), progress=progress)
        paths = sorted(Path(tmp).rglob("*"))
        # films are already compressed: storing them is as small and much faster
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, path in enumerate(paths, 1):
                _add_to_zip(archive, path, path.relative_to(tmp).as_posix())
                progress(done, len(paths), PACKING)
    return out


def _add_to_zip(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    """One file or folder, with an ordinary mode rather than whatever the server process's umask made."""
    info = zipfile.ZipInfo.from_file(path, name)
    if path.is_dir():
        info.external_attr = ZIP_DIR_MODE << 16 | 0x10  # 0x10: the MS-DOS folder flag
        archive.writestr(info, b"")
        return
    info.external_attr = ZIP_FILE_MODE << 16
    info.compress_type = zipfile.ZIP_STORED
    with path.open("rb") as source, archive.open(info, "w") as target:
        shutil.copyfileobj(source, target, 1 << 20)
