"""Film posters: checked by content, re-encoded to WebP with a thumbnail, stored under random names.

The uploaded bytes are never stored as they came: Pillow must recognise them as JPEG, PNG or WebP,
decode them completely, and then we write our own WebP. That drops anything hidden in the file
(scripts, metadata, polyglots), and the server-generated name means a client never chooses a path.
Files are written before the database change is committed, so they are tied to the transaction:
on commit the replaced poster's files are removed, on rollback the new files are.
"""

from __future__ import annotations

import io
import math
import os
import re
import secrets
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event

from showcase.audit.services import record
from showcase.errors import ValidationFailed
from showcase.extensions import db
from showcase.films.models import Film
from showcase.messages import N_, Message

if TYPE_CHECKING:
    from showcase.auth.models import User

MAX_BYTES = 10 * 1024 * 1024
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
POSTER_SIZE = (2000, 3000)  # the largest a stored poster gets, in pixels
THUMB_SIZE = (400, 600)
QUALITY = 85
BAND_ROWS = 256  # output rows resized at a time, so a whole-image intermediate of the resize never exists
# What decoding costs, measured with Pillow 13: four bytes a decoded pixel (RGB is kept in four; L and P,
# one, are counted as four since they are converted); WebP is read through libwebp's animation decoder,
# two canvases and a copy besides the image; a progressive JPEG keeps every DCT coefficient of the
# full-size image, two bytes a sample, however small it is decoded.
BYTES_PER_PIXEL = 4
WEBP_BYTES_PER_PIXEL = 16
COEFFICIENT_BYTES = 2
ORIENTATION = 0x0112  # EXIF tag
TURNED = (5, 6, 7, 8)  # orientations that swap width and height


@dataclass(frozen=True)
class PosterLimits:
    """Pixels a poster may have by its header, and the memory its decoding may take."""

    max_pixels: int
    decode_bytes: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PosterLimits:
        """The limits set by POSTER_MAX_MEGAPIXELS and POSTER_DECODE_MEGABYTES."""
        return cls(
            max_pixels=round(float(config["POSTER_MAX_MEGAPIXELS"]) * 1e6),
            decode_bytes=round(float(config["POSTER_DECODE_MEGABYTES"]) * 1e6),
        )

    def whole(self, kind: str) -> int:
        """The most pixels a PNG or WebP may have: they are decoded at full size."""
        return self.decode_bytes // (WEBP_BYTES_PER_PIXEL if kind == "WEBP" else BYTES_PER_PIXEL)


def init_app(app: Any) -> None:
    """Hold every image the server opens to the poster limit, not only uploads (Pillow's guard is global)."""
    # Pillow warns above MAX_IMAGE_PIXELS and refuses twice that while reading the header, before
    # any decoder allocates; uploads get the exact limits of PosterLimits first.
    Image.MAX_IMAGE_PIXELS = PosterLimits.from_config(app.config).max_pixels


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed({"poster": message})


def _megapixels(pixels: int) -> Message:
    return N_("%(count)s megapixels", count=f"{pixels / 1e6:.3g}")


def decode_image(data: bytes, limits: PosterLimits | None = None) -> Image.Image:
    """The uploaded image, decoded no larger than a stored poster needs; ValidationFailed if it cannot be one."""
    decoded = open_image(data, limits or PosterLimits.from_config(current_app.config))
    image = shrink(decoded, _box(decoded, POSTER_SIZE), mode=_colour_mode(decoded))
    if image is decoded:  # a plain copy, so that the file's decoder (for WebP, two canvases) goes now
        image = decoded.copy()
    del decoded
    ImageOps.exif_transpose(image, in_place=True)  # phones store portraits sideways with an EXIF turn
    return image


