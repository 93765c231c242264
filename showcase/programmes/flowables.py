"""Small custom flowables: every one of them splits or has a fixed, small height.

Tables are avoided for user text: a table cell taller than a frame raises LayoutError.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import UnidentifiedImageError
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
        rest = [
            Row(self.fonts, "", p, note=self.note if i == len(parts) - 2 else "", **args)
            for i, p in enumerate(parts[1:])
        ]
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


@dataclass(frozen=True)
class Thumb:
    """A downscaled poster written as a local JPEG file, with its pixel size."""

    path: str
    width: int
    height: int


class PosterCache:
    """Poster thumbnails for one build, written to folder once per source file.

    reportlab is handed file names, not ImageReaders: for an ImageReader it decodes the whole
    image to hash it (hundreds of MB over a programme); a JPEG file is embedded as it is, and
    the same file twice only once. A path also keeps reportlab from ever opening a URL.
    """

    def __init__(
        self,
        folder: str,
        *,
        max_size: tuple[int, int] = (420, 680),
        convert: Callable[[PILImage.Image, bytes | None], PILImage.Image] | None = None,
    ) -> None:
        self.folder, self.max_size, self.convert = folder, max_size, convert
        self._done: dict[str, Thumb] = {}

    def get(self, source: str) -> Thumb:
        """The thumbnail of source; ValueError when it is not a readable image file."""
        if source not in self._done:
            self._done[source] = self._make(source, os.path.join(self.folder, f"p{len(self._done)}.jpg"))
        return self._done[source]

    def prefetch(self, sources: Iterable[str]) -> None:
        """Make the thumbnails of sources on two threads (Pillow decodes without holding the GIL)."""
        todo = list(dict.fromkeys(s for s in sources if s not in self._done))
        targets = [os.path.join(self.folder, f"p{len(self._done) + i}.jpg") for i in range(len(todo))]
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = pool.map(self._try, todo, targets)
            for source, thumb in zip(todo, results, strict=True):
                if thumb is not None:
                    self._done[source] = thumb

    def _try(self, source: str, target: str) -> Thumb | None:
        try:
            return self._make(source, target)
        except ValueError:
            return None  # get() raises again, in order, for the caller to report

    def _make(self, source: str, target: str) -> Thumb:
        try:
            with PILImage.open(source) as img:
                w, h = img.size
                small = w <= self.max_size[0] and h <= self.max_size[1]
                if img.format == "JPEG" and img.mode == "RGB" and small and self.convert is None:
                    return Thumb(source, w, h)  # already a print thumbnail: embed the file as it is
                icc = img.info.get("icc_profile")
                img.draft("RGB", self.max_size)  # JPEG decodes at a reduced scale: much faster
                img = img.convert("RGB")
                img.thumbnail(self.max_size, PILImage.Resampling.BILINEAR, reducing_gap=2.0)
                if self.convert is not None:  # the press build's CMYK, through the output profile
                    img = self.convert(img, icc)
                img.save(target, "JPEG", quality=85 if self.convert is None else 90)
                return Thumb(target, img.width, img.height)
        except (OSError, UnidentifiedImageError, ValueError, PILImage.DecompressionBombError) as exc:
            raise ValueError(f"poster {source!r} cannot be read: {exc}") from exc


class FilmMedia(Flowable):
    """Poster thumbnail above the film's QR code, with the short URL printed under the code."""

    def __init__(self, fonts: FontSet, url: str, *, width: float, poster: Thumb | None, qr_on: bool = True) -> None:
        super().__init__()
        self.fonts, self.url, self.width, self.poster, self.qr_on = fonts, url, width, poster, qr_on
        self.url_size = 6.5
        self.poster_h = 0.0
        if poster is not None:
            self.poster_h = min(width * poster.height / poster.width, width * 1.6)
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
            dw = min(w, self.poster_h * self.poster.width / self.poster.height)
            canv.drawImage(self.poster.path, (w - dw) / 2, self.height - self.poster_h, dw, self.poster_h)
        if self.qr_on:
            qr.draw_matrix(canv, qr.qr_matrix(self.url, mask=qr.FAST_MASK), 0, 12, w)
            size = self.url_size
            short = self.url.split("://", 1)[-1]
            while self.fonts.width(short, size) > w + 16 and size > 4:
                size -= 0.5  # long base URLs shrink rather than overflow the column
            canv.setFillColorRGB(0, 0, 0)
            self.fonts.draw(canv, w / 2, 4, short, size, align="centre")
