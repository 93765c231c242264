"""Film posters: checked by content, re-encoded to WebP with a thumbnail, stored under random names.

The uploaded bytes are never stored as they came: Pillow must recognise them as JPEG, PNG or WebP,
decode them completely, and then we write our own WebP. That drops anything hidden in the file
(scripts, metadata, polyglots), and the server-generated name means a client never chooses a path.
Files are written before the database change is committed, so they are tied to the transaction:
on commit the replaced poster's files are removed, on rollback the new files are.
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event

from showcase.audit.services import record
from showcase.errors import ValidationFailed
from showcase.extensions import db
from showcase.films.models import Film

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 7,000 × 7,000 poster is already far more than print needs
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
POSTER_SIZE = (2000, 3000)  # the largest a stored poster gets, in pixels
THUMB_SIZE = (400, 600)
QUALITY = 85
TOO_MANY_PIXELS = f"Posters may have up to {MAX_PIXELS // 1_000_000} million pixels: make the image smaller."


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed({"poster": message})


def decode_image(data: bytes) -> Image.Image:
    """The uploaded image, decoded completely; ValidationFailed when it is not a JPEG, PNG or WebP."""
    if not data:
        raise _refuse("The file is empty: choose a JPEG, PNG or WebP image.")
    if len(data) > MAX_BYTES:
        raise _refuse(f"The file is {len(data) / 1048576:.1f} MB; posters may be up to {MAX_BYTES // 1048576} MB.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED))
            _check_size(image)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(TOO_MANY_PIXELS) from None
        except UnidentifiedImageError:
            raise _refuse(_not_accepted(data)) from None
        except (OSError, SyntaxError, ValueError):  # truncated or corrupt image data
            raise _refuse("The image is damaged or incomplete: export it again as JPEG, PNG or WebP.") from None
    return image


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse(f"The image is {width} × {height} pixels. {TOO_MANY_PIXELS}")


def _not_accepted(data: bytes) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kind = Image.open(io.BytesIO(data)).format  # any format Pillow knows, to name it
        except Exception:  # noqa: BLE001 - not an image at all
            kind = None
    if kind:
        return f"{kind} images are not accepted as posters: upload a JPEG, PNG or WebP image."
    return "This file is not an image: upload a JPEG, PNG or WebP poster."


def _encode(image: Image.Image, size: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def _normalised(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)  # phones store portraits sideways with an EXIF turn
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # readers never see half a file


def poster_files(upload_root: Path, name: str) -> tuple[Path, Path]:
    """The poster and thumbnail paths of a stored poster name."""
    folder = Path(upload_root) / "posters"
    return folder / name, folder / "thumbs" / name


def store_poster(upload_root: Path, data: bytes) -> str:
    """Check, re-encode and store an uploaded poster and its thumbnail; returns the new file name."""
    image = _normalised(decode_image(data))
    name = f"{secrets.token_hex(16)}.webp"
    poster, thumb = poster_files(upload_root, name)
    _write(poster, _encode(image, POSTER_SIZE))
    _write(thumb, _encode(image, THUMB_SIZE))
    return name


def discard_poster(upload_root: Path, name: str | None) -> None:
    """Remove a poster's files (missing files are fine)."""
    if name:
        for path in poster_files(upload_root, Path(name).name):
            path.unlink(missing_ok=True)


def _when_settled(*, on_commit: Callable[[], None], on_rollback: Callable[[], None]) -> None:
    """Run one of two callbacks when the current transaction ends, whichever way it ends."""
    session = db.session()
    done = False

    def settle(callback: Callable[[], None]) -> Callable[[Any], None]:
        def listener(_session: Any) -> None:
            nonlocal done
            if not done:
                done = True
                callback()
        return listener

    event.listen(session, "after_commit", settle(on_commit))
    event.listen(session, "after_rollback", settle(on_rollback))


def replace_poster(film: Film, data: bytes, *, upload_root: Path, actor: Any = None) -> Film:
    """Give a film a new poster; the old files go when this is committed, the new ones if rolled back."""
    old, new = film.poster_path, store_poster(upload_root, data)
    film.poster_path = new
    _when_settled(on_commit=lambda: discard_poster(upload_root, old),
                  on_rollback=lambda: discard_poster(upload_root, new))
    db.session.flush()
    record(actor=actor, action="poster", entity=film, before={"poster_path": old}, after={"poster_path": new})
    return film


def remove_poster(film: Film, *, upload_root: Path, actor: Any = None) -> Film:
    """Take a film's poster away; its files go when this is committed."""
    old = film.poster_path
    film.poster_path = None
    _when_settled(on_commit=lambda: discard_poster(upload_root, old), on_rollback=lambda: None)
    db.session.flush()
    record(actor=actor, action="poster", entity=film, before={"poster_path": old}, after={"poster_path": None})
    return film