def open_image(data: bytes, limits: PosterLimits) -> Image.Image:
    """The image loaded with a bounded footprint: sizes checked from the header first, JPEG reduced while decoding."""
    if not data:
        raise _refuse(N_("The file is empty: choose a JPEG, PNG or WebP image."))
    if len(data) > MAX_BYTES:
        raise _refuse(
            N_(
                "The file is %(size)s MB; posters may be up to %(limit)s MB.",
                size=f"{len(data) / 1048576:.1f}",
                limit=MAX_BYTES // 1048576,
            )
        )
    with warnings.catch_warnings():
        # our own limits below are exact; Pillow's warning would only repeat the first of them
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED))
            _check_size(image, limits)
            image.load()
        except Image.DecompressionBombError as exc:  # Pillow's own guard, from the header too: twice our limit
            raise _refuse(
                N_(
                    "The image has %(pixels)s; posters may be at most %(most)s: make the image smaller.",
                    pixels=_bomb_pixels(exc),
                    most=_megapixels(limits.max_pixels),
                )
            ) from None
        except UnidentifiedImageError:
            raise _refuse(_not_accepted(data)) from None
        except (OSError, SyntaxError, ValueError, EOFError):  # truncated or corrupt image data
            raise _refuse(N_("The image is damaged or incomplete: export it again as JPEG, PNG or WebP.")) from None
    return image


def _bomb_pixels(exc: Image.DecompressionBombError) -> Message:
    found = re.search(r"\((\d+) pixels\)", str(exc))  # "Image size (400000000 pixels) exceeds limit of ..."
    return _megapixels(int(found.group(1))) if found else N_("too many pixels")


def _check_size(image: Image.Image, limits: PosterLimits) -> None:
    """Refuse by the header's size; for JPEG, choose the reduced size decoding will produce."""
    pixels = image.width * image.height
    if pixels > limits.max_pixels:
        raise _too_large(image, N_("posters"), limits.max_pixels, N_("make the image smaller."))
    if image.format == "JPEG":
        _plan_jpeg(image, limits)
    elif pixels > limits.whole(image.format):
        raise _too_large(
            image,
            N_("%(format)s posters", format=ACCEPTED[image.format]),
            limits.whole(image.format),
            N_("make the image smaller, or save it as JPEG (up to %(most)s).", most=_megapixels(limits.max_pixels)),
        )


def _too_large(image: Image.Image, what: Message, most: int, advice: Message) -> ValidationFailed:
    return _refuse(
        N_(
            "The image is %(width)s × %(height)s pixels (%(pixels)s); %(what)s may be at most %(most)s: %(advice)s",
            width=image.width,
            height=image.height,
            pixels=_megapixels(image.width * image.height),
            what=what,
            most=_megapixels(most),
            advice=advice,
        )
    )


