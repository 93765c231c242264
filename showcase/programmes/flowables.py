"""Small custom flowables: every one of them splits or has a fixed, small height.

Tables are avoided for user text: a table cell taller than a frame raises LayoutError.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph

from showcase.programmes import qr
from showcase.programmes.fonts import FontSet

GREY = (0.42, 0.42, 0.42)


class Row(Flowable):
    """A paragraph with a short label in a left column and an optional note flush right.

    Splits like its paragraph, so a 2,000-character title flows over pages; the label is
    drawn only on the first part. note may be a callable, read when laid out (page numbers).
    """

    def __init__(
        self,
        fonts: FontSet,
        label: str,
        para: Paragraph,
        *,
        label_width: float,
        size: float,
        note: str | Callable[[], str] = "",
        note_width: float = 0,
    ) -> None:
        super().__init__()
        self.fonts, self.label, self.para, self.size = fonts, label, para, size
        self.label_width, self.note, self.note_width = label_width, note, note_width

    def _inner(self, width: float) -> float:
        return max(width - self.label_width - self.note_width, 20)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        _, h = self.para.wrap(self._inner(availWidth), availHeight)
        self.height = h
        return availWidth, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = self.para.split(self._inner(availWidth), availHeight)
        if len(parts) < 2:
            return []
        args = dict(label_width=self.label_width, size=self.size, note_width=self.note_width)
        first = Row(self.fonts, self.label, parts[0], **args)
        rest = [Row(self.fonts, "", p, note=self.note if i == len(parts) - 2 else "", **args)
                for i, p in enumerate(parts[1:])]
        return [first, *rest]

    def draw(self) -> None:
        canv = self.canv
        self.para.drawOn(canv, self.label_width, 0)
        base = self.height - self.size * 1.05  # first baseline of the paragraph
        canv.setFillColorRGB(*GREY)
        if self.label:
            size = self.size * 0.92
            while size > self.size * 0.75 and self.fonts.width(self.label, size) > self.label_width - 4:
                size -= 0.25
            self.fonts.draw(canv, 0, base, self.label, size)
        note = self.note() if callable(self.note) else self.note
        if note:
            self.fonts.draw(canv, self.width, base, note, self.size, align="right")


def labelled(
    fonts: FontSet, label: str, para: Paragraph, *, label_width: float, size: float, label_para: Paragraph
) -> list[Flowable]:
    """A Row when the label fits its column (shrunk a little if need be), else the label stacked above."""
    if fonts.width(label, size * 0.75) <= label_width - 4:
        return [Row(fonts, label, para, label_width=label_width, size=size)]
    return [label_para, para]


class Marker(Flowable):
    """Zero-size flowable that calls back with the canvas when placed (sections, page numbers)."""

    def __init__(self, on_draw: Callable[..., None]) -> None:
        super().__init__()
        self.on_draw = on_draw
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.on_draw(self.canv)


def poster_reader(path: str, *, max_px: int = 700) -> ImageReader:
    """A downscaled, local-only copy of a poster (reportlab itself would open URLs)."""
    try:
        with PILImage.open(path) as img:
            img.draft("RGB", (max_px, max_px))  # JPEG decodes at reduced scale: much faster
            img = img.convert("RGB")
            img.thumbnail((max_px, max_px))
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise ValueError(f"poster {path!r} cannot be read: {exc}") from exc
    buf.seek(0)
    return ImageReader(buf)


class FilmMedia(Flowable):
    """Poster thumbnail above the film's QR code, with the short URL printed under the code."""

    def __init__(
        self, fonts: FontSet, url: str, *, width: float, poster: ImageReader | None, qr_on: bool = True
    ) -> None:
        super().__init__()
        self.fonts, self.url, self.width, self.poster, self.qr_on = fonts, url, width, poster, qr_on
        self.url_size = 6.5
        self.poster_h = 0.0
        if poster is not None:
            pw, ph = poster.getSize()
            self.poster_h = min(width * ph / pw, width * 1.6)
        self.height = self.poster_h + (8 if poster else 0) + (width + 12 if qr_on else 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    # ImageAndFlowables treats its image as a reportlab Image; a fixed size needs no restricting.
    def _restrictSize(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N802, N803
        return self.width, self.height

    def _unRestrictSize(self) -> None:  # noqa: N802
        pass

    def draw(self) -> None:
        canv, w = self.canv, self.width
        if self.poster is not None:
            pw, ph = self.poster.getSize()
            dw = min(w, self.poster_h * pw / ph)
            canv.drawImage(self.poster, (w - dw) / 2, self.height - self.poster_h, dw, self.poster_h)
        if self.qr_on:
            qr.draw_matrix(canv, qr.qr_matrix(self.url, mask=qr.FAST_MASK), 0, 12, w)
            size = self.url_size
            short = self.url.split("://", 1)[-1]
            while self.fonts.width(short, size) > w + 16 and size > 4:
                size -= 0.5  # long base URLs shrink rather than overflow the column
            canv.setFillColorRGB(0, 0, 0)
            self.fonts.draw(canv, w / 2, 4, short, size, align="centre")
