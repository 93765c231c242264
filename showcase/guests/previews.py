"""A film's link preview: the 1200×630 JPEG that WeChat and WhatsApp show when a guest shares it.

The poster fitted on a dark background when the film has one (posters are stored as WebP, which
WeChat does not show), else a title card in both languages with the festival's name. An image is
rendered once and kept under the instance folder, named by a hash of what it shows, so a new title
or poster is a new file and a new `?v=` in the page's og:image URL.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image, ImageDraw, ImageFont, ImageOps

SIZE = (1200, 630)
BACKGROUND = (17, 19, 26)
INK = (245, 245, 240)
MUTED = (170, 175, 190)
QUALITY = 85
RENDERING = "1"  # bump when the drawing changes, so every preview is drawn again
MARGIN = 72
# One CJK character is a word of its own; Latin words keep their following spaces.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+")


@dataclass(frozen=True)
class Preview:
    """What a film's preview shows; its hash names the file and versions the URL."""

    poster: str | None  # the stored poster's file name
    title: str
    title_en: str
    festival: str
    festival_en: str

    @property
    def version(self) -> str:
        shown = "\0".join((RENDERING, self.poster or "", self.title, self.title_en, self.festival, self.festival_en))
        return hashlib.sha256(shown.encode()).hexdigest()[:16]


def preview_of(film, festival, poster: str | None) -> Preview:
    """The preview of a film page's film row and FestivalRef, with its poster's public file name."""
    return Preview(poster, film.title or "", film.title_en or "", festival.name or "", festival.name_en or "")


def preview_jpeg(preview: Preview) -> bytes:
    """The preview's JPEG bytes, from the instance folder or rendered and kept there (written atomically)."""
    path = Path(current_app.instance_path, "previews", f"{preview.version}.jpg")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    poster = _poster_path(preview.poster)
    image = _fitted_poster(poster) if poster is not None else title_card(preview)
    data = _encode(image)
    if poster is not None or preview.poster is None:  # a missing poster file is not kept as its card
        _write(path, data)
    return data


def _poster_path(name: str | None) -> Path | None:
    if not name:
        return None
    path = Path(current_app.config["UPLOAD_ROOT"], "posters", name)
    return path if path.is_file() else None


def _fitted_poster(path: Path) -> Image.Image:
    with Image.open(path) as poster:
        fitted = ImageOps.contain(poster.convert("RGB"), SIZE, Image.Resampling.LANCZOS)
    image = Image.new("RGB", SIZE, BACKGROUND)
    image.paste(fitted, ((SIZE[0] - fitted.width) // 2, (SIZE[1] - fitted.height) // 2))
    return image


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = current_app.config.get("PROGRAMME_FONT_PATH") or ""
    if path and os.path.exists(path):
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)  # no CJK glyphs, but the card still shows


def _lines(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Text broken into lines no wider than `width` (between words, or between CJK characters)."""
    lines, line = [], ""
    for token in _TOKENS.findall(" ".join(text.split())):
        if line and draw.textlength((line + token).rstrip(), font=font) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _block(draw: ImageDraw.ImageDraw, text: str, *, sizes: range, width: int, most: int) -> tuple[list[str], object]:
    """The largest font of `sizes` that fits the text in `most` lines; the last line cut with … if none does."""
    for size in sizes:
        font = _font(size)
        lines = _lines(draw, text, font, width)
        if len(lines) <= most:
            return lines, font
    lines = lines[:most]
    while lines[-1] and draw.textlength(lines[-1] + "…", font=font) > width:
        lines[-1] = lines[-1][:-1]
    lines[-1] += "…"
    return lines, font


def title_card(preview: Preview) -> Image.Image:
    """The original and English titles over the festival's name, light on dark."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    title = preview.title or preview.title_en
    english = preview.title_en if preview.title_en and preview.title_en != title else ""
    blocks = [(_block(draw, title, sizes=range(72, 39, -4), width=width, most=3), INK)]
    if english:
        blocks.append((_block(draw, english, sizes=range(44, 23, -4), width=width, most=2), MUTED))
    y = MARGIN
    for (lines, font), colour in blocks:
        for line in lines:
            draw.text((MARGIN, y), line, font=font, fill=colour)
            y += round(font.size * 1.25)
        y += 24
    festival = " · ".join(dict.fromkeys(name for name in (preview.festival, preview.festival_en) if name))
    lines, font = _block(draw, festival, sizes=range(32, 19, -4), width=width, most=1)
    draw.line((MARGIN, SIZE[1] - MARGIN - font.size - 28, SIZE[0] - MARGIN, SIZE[1] - MARGIN - font.size - 28), MUTED)
    if lines:
        draw.text((MARGIN, SIZE[1] - MARGIN - font.size), lines[0], font=font, fill=MUTED)
    return image


def _encode(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=QUALITY, optimize=True, progressive=False)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".preview-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # two workers drawing the same card at once never show half a file
    except BaseException:
        os.unlink(tmp)
        raise
