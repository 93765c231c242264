"""Saddle-stitch booklet imposition: pure page order, and an imposed PDF (two pages a sheet side).

Writing the imposed PDF needs pypdf at run time (reading and placing existing PDF pages).
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from showcase.programmes.data import ProgrammeError


def padded_count(pages: int, multiple: int = 4) -> int:
    """The page count rounded up to a multiple of 4 (one folded sheet carries four pages), or of multiple."""
    if pages < 1:
        raise ProgrammeError("a booklet needs at least one page")
    if multiple < 4 or multiple % 4:
        raise ProgrammeError(f"a booklet's pages come in fours, not {multiple}")
    return -(-pages // multiple) * multiple


def booklet_order(pages: int, multiple: int = 4) -> list[tuple[int, int]]:
    """Sheet sides as (left, right) 1-based page numbers; numbers above pages are blanks at the end.

    multiple: the page count is padded to a multiple of it (4, or 8 for whole press sheets).
    """
    n = padded_count(pages, multiple)
    sides = []
    for i in range(n // 2):
        outer, inner = n - i, i + 1
        # Front sides carry the higher page on the left, backs the lower one.
        sides.append((outer, inner) if i % 2 == 0 else (inner, outer))
    return sides


# Landscape papers tried in turn for the spread; a spread too big for all of them gets its own size.
PAPERS = ((841.89, 595.28), (1190.55, 841.89))  # A4, A3


def sheet_size(spread_w: float, spread_h: float) -> tuple[float, float]:
    """The smallest landscape paper (A4, A3) the spread fits on, else the spread's own size."""
    return next(((w, h) for w, h in PAPERS if spread_w <= w + 0.5 and spread_h <= h + 0.5), (spread_w, spread_h))


def impose_pdf(
    src: str | os.PathLike[str] | BinaryIO,
    dst: str | os.PathLike[str] | BinaryIO,
    *,
    marks: bool = True,
    multiple: int = 4,
) -> int:
    """Write src's pages imposed two-up in booklet order to dst; return the number of sheet sides."""
    writer = impose(src, marks=marks, multiple=multiple)
    writer.write(dst)
    return len(writer.pages)


def impose(src: str | os.PathLike[str] | BinaryIO, *, marks: bool = True, multiple: int = 4):
    """src's pages imposed two-up in booklet order, as a pypdf PdfWriter of the sheet sides.

    Pages are placed by their TrimBox, the spread centred on A4 or A3 landscape (A5 pages go
    on A4). A bleed around the trim is kept on the outer edges of the spread, never across the
    spine, with crop and fold marks in it when marks is true. When the pages have a bleed or a
    TrimBox of their own, each side gets the spread as its TrimBox and the spread with its
    bleed as its BleedBox. The page count is padded with blanks to a multiple of multiple.
    """
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import NameObject, RectangleObject

    pages = list(PdfReader(src).pages)
    if not pages:
        raise ProgrammeError("the programme PDF has no pages")
    boxed = "/TrimBox" in pages[0]  # asked first: reading page.trimbox writes a default one into the page
    trim = pages[0].trimbox
    bleed = float(trim.left) - float(pages[0].mediabox.left)
    w, h = float(trim.width), float(trim.height)
    sheet_w, sheet_h = sheet_size(2 * w + 2 * bleed, h + 2 * bleed)
    ox, oy = (sheet_w - 2 * w) / 2, (sheet_h - h) / 2  # lower-left corner of the trimmed spread
    overlay = _marks_page((sheet_w, sheet_h), (ox, oy, 2 * w, h), bleed) if marks and bleed > 0 else None
    boxed = boxed or bleed > 0
    trim_box = (ox, oy, ox + 2 * w, oy + h)
    bleed_box = (ox - bleed, oy - bleed, ox + 2 * w + bleed, oy + h + bleed)
    writer = PdfWriter()
    for left, right in booklet_order(len(pages), multiple):
        side = writer.add_blank_page(sheet_w, sheet_h)
        if boxed:
            side[NameObject("/TrimBox")] = RectangleObject(trim_box)
            side[NameObject("/BleedBox")] = RectangleObject(bleed_box)
        for number, slot in ((left, 0), (right, 1)):
            if number > len(pages):
                continue  # a blank page of the padding
            page = pages[number - 1]
            x0, y0 = float(page.trimbox.left), float(page.trimbox.bottom)
            # pypdf clips a merged page to its CropBox: keep the outer bleed, cut at the spine.
            page.cropbox = RectangleObject((x0 - bleed * (1 - slot), y0 - bleed, x0 + w + bleed * slot, y0 + h + bleed))
            side.merge_transformed_page(page, Transformation().translate(ox + slot * w - x0, oy - y0))
        if overlay is not None:
            side.merge_page(overlay)
    return writer


def _marks_page(sheet: tuple[float, float], spread: tuple[float, float, float, float], bleed: float):
    """One PDF page of crop marks at the spread's trim corners and fold marks at the spine."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from showcase.programmes.fonts import register_fonts

    (sw, sh), (x, y, w, h) = sheet, spread
    reach = max(bleed, 8.0)  # marks start just outside the bleed and run up to 8 pt or the sheet edge
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=sheet, initialFontName=register_fonts().name)
    canv.setLineWidth(0.25)
    gap = min(2.8, bleed / 3)
    for mx in (x, x + w / 2, x + w):
        canv.line(mx, max(0, y - bleed - reach), mx, y - gap)
        canv.line(mx, y + h + gap, mx, min(sh, y + h + bleed + reach))
    for my in (y, y + h):
        canv.line(max(0, x - bleed - reach), my, x - gap, my)
        canv.line(x + w + gap, my, min(sw, x + w + bleed + reach), my)
    canv.showPage()
    canv.save()
    buf.seek(0)
    return PdfReader(buf).pages[0]
