"""Saddle-stitch booklet imposition: pure page order, and an imposed PDF (two pages a sheet side).

Writing the imposed PDF needs pypdf at run time (reading and placing existing PDF pages).
"""

from __future__ import annotations

import io
from typing import BinaryIO

from showcase.programmes.data import ProgrammeError


def padded_count(pages: int) -> int:
    """The page count rounded up to a multiple of 4 (one folded sheet carries four pages)."""
    if pages < 1:
        raise ProgrammeError("a booklet needs at least one page")
    return -(-pages // 4) * 4


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """Sheet sides as (left, right) 1-based page numbers; numbers above pages are blanks."""
    n = padded_count(pages)
    sides = []
    for i in range(n // 2):
        outer, inner = n - i, i + 1
        # Front sides carry the higher page on the left, backs the lower one.
        sides.append((outer, inner) if i % 2 == 0 else (inner, outer))
    return sides


def impose_pdf(src: str | BinaryIO, dst: str | BinaryIO, *, marks: bool = True) -> int:
    """Write src's pages imposed two-up in booklet order to dst; return the number of sheet sides.

    Pages are placed by their TrimBox; a bleed around the trim is kept on the outer edges of the
    spread (never across the spine), with crop and fold marks in it when marks is true.
    """
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    reader = PdfReader(src)
    pages = list(reader.pages)
    if not pages:
        raise ProgrammeError("the programme PDF has no pages")
    media, trim = pages[0].mediabox, pages[0].trimbox
    bleed = float(trim.left) - float(media.left)
    w, h = float(trim.width), float(trim.height)
    sheet_w, sheet_h = 2 * w + 2 * bleed, h + 2 * bleed
    overlay = _marks_page(sheet_w, sheet_h, bleed) if marks and bleed > 0 else None
    writer = PdfWriter()
    for left, right in booklet_order(len(pages)):
        side = writer.add_blank_page(sheet_w, sheet_h)
        for number, slot in ((left, 0), (right, 1)):
            if number > len(pages):
                continue  # a blank page of the padding
            page = pages[number - 1]
            x0, y0 = float(page.trimbox.left), float(page.trimbox.bottom)
            # pypdf clips a merged page to its CropBox: keep the outer bleed, cut at the spine.
            page.cropbox = RectangleObject(
                (x0 - bleed if slot == 0 else x0, y0 - bleed, x0 + w + (bleed if slot else 0), y0 + h + bleed)
            )
            side.merge_transformed_page(page, Transformation().translate(bleed + slot * w - x0, bleed - y0))
        if overlay is not None:
            side.merge_page(overlay)
    writer.write(dst)
    return len(writer.pages)


def _marks_page(width: float, height: float, bleed: float):
    """One PDF page of crop marks at the spread's trim corners and fold marks at the spine."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from showcase.programmes.fonts import register_fonts

    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(width, height), initialFontName=register_fonts().name)
    canv.setLineWidth(0.25)
    gap = min(2.8, bleed / 3)
    right, top, spine = width - bleed, height - bleed, width / 2
    for x in (bleed, spine, right):
        canv.line(x, 0, x, bleed - gap)
        canv.line(x, top + gap, x, height)
    for y in (bleed, top):
        canv.line(0, y, bleed - gap, y)
        canv.line(right + gap, y, width, y)
    canv.showPage()
    canv.save()
    buf.seek(0)
    return PdfReader(buf).pages[0]