def _plan_jpeg(image: Image.Image, limits: PosterLimits) -> None:
    """Decode at 1/2, 1/4 or 1/8 of the size when that keeps the detail a poster needs or the memory bound."""
    spare = limits.decode_bytes - _coefficient_bytes(image)
    fitted = _fitted(image.size, _box(image, POSTER_SIZE))
    scale = _jpeg_scale(image.size, fitted, max(spare, 0) // BYTES_PER_PIXEL)
    if (image.width // scale) * (image.height // scale) * BYTES_PER_PIXEL > spare:
        most = int(
            limits.decode_bytes / (_coefficient_bytes(image) / (image.width * image.height) + BYTES_PER_PIXEL / 64)
        )
        raise _too_large(
            image,
            N_("progressive JPEG posters"),
            most,
            N_(
                "make the image smaller, or save it as a baseline JPEG (up to %(most)s).",
                most=_megapixels(limits.max_pixels),
            ),
        )
    if scale > 1:  # libjpeg scales while decoding: the full-size picture never exists
        image.draft(image.mode, (image.width // scale, image.height // scale))


def _coefficient_bytes(image: Image.Image) -> int:
    """What libjpeg holds for a progressive JPEG: every coefficient of every component at full size."""
    if not image.info.get("progressive"):
        return 0
    layers = getattr(image, "layer", None) or [("", 1, 1, 0)] * 3  # (id, h, v, table) per component
    most = max(layer[1] for layer in layers) * max(layer[2] for layer in layers)
    samples = sum(layer[1] * layer[2] for layer in layers) / most
    return int(image.width * image.height * samples * COEFFICIENT_BYTES)


def _jpeg_scale(size: tuple[int, int], fitted: tuple[int, int], budget: int) -> int:
    """The largest of 1, 2, 4, 8 that still decodes the fitted size (smaller still when over the budget)."""
    scale = 1
    while scale < 8:
        keeps_detail = size[0] // (scale * 2) >= fitted[0] and size[1] // (scale * 2) >= fitted[1]
        over_budget = (size[0] // scale) * (size[1] // scale) > budget
        if not (keeps_detail or over_budget):
            break
        scale *= 2
    return scale


def _box(image: Image.Image, box: tuple[int, int]) -> tuple[int, int]:
    """The box to fit the image as stored, turned when EXIF says it is shown sideways."""
    turned = image.getexif().get(ORIENTATION) in TURNED
    return (box[1], box[0]) if turned else box


def _fitted(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    scale = min(box[0] / size[0], box[1] / size[1], 1.0)  # never enlarged
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def shrink(image: Image.Image, box: tuple[int, int], *, mode: str | None = None) -> Image.Image:
    """The image fitted into the box (Lanczos) and in `mode`, made in bands of rows: no full-size copy exists."""
    mode = mode or image.mode
    size = _fitted(image.size, box)
    if size == image.size:
        return image if image.mode == mode else image.convert(mode)
    out = Image.new(mode, size)
    out.info = dict(image.info)  # the EXIF turn is applied afterwards
    for top in range(0, size[1], BAND_ROWS):
        out.paste(_band(image, size, top, min(BAND_ROWS, size[1] - top), mode), (0, top))
    return out


def _band(image: Image.Image, size: tuple[int, int], top: int, rows: int, mode: str) -> Image.Image:
    """Output rows top..top+rows, resized from a crop of the input rows they need (filter support included)."""
    step = image.height / size[1]
    first, last = top * step, (top + rows) * step
    margin = math.ceil(4 * step) + 2  # Lanczos reaches 3 input steps either side
    crop_top = max(0, math.floor(first) - margin)
    part = image.crop((0, crop_top, image.width, min(image.height, math.ceil(last) + margin)))
    if part.mode != mode:
        part = part.convert(mode)
    # Pillow premultiplies alpha for a resize by converting its whole input: here that is the crop only
    premultiplied = {"RGBA": "RGBa", "LA": "La"}.get(mode)
    if premultiplied:
        part = part.convert(premultiplied)
    band = part.resize(
        (size[0], rows),
        Image.Resampling.LANCZOS,
        reducing_gap=2.0,
        box=(0, first - crop_top, image.width, last - crop_top),
    )
    return band.convert(mode) if premultiplied else band


def _not_accepted(data: bytes) -> Message:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kind = Image.open(io.BytesIO(data)).format  # any format Pillow knows, to name it
        except Exception:  # noqa: BLE001 - not an image at all
            kind = None
    if kind:
        return N_("%(kind)s images are not accepted as posters: upload a JPEG, PNG or WebP image.", kind=kind)
    return N_("This file is not an image: upload a JPEG, PNG or WebP poster.")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def _colour_mode(image: Image.Image) -> str:
    """RGB, or RGBA when the image has transparency."""
    return "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # readers never see half a file


def poster_files(upload_root: Path, name: str) -> tuple[Path, Path]:
    """The poster and thumbnail paths of a stored poster name."""
    folder = Path(upload_root) / "posters"
    return folder / name, folder / "thumbs" / name


def store_poster(upload_root: Path, data: bytes, *, limits: PosterLimits | None = None) -> str:
    """Check, re-encode and store an uploaded poster and its thumbnail; returns the new file name."""
    image = decode_image(data, limits)
    name = f"{secrets.token_hex(16)}.webp"
    poster, thumb = poster_files(upload_root, name)
    _write(poster, _encode(image))
    _write(thumb, _encode(shrink(image, THUMB_SIZE)))
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


def replace_poster(
    film: Film, data: bytes, *, upload_root: Path, limits: PosterLimits | None = None, actor: User | None = None
) -> Film:
    """Give a film a new poster; the old files go when this is committed, the new ones if rolled back."""
    old, new = film.poster_path, store_poster(upload_root, data, limits=limits)
    film.poster_path = new
    _when_settled(
        on_commit=lambda: discard_poster(upload_root, old), on_rollback=lambda: discard_poster(upload_root, new)
    )
    db.session.flush()
    record(actor=actor, action="poster", entity=film, before={"poster_path": old}, after={"poster_path": new})
    return film


def remove_poster(film: Film, *, upload_root: Path, actor: User | None = None) -> Film:
    """Take a film's poster away; its files go when this is committed."""
    old = film.poster_path
    film.poster_path = None
    _when_settled(on_commit=lambda: discard_poster(upload_root, old), on_rollback=lambda: None)
    db.session.flush()
    record(actor=actor, action="poster", entity=film, before={"poster_path": old}, after={"poster_path": None})
    return film
