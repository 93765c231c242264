"""Table cards: several per A4 page, each with the film's title, its QR code and short URL."""

from __future__ import annotations

import os
import time
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from showcase.programmes import qr
from showcase.programmes.build import BuildStats
from showcase.programmes.data import Programme, ProgrammeError, ProgrammeFilm
from showcase.programmes.fonts import FontSet, FontSpec, register_fonts
from showcase.programmes.layout import INK, LABELS, MUTED, PROOF_TEXT

QR_SIZE = 36 * mm  # symbol >= 2.5 cm inside the 4-module quiet zone
PAD = 6 * mm


def build_cards(
    programme: Programme,
    out: str | os.PathLike[str] | BinaryIO,
    *,
    columns: int = 2,
    rows: int = 4,
    fonts: list[FontSpec] | None = None,
) -> BuildStats:
    """Write one table card per film, columns x rows to an A4 page, with cut lines between them."""
    if not (1 <= columns <= 3 and 1 <= rows <= 5):
        raise ProgrammeError("table cards: 1-3 columns and 1-5 rows fit an A4 page with a readable QR")
    started = time.perf_counter()
    fontset = register_fonts(fonts)
    canv = Canvas(
        os.fspath(out) if isinstance(out, os.PathLike) else out, pagesize=A4, initialFontName=fontset.name, invariant=1
    )
    fest = programme.festival
    canv.setTitle(f"{fest.name} {fest.name_en}".strip())
    card_w, card_h = A4[0] / columns, A4[1] / rows
    per_page = columns * rows
    pages = 0
    for start in range(0, len(programme.films), per_page):
        for i, film in enumerate(programme.films[start : start + per_page]):
            col, row = i % columns, i // columns
            _card(canv, fontset, programme, film, x=col * card_w, y=A4[1] - (row + 1) * card_h, size=(card_w, card_h))
        _cut_lines(canv, columns, rows)
        if programme.options.proof:
            canv.setFillColorRGB(0.85, 0.05, 0.1)
            fontset.draw(canv, A4[0] / 2, 3 * mm, PROOF_TEXT, 8, align="centre")
        canv.showPage()
        pages += 1
    canv.save()
    return BuildStats(pages, time.perf_counter() - started)


def _card(
    canv: Canvas,
    fonts: FontSet,
    programme: Programme,
    film: ProgrammeFilm,
    *,
    x: float,
    y: float,
    size: tuple[float, float],
) -> None:
    w, h = size
    url = qr.film_url(programme.festival.public_base_url, film.code)
    qr_size = min(QR_SIZE, h - 2 * PAD - 5 * mm)
    qr.draw_matrix(canv, qr.qr_matrix(url, mask=qr.FAST_MASK), x + PAD, y + PAD + 5 * mm, qr_size)
    canv.setFillColor(INK)
    short = url.split("://", 1)[-1]
    fonts.draw(
        canv, x + PAD + qr_size / 2, y + PAD + 1 * mm, short, _fit(fonts, short, qr_size + 5 * mm, 8), align="centre"
    )
    text_x = x + PAD + qr_size + 6 * mm
    text_w = w - (text_x - x) - PAD
    canv.setFillColor(MUTED)
    name = programme.festival.name_en or programme.festival.name
    fonts.draw(canv, text_x, y + h - PAD - 6, name, _fit(fonts, name, text_w, 7))
    scan = " / ".join(_pick(programme, *LABELS["scan"]))
    fonts.draw(canv, text_x, y + PAD + 5 * mm, scan, _fit(fonts, scan, text_w, 7))
    para = _fitted_title(fonts, _pick(programme, film.title, film.title_en), text_w, h - 2 * PAD - 20 * mm)
    _, ph = para.wrap(text_w, h)
    para.drawOn(canv, text_x, y + h - PAD - 6 * mm - ph)


def _pick(programme: Programme, zh: str, en: str) -> list[str]:
    """zh and/or en as the programme's language asks, never nothing."""
    picked = {"zh": [zh], "en": [en], "both": [zh, en]}[programme.options.lang]
    return [t for t in picked if t.strip()] or [zh or en]


def _fit(fonts: FontSet, text: str, width: float, size: float) -> float:
    """The largest size down to 5 pt at which text fits width (a smaller one is unreadable anyway)."""
    while size > 5 and fonts.width(text, size) > width:
        size -= 0.5
    return size


def _fitted_title(fonts: FontSet, titles: list[str], width: float, height: float) -> Paragraph:
    """Titles as one paragraph, shrunk and then shortened with an ellipsis until they fit the card."""
    for size in (15, 13, 11, 9):
        para = _title_para(fonts, titles, size)
        if para.wrap(width, height)[1] <= height:
            return para
    lo, hi = 1, max(len(t) for t in titles)  # a card has no room to flow: cut the longest title
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _title_para(fonts, [_cut(t, mid) for t in titles], 9).wrap(width, height)[1] <= height:
            lo = mid
        else:
            hi = mid - 1
    return _title_para(fonts, [_cut(t, lo) for t in titles], 9)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n].rstrip() + "…"


def _title_para(fonts: FontSet, titles: list[str], size: float) -> Paragraph:
    first, *rest = titles
    markup = fonts.markup(first) + "".join(
        f'<br/><font size="{size * 0.75:.1f}" color="#6b6b6b">{fonts.markup(t)}</font>' for t in rest
    )
    style = ParagraphStyle(
        "card", fontName=fonts.name, fontSize=size, leading=size * 1.3, textColor=INK, splitLongWords=1
    )
    return Paragraph(markup, style)


def _cut_lines(canv: Canvas, columns: int, rows: int) -> None:
    canv.saveState()
    canv.setStrokeColorRGB(0.75, 0.75, 0.75)
    canv.setLineWidth(0.3)
    canv.setDash(2, 2)
    for c in range(1, columns):
        canv.line(A4[0] * c / columns, 0, A4[0] * c / columns, A4[1])
    for r in range(1, rows):
        canv.line(0, A4[1] * r / rows, A4[0], A4[1] * r / rows)
    canv.restoreState()
