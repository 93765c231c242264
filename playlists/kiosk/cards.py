"""Title cards: text rendered to a PNG with Pillow, shown by the player like a still picture."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from playlists.kiosk.files import PUBLIC, atomic_write

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
SIZE = (1280, 720)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if CJK_FONT.exists():
        return ImageFont.truetype(str(CJK_FONT), size)
    # Pillow's bundled font has no CJK glyphs, but the card still shows and the show goes on
    return ImageFont.load_default(size=size)


def render_card(text: str, directory: Path, *, size: tuple[int, int] = SIZE) -> Path:
    """PNG of `text` centred on black, cached by content in `directory`; returns its path."""
    name = hashlib.sha256(f"{size}:{text}".encode()).hexdigest()[:24] + ".png"
    path = Path(directory) / name
    if path.exists():
        return path
    image = Image.new("RGB", size, "black")
    draw = ImageDraw.Draw(image)
    text = "\n".join(text.splitlines()) or " "
    spacing = size[1] // 40
    font_size = max(24, size[1] // 12)
    font = _font(font_size)
    box = draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing, align="center")
    fit = min(0.9 * size[0] / max(1, box[2] - box[0]), 0.9 * size[1] / max(1, box[3] - box[1]))
    if fit < 1:  # long titles: shrink the font rather than run off the screen
        font = _font(max(12, int(font_size * fit)))
        box = draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing, align="center")
    x = (size[0] - (box[2] - box[0])) / 2 - box[0]
    y = (size[1] - (box[3] - box[1])) / 2 - box[1]
    draw.multiline_text((x, y), text, font=font, fill="white", spacing=spacing, align="center")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    # readable by others, like any file a user makes: stock VLC run by another user plays an exported bundle
    atomic_write(path, buffer.getvalue(), mode=PUBLIC)
    return path
