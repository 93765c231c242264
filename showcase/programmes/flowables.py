"""Small custom flowables: every one of them splits or has a fixed, small height.

Tables are avoided for user text: a table cell taller than a frame raises LayoutError.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
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


# The poster column is 34 mm wide and a poster at most 1.6 times as tall: 300 dpi is 402 x 643 pixels.
PRINT_SIZE = (402, 643)


class PosterCache:
    """Poster thumbnails for one build, made on two background threads while the pages are laid out.

    Pillow decodes, resizes and encodes without holding the GIL, so the posters cost the second
    core rather than the layout's time; a page waits only for its own poster. reportlab is handed
    file names, not ImageReaders: for an ImageReader it decodes the whole image to hash it
    (hundreds of MB over a programme); a JPEG file is embedded as it is, and the same file twice
    only once. A path also keeps reportlab from ever opening a URL. With keep, thumbnails are
    also kept there under their source's content hash, so the next build reads them as they are.
    Use as a context manager: leaving it stops the threads.
    """

    def __init__(
        self,
        folder: str,
        *,
        keep: str | None = None,
        max_size: tuple[int, int] = PRINT_SIZE,
        convert: Callable[[PILImage.Image, bytes | None], PILImage.Image] | None = None,
    ) -> None:
        self.folder, self.max_size, self.convert = folder, max_size, convert
        self.keep = keep if convert is None else None  # a press conversion depends on its profile: not kept
        self._pending: dict[str, Future[Thumb]] = {}
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="programme-posters")

    def __enter__(self) -> PosterCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def prefetch(self, sources: Iterable[str]) -> None:
        """Start making the thumbnails of sources, in order, without waiting for them."""
        for source in sources:
            if source not in self._pending:
                self._pending[source] = self._pool.submit(self._make, source, len(self._pending))

    def get(self, source: str) -> Thumb:
        """The thumbnail of source (waiting for it); ValueError when it is not a readable image file."""
        self.prefetch([source])
        return self._pending[source].result()

    def _make(self, source: str, number: int) -> Thumb:
        try:
            with open(source, "rb") as fh:
                data = fh.read()
            target = self._target(data, number)
            if os.path.isfile(target):  # kept by an earlier build
                with PILImage.open(target) as kept:
                    return Thumb(target, *kept.size)
            with PILImage.open(io.BytesIO(data)) as img:
                return self._thumb(img, source, target)
        except (OSError, UnidentifiedImageError, ValueError, PILImage.DecompressionBombError) as exc:
            raise ValueError(f"poster {source!r} cannot be read: {exc}") from exc

    def _target(self, data: bytes, number: int) -> str:
        if self.keep is None:
            return os.path.join(self.folder, f"p{number}.jpg")
        w, h = self.max_size
        return os.path.join(self.keep, f"{hashlib.sha256(data).hexdigest()[:40]}-{w}x{h}.jpg")

    def _thumb(self, img: PILImage.Image, source: str, target: str) -> Thumb:
        w, h = img.size
        small = w <= self.max_size[0] and h <= self.max_size[1]
        if img.format == "JPEG" and img.mode == "RGB" and small and self.convert is None:
            return Thumb(source, w, h)  # already a print thumbnail: embed the file as it is
        icc = img.info.get("icc_profile")
        img.draft("RGB", self.max_size)  # a JPEG decodes at a half, quarter or eighth of its size: much faster
        img = img.convert("RGB")
        scale = min(self.max_size[0] / img.width, self.max_size[1] / img.height)
        if scale < 1:  # BOX averages the source pixels each output pixel covers: sharp and the cheapest
            size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
            img = img.resize(size, PILImage.Resampling.BOX, reducing_gap=2.0)
        if self.convert is not None:  # the press build's CMYK, through the output profile
            img = self.convert(img, icc)
        partial = f"{target}.{os.getpid()}-{threading.get_ident()}.part"
        try:
            img.save(partial, "JPEG", quality=85 if self.convert is None else 90)
            os.replace(partial, target)  # a build running at the same time never reads half a file
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        return Thumb(target, img.width, img.height)


class _LazyPoster:
    """A film's poster, looked up when its page is laid out (so later posters are still being made)."""

    def __init__(self, posters: PosterCache, source: str, on_error: Callable[[str], None]) -> None:
        self.posters, self.source, self.on_error = posters, source, on_error
        self._thumb: Thumb | None = None
        self._done = False

    def get(self) -> Thumb | None:
        if not self._done:
            self._done = True
            try:
                self._thumb = self.posters.get(self.source)
            except ValueError as exc:
                self.on_error(str(exc))  # one bad poster must not stop the print run
        return self._thumb


def lazy_poster(posters: PosterCache, source: str | None, on_error: Callable[[str], None]) -> _LazyPoster | None:
    """A poster to be read when first laid out, or None without one."""
    return None if not source else _LazyPoster(posters, source, on_error)


class FilmMedia(Flowable):
    """Poster thumbnail above the film's QR code, with the short URL printed under the code.

    The poster is read when the media is first wrapped: a page waits for its own poster only.
    """

    def __init__(
        self, fonts: FontSet, url: str, *, width: float, poster: _LazyPoster | None, qr_on: bool = True
    ) -> None:
        super().__init__()
        self.fonts, self.url, self.width, self.qr_on = fonts, url, width, qr_on
        self._poster, self.poster = poster, None
        self.url_size = 6.5
        self.poster_h = 0.0
        self.height = width + 12 if qr_on else 0

    def _read_poster(self) -> None:
        if self._poster is None:
            return
        self.poster, self._poster = self._poster.get(), None
        if self.poster is not None:
            self.poster_h = min(self.width * self.poster.height / self.poster.width, self.width * 1.6)
            self.height += self.poster_h + 8

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._read_poster()
        return self.width, self.height

    # ImageAndFlowables treats its image as a reportlab Image; a fixed size needs no restricting.
    def _restrictSize(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N802, N803
        self._read_poster()
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
